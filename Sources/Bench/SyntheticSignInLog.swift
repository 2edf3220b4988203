import Foundation

/// A deterministic synthetic sign-in export for benchmarking `logs scan`: Microsoft Graph `signIns` records as JSON
/// Lines, about 1 KB each, from a pool of ordinary users, with a few sign-ins of the emergency accounts planted at
/// known lines. The same parameters give the same bytes.
public struct SyntheticSignInLog: Sendable {
    public struct Account: Sendable, Hashable {
        public var id: String
        public var userPrincipalName: String

        public init(id: String, userPrincipalName: String) {
            self.id = id
            self.userPrincipalName = userPrincipalName
        }
    }

    /// A planted record: its 1-based line, the account, and whether the sign-in succeeded.
    public struct Plant: Sendable, Hashable {
        public var line: Int
        public var account: Account
        public var succeeded: Bool
    }

    public var records: Int
    public var seed: UInt64
    public var accounts: [Account]

    /// The emergency accounts of the embedded demo tenant, so `logs scan --demo` finds the planted records.
    public static let demoAccounts = [
        Account(id: "2a008d1e-f028-5bb4-99df-c82b624f5476", userPrincipalName: "bg-01@contoso.onmicrosoft.com"),
        Account(id: "81f59451-b7b6-5837-8864-9836625967f1", userPrincipalName: "bg-02@contoso.onmicrosoft.com"),
    ]
    static let start = 1_793_491_200  // 2026-11-01T00:00:00Z
    static let apps = ["Office 365 Exchange Online", "Microsoft Teams", "SharePoint Online", "Azure Portal",
                       "Microsoft Graph", "OfficeHome", "Microsoft Authentication Broker"]
    static let cities = [("Seattle", "Washington", "US"), ("Dublin", "Dublin", "IE"), ("Amsterdam", "Noord-Holland", "NL"),
                         ("Sydney", "New South Wales", "AU"), ("Toronto", "Ontario", "CA")]

    public init(records: Int, seed: UInt64 = 7, accounts: [Account] = Self.demoAccounts) {
        self.records = max(records, 1)
        self.seed = seed
        self.accounts = accounts
    }

    /// Six planted sign-ins (fewer for tiny files), spread through the file, alternating accounts and results.
    public var plants: [Plant] {
        guard !accounts.isEmpty else { return [] }
        let count = min(6, records)
        var lines = Set<Int>()
        return (1...count).compactMap { k in
            let line = max(1, records * k / (count + 1))
            guard lines.insert(line).inserted else { return nil }
            return Plant(line: line, account: accounts[(k - 1) % accounts.count], succeeded: k % 3 != 2)
        }
    }

    /// Writes the file and returns the planted records.
    @discardableResult
    public func write(to url: URL) throws -> [Plant] {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var random = SplitMix64(seed: seed)
        let users = (0..<20_000).map { index -> Account in
            var generator = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37)
            return Account(id: Self.guid(&generator), userPrincipalName: "user\(index)@contoso.onmicrosoft.com")
        }
        let plants = Dictionary(uniqueKeysWithValues: self.plants.map { ($0.line, $0) })
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4 << 20)
        for line in 1...records {
            let plant = plants[line]
            let user = plant?.account ?? users[Int(random.next() % UInt64(users.count))]
            let failed = plant.map { !$0.succeeded } ?? random.chance(0.08)
            buffer += Array(record(line: line, user: user, failed: failed, random: &random).utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 4 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        return self.plants
    }

    func record(line: Int, user: Account, failed: Bool, random: inout SplitMix64) -> String {
        let time = Self.timestamp(Self.start + line * 3 / 2)
        let app = random.pick(Self.apps)
        let (city, state, country) = random.pick(Self.cities)
        let ip = "198.51.\(random.next() % 256).\(random.next() % 256)"
        let status = failed
            ? "{\"errorCode\":50126,\"failureReason\":\"Error validating credentials due to invalid username or password.\",\"additionalDetails\":null}"
            : "{\"errorCode\":0,\"failureReason\":\"Other.\",\"additionalDetails\":null}"
        let display = user.userPrincipalName.split(separator: "@").first.map(String.init) ?? user.userPrincipalName
        return "{\"id\":\"\(Self.guid(&random))\",\"createdDateTime\":\"\(time)\",\"userDisplayName\":\"\(display)\","
            + "\"userPrincipalName\":\"\(user.userPrincipalName)\",\"userId\":\"\(user.id)\",\"appId\":\"\(Self.guid(&random))\","
            + "\"appDisplayName\":\"\(app)\",\"ipAddress\":\"\(ip)\",\"clientAppUsed\":\"Browser\","
            + "\"correlationId\":\"\(Self.guid(&random))\",\"conditionalAccessStatus\":\"\(failed ? "notApplied" : "success")\","
            + "\"isInteractive\":true,\"riskDetail\":\"none\",\"riskLevelAggregated\":\"none\",\"riskLevelDuringSignIn\":\"none\","
            + "\"riskState\":\"none\",\"riskEventTypes_v2\":[],\"resourceDisplayName\":\"\(app)\",\"resourceId\":\"\(Self.guid(&random))\","
            + "\"status\":\(status),"
            + "\"deviceDetail\":{\"deviceId\":\"\",\"displayName\":\"\",\"operatingSystem\":\"Windows10\",\"browser\":\"Edge 142.0.0\",\"isCompliant\":false,\"isManaged\":false,\"trustType\":\"\"},"
            + "\"location\":{\"city\":\"\(city)\",\"state\":\"\(state)\",\"countryOrRegion\":\"\(country)\",\"geoCoordinates\":{\"altitude\":null,\"latitude\":47.6,\"longitude\":-122.3}},"
            + "\"appliedConditionalAccessPolicies\":[{\"id\":\"\(Self.guid(&random))\",\"displayName\":\"CA002 - All users - Require MFA\","
            + "\"enforcedGrantControls\":[\"Mfa\"],\"enforcedSessionControls\":[],\"result\":\"\(failed ? "notApplied" : "success")\"}]}"
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A random version-4-shaped GUID (the hot loop of the generator: no `String(format:)`).
    static func guid(_ random: inout SplitMix64) -> String {
        let words = [random.next(), random.next()]
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { out.append(UInt8(ascii: "-")) }
            let nibble = Int((words[index / 16] >> UInt64(60 - 4 * (index % 16))) & 0xF)
            out.append(index == 12 ? UInt8(ascii: "4") : index == 16 ? UInt8(ascii: "a") : hexDigits[nibble])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-11-01T00:00:00Z` from seconds since 1970 (UTC).
    static func timestamp(_ seconds: Int) -> String {
        let days = seconds / 86_400
        let rest = seconds % 86_400
        // Howard Hinnant's civil-from-days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, rest / 3600, rest % 3600 / 60, rest % 60)
    }
}

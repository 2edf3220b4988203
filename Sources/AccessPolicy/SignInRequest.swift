import EntraModel
import Foundation

/// A sign-in as a person writes it — `whatif` flags or one line of `whatif --batch` (spec/evaluation.md, "Batch
/// form") — before it is checked and resolved against the tenant.
public struct SignInRequest: Decodable, Sendable, Hashable {
    public var user: String
    public var resource: String?
    public var clientApp: String?
    public var platform: String?
    public var ip: String?
    public var country: String?
    public var userRisk: String?
    public var signInRisk: String?
    /// `compliant`, `hybridJoined`.
    public var device: [String]?
    /// Device-filter properties; JSON strings or booleans (`"isCompliant": true`).
    public var deviceProperties: [String: String]?
    public var capabilities: [String]?
    /// `none`, `minor`, `moderate`, `elevated`.
    public var insiderRisk: String?

    public init(user: String) { self.user = user }

    enum CodingKeys: String, CodingKey {
        case user, resource, clientApp, platform, ip, country, userRisk, signInRisk, device, deviceProperties
        case capabilities, insiderRisk
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decode(String.self, forKey: .user)
        resource = try c.decodeIfPresent(String.self, forKey: .resource)
        clientApp = try c.decodeIfPresent(String.self, forKey: .clientApp)
        platform = try c.decodeIfPresent(String.self, forKey: .platform)
        ip = try c.decodeIfPresent(String.self, forKey: .ip)
        country = try c.decodeIfPresent(String.self, forKey: .country)
        userRisk = try c.decodeIfPresent(String.self, forKey: .userRisk)
        signInRisk = try c.decodeIfPresent(String.self, forKey: .signInRisk)
        device = try c.decodeIfPresent([String].self, forKey: .device)
        deviceProperties = try c.decodeIfPresent([String: PropertyValue].self, forKey: .deviceProperties)?
            .mapValues(\.text)
        capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities)
        insiderRisk = try c.decodeIfPresent(String.self, forKey: .insiderRisk)
    }

    /// A device property as JSON gives it: a string, or a boolean written as the filter language does (`True`).
    struct PropertyValue: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                text = flag ? "True" : "False"
            } else {
                text = try container.decode(String.self)
            }
        }
    }

    public static let clientApps = ["browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"]
    public static let platforms = ["android", "iOS", "windows", "windowsPhone", "macOS", "linux", "unknown"]
    public static let riskLevels = ["none", "low", "medium", "high"]
    public static let insiderRiskLevels = ["none", "minor", "moderate", "elevated"]
    public static let deviceFlags = ["compliant", "hybridJoined"]

    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public var field: String
        public var reason: String
        public var description: String { "\(field): \(reason)" }
    }

    /// Checks every field and resolves the user (id or UPN) and the resource (alias or application id).
    public func resolve(in directory: Directory) throws -> (SignInContext, User) {
        func oneOf(_ value: String?, _ allowed: [String], _ field: String, default fallback: String) throws -> String {
            guard let value else { return fallback }
            guard let match = allowed.first(where: { $0.caseInsensitiveCompare(value) == .orderedSame }) else {
                throw Invalid(field: field, reason: "'\(value)' is not one of \(allowed.joined(separator: ", "))")
            }
            return match
        }
        guard let resolvedUser = directory.user(idOrUPN: user) else {
            throw Invalid(field: "user", reason: "no user '\(user)' in users.json")
        }
        let resourceID: String
        if let resource {
            guard let id = Resource.id(forAlias: resource) else {
                throw Invalid(field: "resource", reason: "'\(resource)' is neither an application id nor one of \(Resource.aliases.keys.sorted().joined(separator: ", "))")
            }
            resourceID = id
        } else {
            resourceID = Resource.azurePortal
        }
        if let ip, IPAddress(ip) == nil { throw Invalid(field: "ip", reason: "'\(ip)' is not an IPv4 or IPv6 address") }
        if let country, country.count != 2 || !country.allSatisfy(\.isLetter) {
            throw Invalid(field: "country", reason: "'\(country)' is not an ISO 3166 two-letter code")
        }
        let flags = try (device ?? []).map { try oneOf($0, Self.deviceFlags, "device", default: "") }
        var device = Device.unregistered
        if !flags.isEmpty || !(deviceProperties ?? [:]).isEmpty {
            device = Device(isRegistered: true, isCompliant: flags.contains("compliant"),
                            isHybridJoined: flags.contains("hybridJoined"), properties: deviceProperties ?? [:])
        }
        let capabilities = try self.capabilities.map { list in
            Set(try list.map { name in
                guard let capability = Capability.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(name) == .orderedSame }) else {
                    throw Invalid(field: "capabilities", reason: "'\(name)' is not one of \(Capability.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return capability
            })
        }
        let context = SignInContext(
            userID: resolvedUser.id, resource: resourceID,
            clientApp: try oneOf(clientApp, Self.clientApps, "clientApp", default: "browser"),
            platform: try oneOf(platform, Self.platforms, "platform", default: "windows"),
            ipAddress: ip, country: country?.uppercased(),
            userRisk: try oneOf(userRisk, Self.riskLevels, "userRisk", default: "none"),
            signInRisk: try oneOf(signInRisk, Self.riskLevels, "signInRisk", default: "none"),
            device: device, capabilities: capabilities,
            insiderRisk: try oneOf(insiderRisk, Self.insiderRiskLevels, "insiderRisk", default: "none"))
        return (context, resolvedUser)
    }
}

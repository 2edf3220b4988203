import Foundation

/// A tenant as the reference model reads it: straight from a snapshot folder's JSON (spec/snapshot.md file names),
/// through `JSONSerialization`, without EntraModel's decoders, so a decoding bug in the product shows up as a
/// disagreement instead of being shared by both sides.
///
/// Graph sends `null` where a value is not set; every accessor here treats `null` and an absent key alike.
struct ModelTenant {
    struct User {
        var id: String
        var userPrincipalName: String
        var userType: String?
        var externalUserState: String?
        var creationType: String?
        /// `authorizationInfo.certificateUserIds`: the user signs in with a certificate (issue 9, item 10).
        var certificateUserIds: [String]
    }

    struct Member {
        var id: String
        var isGroup: Bool
    }

    struct RoleDefinition {
        var id: String
        var templateID: String
        var isBuiltIn: Bool
    }

    struct RoleAssignment {
        var principalID: String
        var roleDefinitionID: String
        var scope: String
    }

    struct ScheduleInstance {
        var principalID: String
        var roleDefinitionID: String
        var scope: String
        var start: Date?
        var end: Date?
    }

    struct NamedLocation {
        var id: String
        var isIPLocation: Bool
        var ranges: [ModelIPRange]
        var isTrusted: Bool
        var countries: [String]
        var includeUnknownCountries: Bool
    }

    struct Strength {
        var id: String
        var displayName: String
        var isBuiltIn: Bool
        var allowedCombinations: [String]
        /// `fido2CombinationConfiguration.allowedAAGUIDs` by combination (`fido2`); empty when unrestricted.
        var allowedAAGUIDs: [String: [String]]
    }

    struct Method {
        /// The `@odata.type` without `#microsoft.graph.`, e.g. `fido2AuthenticationMethod`.
        var kind: String
        var fields: [String: Any]
        /// `startDateTime` of a temporary access pass.
        var start: Date?

        func string(_ key: String) -> String? { fields[key] as? String }
    }

    var tenantID: String
    var now: Date
    var users: [String: User] = [:]
    /// Direct members by group id; a group without a file has unknown members.
    var groupMembers: [String: [Member]] = [:]
    var directGroupsOfPrincipal: [String: [String]] = [:]
    var roleDefinitions: [String: RoleDefinition] = [:]
    var roleAssignments: [RoleAssignment] = []
    /// nil when `role-assignment-schedule-instances.json` is absent (no Entra ID P2).
    var scheduleInstances: [ScheduleInstance]?
    var policies: [ModelPolicy] = []
    var namedLocations: [String: NamedLocation] = [:]
    var strengths: [String: Strength] = [:]
    var securityDefaultsEnabled = false
    /// Domains whose users sign in at a federation service (domains.json, `authenticationType: Federated`).
    var federatedDomains: Set<String> = []
    /// Registered methods by user id; a user without a file has unknown methods.
    var methods: [String: [Method]] = [:]

    init(folder: URL, now: Date) throws {
        self.now = now
        let manifest = try Self.object(folder, "manifest.json")
        tenantID = (manifest?["tenantId"] as? String) ?? ""

        for user in try Self.values(folder, "users.json") {
            guard let id = (user["id"] as? String)?.lowercased() else { continue }
            let authorization = user["authorizationInfo"] as? [String: Any]
            users[id] = User(id: id, userPrincipalName: (user["userPrincipalName"] as? String) ?? "",
                             userType: user["userType"] as? String,
                             externalUserState: user["externalUserState"] as? String,
                             creationType: user["creationType"] as? String,
                             certificateUserIds: Self.strings(authorization?["certificateUserIds"]))
        }

        let membersFolder = folder.appendingPathComponent("group-members")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: membersFolder.path)) ?? [] {
            guard file.hasSuffix(".json") else { continue }
            let groupID = String(file.dropLast(5)).lowercased()
            let members = try Self.values(membersFolder, file).compactMap { member -> Member? in
                guard let id = (member["id"] as? String)?.lowercased() else { return nil }
                return Member(id: id, isGroup: (member["@odata.type"] as? String) == "#microsoft.graph.group")
            }
            groupMembers[groupID] = members
            for member in members { directGroupsOfPrincipal[member.id, default: []].append(groupID) }
        }

        for definition in try Self.values(folder, "role-definitions.json") {
            guard let id = (definition["id"] as? String)?.lowercased() else { continue }
            roleDefinitions[id] = RoleDefinition(
                id: id, templateID: ((definition["templateId"] as? String) ?? id).lowercased(),
                isBuiltIn: (definition["isBuiltIn"] as? Bool) ?? false)
        }
        roleAssignments = try Self.values(folder, "role-assignments.json").compactMap { assignment in
            guard let principal = assignment["principalId"] as? String,
                  let role = assignment["roleDefinitionId"] as? String else { return nil }
            return RoleAssignment(principalID: principal.lowercased(), roleDefinitionID: role.lowercased(),
                                  scope: (assignment["directoryScopeId"] as? String) ?? "/")
        }
        if FileManager.default.fileExists(
            atPath: folder.appendingPathComponent("role-assignment-schedule-instances.json").path) {
            scheduleInstances = try Self.values(folder, "role-assignment-schedule-instances.json").compactMap {
                instance in
                guard let principal = instance["principalId"] as? String,
                      let role = instance["roleDefinitionId"] as? String else { return nil }
                return ScheduleInstance(
                    principalID: principal.lowercased(), roleDefinitionID: role.lowercased(),
                    scope: (instance["directoryScopeId"] as? String) ?? "/",
                    start: Self.date(instance["startDateTime"]), end: Self.date(instance["endDateTime"]))
            }
        }

        for location in try Self.values(folder, "named-locations.json", optional: true) {
            guard let id = (location["id"] as? String)?.lowercased() else { continue }
            let type = (location["@odata.type"] as? String) ?? ""
            let ranges = ((location["ipRanges"] as? [[String: Any]]) ?? []).compactMap {
                ($0["cidrAddress"] as? String).flatMap(ModelIPRange.init(cidr:))
            }
            namedLocations[id] = NamedLocation(
                id: id, isIPLocation: type == "#microsoft.graph.ipNamedLocation", ranges: ranges,
                isTrusted: (location["isTrusted"] as? Bool) ?? false,
                countries: Self.strings(location["countriesAndRegions"]).map { $0.uppercased() },
                includeUnknownCountries: (location["includeUnknownCountriesAndRegions"] as? Bool) ?? false)
        }

        for strength in try Self.values(folder, "authentication-strengths.json", optional: true) {
            if let parsed = Self.strength(strength) { strengths[parsed.id] = parsed }
        }

        securityDefaultsEnabled = (try Self.object(folder, "security-defaults.json")?["isEnabled"] as? Bool) ?? false
        federatedDomains = Set(try Self.values(folder, "domains.json", optional: true).compactMap { domain in
            (domain["authenticationType"] as? String) == "Federated" ? (domain["id"] as? String)?.lowercased() : nil
        })

        let methodsFolder = folder.appendingPathComponent("authentication-methods")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: methodsFolder.path)) ?? [] {
            guard file.hasSuffix(".json") else { continue }
            methods[String(file.dropLast(5)).lowercased()] = try Self.values(methodsFolder, file).map {
                let type = ($0["@odata.type"] as? String) ?? ""
                return Method(kind: type.replacingOccurrences(of: "#microsoft.graph.", with: ""), fields: $0,
                              start: Self.date($0["startDateTime"]))
            }
        }

        let read = self
        policies = try Self.values(folder, "conditional-access-policies.json").map { ModelPolicy($0, tenant: read) }

        var groups = Set(groupMembers.keys)
        for members in groupMembers.values { groups.formUnion(members.filter(\.isGroup).map(\.id)) }
        for policy in policies { groups.formUnion(policy.includeGroups + policy.excludeGroups) }
        groupsReachingUnknown = groups.filter(reachesUnknownMembers)
    }

    /// Whether the user's UPN is in a federated domain.
    func isFederated(_ userID: String) -> Bool {
        guard let upn = users[userID]?.userPrincipalName, let domain = upn.split(separator: "@").last else {
            return false
        }
        return federatedDomains.contains(domain.lowercased())
    }

    /// Groups with, somewhere under them, a group whose members are not in the snapshot.
    var groupsReachingUnknown: Set<String> = []

    func reachesUnknownMembers(_ group: String) -> Bool {
        var seen: Set<String> = [group]
        var queue = [group]
        while let next = queue.popLast() {
            guard let members = groupMembers[next] else { return true }
            for member in members where member.isGroup && seen.insert(member.id).inserted { queue.append(member.id) }
        }
        return false
    }

    /// Every group the principal is in, directly or through nested groups (cycles allowed).
    func groups(containing principal: String) -> Set<String> {
        var found: Set<String> = []
        var queue = [principal]
        while let next = queue.popLast() {
            for group in directGroupsOfPrincipal[next] ?? [] where found.insert(group).inserted { queue.append(group) }
        }
        return found
    }

    // MARK: - Reading JSON

    static func object(_ folder: URL, _ name: String) throws -> [String: Any]? {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    }

    static func values(_ folder: URL, _ name: String, optional: Bool = false) throws -> [[String: Any]] {
        let url = folder.appendingPathComponent(name)
        if optional, !FileManager.default.fileExists(atPath: url.path) { return [] }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return ((json as? [String: Any])?["value"] as? [[String: Any]]) ?? []
    }

    /// A string collection; `null`, absent or a wrong type read as empty.
    static func strings(_ value: Any?) -> [String] { (value as? [Any])?.compactMap { $0 as? String } ?? [] }

    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        return (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    static func strength(_ json: [String: Any]) -> Strength? {
        guard let id = (json["id"] as? String)?.lowercased() else { return nil }
        var allowed: [String: [String]] = [:]
        for configuration in (json["combinationConfigurations"] as? [[String: Any]]) ?? []
        where (configuration["@odata.type"] as? String) == "#microsoft.graph.fido2CombinationConfiguration" {
            let guids = strings(configuration["allowedAAGUIDs"]).map { $0.lowercased() }
            for combination in strings(configuration["appliesToCombinations"]) {
                allowed[combination, default: []].append(contentsOf: guids)
            }
        }
        return Strength(id: id, displayName: (json["displayName"] as? String) ?? id,
                        isBuiltIn: (json["policyType"] as? String) == "builtIn",
                        allowedCombinations: strings(json["allowedCombinations"]), allowedAAGUIDs: allowed)
    }
}

/// A Conditional Access policy's conditions and controls, read from Graph's JSON
/// (Learn, Graph `conditionalAccessPolicy` and its `conditionalAccess*` types). A class: read once, shared by every
/// evaluation.
final class ModelPolicy {
    struct Guests {
        var types: [String]
        var allTenants: Bool
    }

    var id: String
    var displayName: String
    var state: String
    var raw: [String: Any]

    var includeUsers: [String] = []
    var excludeUsers: [String] = []
    var includeGroups: [String] = []
    var excludeGroups: [String] = []
    var includeRoles: [String] = []
    var excludeRoles: [String] = []
    var includeGuests: Guests?
    var excludeGuests: Guests?

    var includeApplications: [String] = []
    var excludeApplications: [String] = []
    var includeUserActions: [String] = []
    var includeAuthenticationContexts: [String] = []

    var clientAppTypes: [String] = []
    /// nil when the policy has no `platforms` condition.
    var includePlatforms: [String]?
    var excludePlatforms: [String] = []
    var includeLocations: [String]?
    var excludeLocations: [String] = []
    var userRiskLevels: [String] = []
    var signInRiskLevels: [String] = []
    /// Flags, comma-joined in Graph (`"minor,moderate"`); empty when null.
    var insiderRiskLevels: [String] = []
    /// `authenticationFlows.transferMethods` without `none` (Learn, `conditionalAccessAuthenticationFlows`: "the
    /// transfer methods in scope for the policy"; `none` puts none in scope, so every sign-in matches).
    var transferMethods: [String] = []
    var deviceFilter: (mode: String, rule: String)?
    /// The filter's rule, parsed once; nil when the model's parser does not understand it.
    var deviceRule: ModelDeviceRule?

    var hasGrantControls = false
    var operatorIsAND = false
    var builtInControls: [String] = []
    var termsOfUse: [String] = []
    var strength: ModelTenant.Strength?

    init(_ json: [String: Any], tenant: ModelTenant) {
        raw = json
        id = ((json["id"] as? String) ?? "").lowercased()
        displayName = (json["displayName"] as? String) ?? id
        state = (json["state"] as? String) ?? ""
        let conditions = (json["conditions"] as? [String: Any]) ?? [:]

        let users = (conditions["users"] as? [String: Any]) ?? [:]
        includeUsers = ModelTenant.strings(users["includeUsers"])
        excludeUsers = ModelTenant.strings(users["excludeUsers"])
        includeGroups = ModelTenant.strings(users["includeGroups"]).map { $0.lowercased() }
        excludeGroups = ModelTenant.strings(users["excludeGroups"]).map { $0.lowercased() }
        includeRoles = ModelTenant.strings(users["includeRoles"]).map { $0.lowercased() }
        excludeRoles = ModelTenant.strings(users["excludeRoles"]).map { $0.lowercased() }
        includeGuests = Self.guests(users["includeGuestsOrExternalUsers"])
        excludeGuests = Self.guests(users["excludeGuestsOrExternalUsers"])

        let applications = (conditions["applications"] as? [String: Any]) ?? [:]
        includeApplications = ModelTenant.strings(applications["includeApplications"])
        excludeApplications = ModelTenant.strings(applications["excludeApplications"])
        includeUserActions = ModelTenant.strings(applications["includeUserActions"])
        includeAuthenticationContexts = ModelTenant.strings(
            applications["includeAuthenticationContextClassReferences"])

        clientAppTypes = ModelTenant.strings(conditions["clientAppTypes"])
        if let platforms = conditions["platforms"] as? [String: Any] {
            includePlatforms = ModelTenant.strings(platforms["includePlatforms"])
            excludePlatforms = ModelTenant.strings(platforms["excludePlatforms"])
        }
        if let locations = conditions["locations"] as? [String: Any] {
            includeLocations = ModelTenant.strings(locations["includeLocations"])
            excludeLocations = ModelTenant.strings(locations["excludeLocations"])
        }
        userRiskLevels = ModelTenant.strings(conditions["userRiskLevels"])
        signInRiskLevels = ModelTenant.strings(conditions["signInRiskLevels"])
        insiderRiskLevels = Self.flags(conditions["insiderRiskLevels"])
        if let flows = conditions["authenticationFlows"] as? [String: Any] {
            transferMethods = Self.flags(flows["transferMethods"]).filter { $0 != "none" }
        }
        if let devices = conditions["devices"] as? [String: Any],
           let filter = devices["deviceFilter"] as? [String: Any],
           let rule = filter["rule"] as? String {
            deviceFilter = ((filter["mode"] as? String) ?? "include", rule)
            deviceRule = try? ModelDeviceRule.parse(rule)
        }

        if let grant = json["grantControls"] as? [String: Any] {
            hasGrantControls = true
            operatorIsAND = (grant["operator"] as? String)?.uppercased() == "AND"
            builtInControls = ModelTenant.strings(grant["builtInControls"])
            termsOfUse = ModelTenant.strings(grant["termsOfUse"])
            if let strength = grant["authenticationStrength"] as? [String: Any] {
                // The policy embeds the strength; the tenant's list has the same object (and the built-in ones).
                let embedded = ModelTenant.strength(strength)
                self.strength = embedded.flatMap { tenant.strengths[$0.id] } ?? embedded
            }
        }
    }

    static func guests(_ value: Any?) -> Guests? {
        guard let json = value as? [String: Any] else { return nil }
        let types = flags(json["guestOrExternalUserTypes"]).filter { $0 != "none" }
        guard !types.isEmpty else { return nil }
        let tenants = json["externalTenants"] as? [String: Any]
        let allTenants = (tenants?["membershipKind"] as? String) != "enumerated"
        return Guests(types: types, allTenants: allTenants)
    }

    /// A Graph flags enum: a comma-joined string (`"deviceCodeFlow,authenticationTransfer"`).
    static func flags(_ value: Any?) -> [String] {
        guard let text = value as? String else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// An IPv4 or IPv6 CIDR range, compared as 128-bit numbers (IPv4 as itself, IPv6 as itself; no mapping between).
struct ModelIPRange: CustomStringConvertible {
    var isIPv6: Bool
    var network: [UInt8]
    var prefix: Int

    init?(cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), let address = ModelIPAddress(String(parts[0])) else {
            return nil
        }
        guard prefix >= 0, prefix <= address.bytes.count * 8 else { return nil }
        isIPv6 = address.isIPv6
        network = address.bytes
        self.prefix = prefix
    }

    func contains(_ address: ModelIPAddress) -> Bool {
        guard address.isIPv6 == isIPv6 else { return false }
        for bit in 0..<prefix {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if address.bytes[bit / 8] & mask != network[bit / 8] & mask { return false }
        }
        return true
    }

    var description: String { "\(ModelIPAddress(bytes: network, isIPv6: isIPv6))/\(prefix)" }
}

/// An address parsed by the model's own small parser (dotted quad, or IPv6 with one `::`).
struct ModelIPAddress: CustomStringConvertible {
    var bytes: [UInt8]
    var isIPv6: Bool

    init(bytes: [UInt8], isIPv6: Bool) {
        self.bytes = bytes
        self.isIPv6 = isIPv6
    }

    init?(_ text: String) {
        if text.contains(":") {
            let halves = text.components(separatedBy: "::")
            guard halves.count <= 2 else { return nil }
            func groups(_ part: String) -> [UInt16]? {
                if part.isEmpty { return [] }
                var result: [UInt16] = []
                for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                    guard piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
                return result
            }
            guard let head = groups(halves[0]) else { return nil }
            let tail = halves.count == 2 ? groups(halves[1]) : []
            guard let tail else { return nil }
            let missing = 8 - head.count - tail.count
            guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
            let all = head + Array(repeating: 0, count: missing) + tail
            bytes = all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            isIPv6 = true
        } else {
            let octets = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
            guard octets.count == 4, octets.allSatisfy({ $0 != nil }) else { return nil }
            bytes = octets.compactMap { $0 }
            isIPv6 = false
        }
    }

    /// Dotted quad, or IPv6 compressed as people and Graph write it (RFC 5952: the longest run of two or more zero
    /// groups becomes `::`).
    var description: String {
        if !isIPv6 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > best.length { best = (index, end - index) }
            index = end
        }
        let text = { (range: ArraySlice<UInt16>) in range.map { String($0, radix: 16) }.joined(separator: ":") }
        guard best.length >= 2 else { return text(groups[...]) }
        return text(groups[..<best.start]) + "::" + text(groups[(best.start + best.length)...])
    }
}

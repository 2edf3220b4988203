import EntraModel
import Foundation

/// A deterministic synthetic tenant for benchmarks: users (admins, guests, synchronized staff, two emergency
/// accounts), nested groups, role assignments with PIM, named locations and a realistic mix of Conditional Access
/// policies — written as a snapshot folder.
public struct SyntheticTenant: Sendable {
    public var users: Int
    public var groups: Int
    public var policies: Int
    public var seed: UInt64
    public var shape: Shape
    /// Service principals with Microsoft Graph permissions and owners (0: no application files).
    public var servicePrincipals: Int

    public init(users: Int, groups: Int, policies: Int, seed: UInt64 = 42, shape: Shape = .standard,
                servicePrincipals: Int = 0) {
        self.users = max(users, 10)
        self.groups = max(groups, shape.preset == .harsh ? shape.roleGroups + 8 : 4)
        self.policies = max(policies, 1)
        self.seed = seed
        self.shape = shape
        self.servicePrincipals = max(servicePrincipals, 0)
    }

    static let domain = "synthetic.onmicrosoft.com"
    static let capturedAt = "2026-11-20T09:00:00Z"
    static let exclusionGroup = id("e", 0)
    static let roles: [(id: String, name: String)] = [
        (WellKnownRole.globalAdministrator, "Global Administrator"),
        (WellKnownRole.privilegedRoleAdministrator, "Privileged Role Administrator"),
        (WellKnownRole.privilegedAuthenticationAdministrator, "Privileged Authentication Administrator"),
        ("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator"),
        ("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
        ("29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator"),
        ("f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator"),
        ("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator"),
        ("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"),
        ("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"),
    ]

    /// A GUID-shaped id: `kind` in the first group, a counter in the last.
    static func id(_ kind: Character, _ number: Int) -> String {
        let prefix = String(kind.asciiValue ?? 0, radix: 16)
        return "\(prefix)000000-0000-4000-8000-\(String(format: "%012x", number))"
    }

    public func userID(_ index: Int) -> String { Self.id("a", index) }
    public static func emergencyAccountIDs() -> [String] { [id("b", 1), id("b", 2)] }

    /// The snapshot's files, by relative path.
    public func files() -> [String: Data] {
        if shape.preset == .harsh { return harshFiles() }
        var random = SplitMix64(seed: seed)
        var files: [String: Data] = [:]
        func put(_ name: String, _ body: String) { files[name] = Data(body.utf8) }
        func list(_ items: [String]) -> String { "{\"value\":[\n" + items.joined(separator: ",\n") + "\n]}" }

        // Users: index 0 and 1 are the emergency accounts.
        let adminCount = max(4, users / 1000)
        var userRows: [String] = []
        userRows.reserveCapacity(users)
        var adminIDs: [String] = []
        for index in 0..<users {
            let isEmergency = index < 2
            let id = isEmergency ? Self.emergencyAccountIDs()[index] : userID(index)
            let isGuest = !isEmergency && random.chance(shape.guests)
            let synced = !isEmergency && !isGuest && random.chance(shape.synchronized)
            let upn = isEmergency ? "bg-0\(index + 1)@\(Self.domain)"
                : isGuest ? "guest\(index)_partner.example#EXT#@\(Self.domain)"
                : "user\(index)@\(synced ? "synthetic.example" : Self.domain)"
            if !isEmergency && index < adminCount + 2 { adminIDs.append(id) }
            let changed = 1 + Int.random(in: 0..<400, using: &random)
            let signIn = Int.random(in: 0..<60, using: &random)
            userRows.append(
                "{\"id\":\"\(id)\",\"displayName\":\"User \(index)\",\"userPrincipalName\":\"\(upn)\",\"userType\":\"\(isGuest ? "Guest" : "Member")\","
                    + "\"accountEnabled\":\(random.chance(0.97) || isEmergency),\"onPremisesSyncEnabled\":\(synced ? "true" : "null"),"
                    + "\"onPremisesImmutableId\":\(synced ? "\"aW1tdXRhYmxl\(index)\"" : "null"),"
                    + "\"passwordPolicies\":\(isEmergency ? "\"DisablePasswordExpiration\"" : "null"),"
                    + "\"lastPasswordChangeDateTime\":\"\(Self.daysBefore(changed))\",\"createdDateTime\":\"2020-01-01T00:00:00Z\","
                    + "\"signInActivity\":{\"lastSignInDateTime\":\"\(Self.daysBefore(signIn))\",\"lastSuccessfulSignInDateTime\":\"\(Self.daysBefore(signIn))\"},"
                    + "\"assignedLicenses\":\(isEmergency ? "[]" : "[{\"skuId\":\"06ebc4ee-1bb5-47dd-8120-11324bc54e06\",\"disabledPlans\":[]}]")}")
        }
        put("users.json", list(userRows))

        // Groups: a forest (each group's parent is an earlier group, half the time), or each group nesting
        // `shape.nesting` groups created after it; the exclusion group is 0.
        var parent = [Int](repeating: -1, count: groups)
        var groupRows = ["{\"id\":\"\(Self.exclusionGroup)\",\"displayName\":\"CA-Exclude-EmergencyAccess\",\"groupTypes\":[],\"membershipRule\":null,\"isAssignableToRole\":true,\"securityEnabled\":true,\"onPremisesSyncEnabled\":null}"]
        for index in 1..<groups {
            if shape.nesting == nil, index > 10, random.chance(0.5) {
                parent[index] = Int.random(in: 1..<index, using: &random)
            }
            let dynamic = random.chance(0.1)
            groupRows.append("{\"id\":\"\(Self.id("e", index))\",\"displayName\":\"Group \(index)\",\"groupTypes\":\(dynamic ? "[\"DynamicMembership\"]" : "[]"),"
                + "\"membershipRule\":\(dynamic ? "\"(user.department -eq \\\"D\(index)\\\")\"" : "null"),\"isAssignableToRole\":false,\"securityEnabled\":true,\"onPremisesSyncEnabled\":\(random.chance(0.4) ? "true" : "null")}")
        }
        put("groups.json", list(groupRows))
        var children = [[Int]](repeating: [], count: groups)
        for index in 1..<groups where parent[index] > 0 { children[parent[index]].append(index) }
        if let nesting = shape.nesting { children = Self.nestLater(groups: 1..<groups, nesting, random: &random) }
        var members = [[String]](repeating: [], count: groups)
        members[0] = Self.emergencyAccountIDs().map { "{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"\($0)\"}" }
        for index in 1..<groups {
            for child in children[index] {
                members[index].append("{\"@odata.type\":\"#microsoft.graph.group\",\"id\":\"\(Self.id("e", child))\"}")
            }
        }
        for index in 2..<users {
            for _ in 0..<2 {
                let group = Int.random(in: 1..<groups, using: &random)
                members[group].append("{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"\(userID(index))\"}")
            }
        }

        // Policies refer to a few hundred groups; the snapshot holds members for those and everything nested in them.
        let referenced = (0..<min(groups - 1, shape.policyGroups)).map { _ in Int.random(in: 1..<groups, using: &random) }
        var policyRows: [String] = []
        for index in 0..<policies {
            policyRows.append(policy(index, random: &random, referencedGroups: referenced))
        }
        put("conditional-access-policies.json", list(policyRows))
        Self.closeCycles(shape.cycles, children: &children, members: &members, random: &random)
        var withMembers: Set<Int> = [0]
        var queue = referenced
        while let group = queue.popLast() {
            guard withMembers.insert(group).inserted else { continue }
            queue.append(contentsOf: children[group])
        }
        withMembers.subtract(Self.unknownGroups(shape.unknownGroups, referenced: referenced))
        for group in withMembers.sorted() { put("group-members/\(Self.id("e", group)).json", list(members[group])) }

        // Roles: emergency accounts permanent Global Administrators; admins spread over roles, some through PIM.
        put("role-definitions.json", list(Self.roles.map {
            "{\"id\":\"\($0.id)\",\"displayName\":\"\($0.name)\",\"templateId\":\"\($0.id)\",\"isBuiltIn\":true}"
        }))
        var assignments: [String] = []
        var instances: [String] = []
        var eligible: [String] = []
        func assign(_ principal: String, _ role: String, _ n: Int) {
            assignments.append("{\"id\":\"ra-\(n)\",\"principalId\":\"\(principal)\",\"roleDefinitionId\":\"\(role)\",\"directoryScopeId\":\"/\"}")
            instances.append("{\"id\":\"ri-\(n)\",\"principalId\":\"\(principal)\",\"roleDefinitionId\":\"\(role)\",\"directoryScopeId\":\"/\",\"assignmentType\":\"Assigned\",\"memberType\":\"Direct\",\"startDateTime\":\"2024-01-01T00:00:00Z\",\"endDateTime\":null}")
        }
        for (n, id) in Self.emergencyAccountIDs().enumerated() { assign(id, WellKnownRole.globalAdministrator, n) }
        for (n, id) in adminIDs.enumerated() {
            let role = n < 4 ? WellKnownRole.globalAdministrator : random.pick(Self.roles).id
            if random.chance(0.5) {
                eligible.append("{\"id\":\"re-\(n)\",\"principalId\":\"\(id)\",\"roleDefinitionId\":\"\(role)\",\"directoryScopeId\":\"/\",\"memberType\":\"Direct\",\"status\":\"Provisioned\",\"scheduleInfo\":{\"startDateTime\":\"2025-01-01T00:00:00Z\",\"expiration\":{\"type\":\"noExpiration\",\"endDateTime\":null}}}")
            } else {
                assign(id, role, n + 10)
            }
        }
        put("role-assignments.json", list(assignments))
        put("role-assignment-schedule-instances.json", list(instances))
        put("role-eligibility-schedules.json", list(eligible))

        putCommonFiles(into: &files, administrators: adminIDs)
        return files
    }

    /// The files every shape shares: organization, domains, named locations, security defaults, the emergency
    /// accounts' methods and sign-ins, the applications (`servicePrincipals`, owned by `administrators` and early
    /// users; their own random stream), the manifest. No random draws of the shape's stream.
    func putCommonFiles(into files: inout [String: Data], administrators adminIDs: [String] = []) {
        func put(_ name: String, _ body: String) { files[name] = Data(body.utf8) }
        func list(_ items: [String]) -> String { "{\"value\":[\n" + items.joined(separator: ",\n") + "\n]}" }
        put("organization.json", list(["{\"id\":\"\(Self.id("f", 1))\",\"displayName\":\"Synthetic\",\"verifiedDomains\":[{\"name\":\"\(Self.domain)\",\"isInitial\":true,\"isDefault\":false,\"type\":\"Managed\"},{\"name\":\"synthetic.example\",\"isInitial\":false,\"isDefault\":true,\"type\":\"Federated\"}]}"]))
        put("domains.json", list([
            "{\"id\":\"\(Self.domain)\",\"authenticationType\":\"Managed\",\"isInitial\":true,\"isDefault\":false,\"isVerified\":true,\"passwordValidityPeriodInDays\":2147483647}",
            "{\"id\":\"synthetic.example\",\"authenticationType\":\"Federated\",\"isInitial\":false,\"isDefault\":true,\"isVerified\":true,\"passwordValidityPeriodInDays\":2147483647}",
        ]))
        var locations: [String] = []
        for index in 0..<40 {
            let v6 = index % 5 == 4
            let cidr = v6 ? "2001:db8:\(String(index, radix: 16))::/48" : "10.\(index).0.0/16"
            locations.append("{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"id\":\"\(Self.id("c", index))\",\"displayName\":\"Site \(index)\",\"isTrusted\":\(index < 5),\"ipRanges\":[{\"@odata.type\":\"#microsoft.graph.\(v6 ? "iPv6" : "iPv4")CidrRange\",\"cidrAddress\":\"\(cidr)\"}]}")
        }
        locations.append("{\"@odata.type\":\"#microsoft.graph.countryNamedLocation\",\"id\":\"\(Self.id("c", 100))\",\"displayName\":\"Blocked countries\",\"countriesAndRegions\":[\"KP\",\"IR\",\"RU\"],\"includeUnknownCountriesAndRegions\":true}")
        put("named-locations.json", list(locations))
        put("security-defaults.json", "{\"id\":\"00000000-0000-0000-0000-000000000005\",\"isEnabled\":false}")
        for id in Self.emergencyAccountIDs() {
            put("authentication-methods/\(id).json", list([
                "{\"@odata.type\":\"#microsoft.graph.passwordAuthenticationMethod\",\"id\":\"28c10230-6103-485e-b985-444c60001490\"}",
                "{\"@odata.type\":\"#microsoft.graph.fido2AuthenticationMethod\",\"id\":\"f1\",\"displayName\":\"YubiKey\"}",
            ]))
        }
        put("sign-ins.json", list(Self.emergencyAccountIDs().map {
            "{\"id\":\"s-\($0)\",\"createdDateTime\":\"\(Self.daysBefore(20))\",\"userId\":\"\($0)\",\"appDisplayName\":\"Azure Portal\",\"isInteractive\":true,\"status\":{\"errorCode\":0}}"
        }))
        if servicePrincipals > 0 {
            var applicationRandom = SplitMix64(seed: seed &+ 15)
            addApplications(to: &files, random: &applicationRandom, owners: adminIDs + (2..<min(users, 1000)).map(userID))
        }
        put("manifest.json", "{\"tenantId\":\"\(Self.id("f", 1))\",\"cloud\":\"global\",\"capturedAt\":\"\(Self.capturedAt)\",\"capturedBy\":\"breakglass bench generate\"}")
    }

    /// One policy of the mix: admin MFA by role, all-users MFA, legacy block, device compliance, location, risk,
    /// session-only, guest MFA, app-specific — most excluding the exclusion group, some report-only or disabled.
    /// `users`, when given, replaces the users condition.
    func policy(_ index: Int, random: inout SplitMix64, referencedGroups: [Int], users: String? = nil) -> String {
        let kind = index % 10
        let state = index % 13 == 12 ? "disabled" : (index % 7 == 6 ? "enabledForReportingButNotEnforced" : "enabled")
        var excludeGroups = random.chance(0.9) ? ["\"\(Self.exclusionGroup)\""] : []
        if random.chance(0.3) { excludeGroups.append("\"\(Self.id("e", random.pick(referencedGroups)))\"") }
        var includeUsers = "[\"All\"]"
        var includeGroups = "[]"
        var includeRoles = "[]"
        var applications = "[\"All\"]"
        var clientAppTypes = "[\"all\"]"
        var locations = "null"
        var userRisk = "[]"
        var signInRisk = "[]"
        var devices = "null"
        var guests = "null"
        var grant = "{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"],\"customAuthenticationFactors\":[],\"termsOfUse\":[]}"
        var session = "null"
        switch kind {
        case 0:
            includeUsers = "[]"
            includeRoles = "[" + Self.roles.prefix(6).map { "\"\($0.id)\"" }.joined(separator: ",") + "]"
        case 1:
            clientAppTypes = "[\"exchangeActiveSync\",\"other\"]"
            grant = "{\"operator\":\"OR\",\"builtInControls\":[\"block\"]}"
        case 2:
            includeUsers = "[]"
            includeGroups = "[\"\(Self.id("e", random.pick(referencedGroups)))\"]"
            grant = "{\"operator\":\"OR\",\"builtInControls\":[\"compliantDevice\",\"domainJoinedDevice\"]}"
        case 3:
            locations = "{\"includeLocations\":[\"All\"],\"excludeLocations\":[\"AllTrusted\"]}"
        case 4:
            locations = "{\"includeLocations\":[\"\(Self.id("c", 100))\"],\"excludeLocations\":[]}"
            grant = "{\"operator\":\"OR\",\"builtInControls\":[\"block\"]}"
        case 5:
            signInRisk = "[\"high\",\"medium\"]"
        case 6:
            userRisk = "[\"high\"]"
            grant = "{\"operator\":\"AND\",\"builtInControls\":[\"mfa\",\"passwordChange\"]}"
        case 7:
            grant = "null"
            session = "{\"signInFrequency\":{\"value\":12,\"type\":\"hours\",\"isEnabled\":true},\"persistentBrowser\":null}"
            applications = "[\"Office365\"]"
        case 8:
            includeUsers = "[]"
            guests = "{\"guestOrExternalUserTypes\":\"b2bCollaborationGuest,b2bCollaborationMember\",\"externalTenants\":{\"@odata.type\":\"#microsoft.graph.conditionalAccessAllExternalTenants\",\"membershipKind\":\"all\"}}"
        default:
            applications = "[\"MicrosoftAdminPortals\"]"
            devices = "{\"deviceFilter\":{\"mode\":\"exclude\",\"rule\":\"device.extensionAttribute1 -eq \\\"SAW\\\" -and device.trustType -eq \\\"AzureAD\\\"\"}}"
            grant = "{\"operator\":\"OR\",\"builtInControls\":[],\"authenticationStrength\":{\"id\":\"00000000-0000-0000-0000-000000000004\",\"displayName\":\"Phishing-resistant MFA\",\"policyType\":\"builtIn\",\"allowedCombinations\":[\"windowsHelloForBusiness\",\"fido2\",\"x509CertificateMultiFactor\"]}}"
        }
        return "{\"id\":\"\(Self.id("d", index))\",\"displayName\":\"SYN\(String(format: "%03d", index)) policy kind \(kind)\",\"state\":\"\(state)\","
            + "\"createdDateTime\":\"2024-05-01T00:00:00Z\",\"modifiedDateTime\":null,\"conditions\":{"
            + "\"users\":" + (users ?? "{\"includeUsers\":\(includeUsers),\"excludeUsers\":[],\"includeGroups\":\(includeGroups),\"excludeGroups\":[\(excludeGroups.joined(separator: ","))],"
            + "\"includeRoles\":\(includeRoles),\"excludeRoles\":[],\"includeGuestsOrExternalUsers\":\(guests),\"excludeGuestsOrExternalUsers\":null}") + ","
            + "\"applications\":{\"includeApplications\":\(applications),\"excludeApplications\":[],\"includeUserActions\":[],\"includeAuthenticationContextClassReferences\":[],\"applicationFilter\":null},"
            + "\"clientAppTypes\":\(clientAppTypes),\"platforms\":null,\"locations\":\(locations),\"userRiskLevels\":\(userRisk),\"signInRiskLevels\":\(signInRisk),"
            + "\"servicePrincipalRiskLevels\":[],\"insiderRiskLevels\":null,\"clientApplications\":null,\"devices\":\(devices)},"
            + "\"grantControls\":\(grant),\"sessionControls\":\(session)}"
    }

    static func daysBefore(_ days: Int) -> String {
        days < dayStamps.count ? dayStamps[days] : GraphDate.format(capture.addingTimeInterval(-Double(days) * 86_400))
    }

    private static let capture = GraphDate.parse(capturedAt) ?? Date(timeIntervalSince1970: 0)
    private static let dayStamps = (0..<500).map { GraphDate.format(capture.addingTimeInterval(-Double($0) * 86_400)) }

    /// The configuration naming the synthetic emergency accounts and exclusion group.
    public static var configuration: String {
        "emergencyAccounts:\n" + emergencyAccountIDs().map { "  - id: \($0)\n" }.joined() + "exclusionGroup: \(exclusionGroup)\n"
    }
}

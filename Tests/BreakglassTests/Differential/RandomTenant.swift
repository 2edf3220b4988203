import Foundation

@testable import Bench

/// A seeded generator of random tenants, written as a snapshot folder of Graph JSON (spec/snapshot.md: the same file
/// names, `{"value": [...]}` lists, `null` where Graph sends null, `@odata.type` where Graph sends it), and of
/// sign-ins to evaluate against them. Same seed, same bytes.
///
/// What it exercises: nested groups (with a cycle and a group whose members file is missing), roles at several scopes
/// (directory, administrative unit, object), custom roles, PIM schedule instances with past, current and future
/// windows, eligibility, guests, local guests and B2B collaboration members, IPv4/IPv6 and country named locations
/// (trusted, unknown countries), device filters, built-in and custom authentication strengths with FIDO2 key
/// restrictions, registered methods (Authenticator with and without phone sign-in, temporary access passes in every
/// state, certificates through `authorizationInfo`), security defaults on and off, and policies of every condition
/// kind and grant control. Like real Graph exports it has `null` where a value is not set (`userType`,
/// `isUsableOnce`, `authorizationInfo`, conditions), empty lists, evolvable enums' `unknownFutureValue` and method
/// types newer than the reader, a cycle in group nesting, and ids of deleted objects (a group member, and a user, a
/// group and a named location that policies still name).
struct RandomTenant {
    static let capturedAt = Date(timeIntervalSince1970: 1_793_523_600)  // 2026-11-01T09:00:00Z
    /// Users of this domain sign in at a federation service (the federated strength combinations are theirs).
    static let federatedDomain = "fed.contoso.com"

    let folder: URL
    /// The evaluation time: the capture time, or later (an `--as-of` after time-bound assignments ended).
    let now: Date
    let userIDs: [String]
    private var rng: SplitMix64
    private let locations: [[String: Any]]
    private let filterValues: [String: [String]]

    // MARK: - Well-known values

    static let builtInRoles: [(id: String, name: String)] = [
        ("62e90394-69f5-4237-9190-012177145e10", "Global Administrator"),
        ("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator"),
        ("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
        ("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"),
        ("0526716b-113d-4c15-b2c8-68e3c22b9f80", "Authentication Policy Administrator"),
        ("45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", "Identity Governance Administrator"),
        ("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator"),
        // Not in security defaults' list:
        ("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"),
        ("3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator"),
        ("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers"),
    ]
    static let aaguids = ["cb69481e-8ff7-4039-93ec-0a2729a154a8", "ee882879-721c-4913-9775-3dfcce97072a",
                          "2fc0579f-8113-47ea-b116-bb5a8db9202a"]
    static let resources = [ModelAliases.azurePortal, ModelAliases.azureManagement, ModelAliases.m365AdminCenter,
                            ModelAliases.graph, ModelAliases.exchangeOnline, ModelAliases.sharePointOnline,
                            ModelAliases.teams, ModelAliases.azureCLI, "9d3e55ba-79e0-4b7c-af50-dc460b81dca1"]
    static let clientApps = ["browser", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"]
    static let platforms = ["android", "iOS", "windows", "windowsPhone", "macOS", "linux", "unknown"]
    static let capabilities = ["mfa", "phishingResistantMfa", "compliantDevice", "domainJoinedDevice",
                               "approvedApplication", "compliantApplication", "passwordChange", "termsOfUse"]
    static let countries = ["US", "GB", "DE", "FR", "JP", "BR", "IN", "CA"]
    /// Device filter properties and the operators Learn lists for each ("filter for devices").
    static let stringOperators = ["-eq", "-ne", "-startsWith", "-notStartsWith", "-endsWith", "-notEndsWith",
                                  "-contains", "-notContains", "-in", "-notIn"]
    static let filterProperties: [String: [String]] = {
        var properties: [String: [String]] = [
            "trustType": ["-eq", "-ne"], "isCompliant": ["-eq", "-ne"], "deviceOwnership": ["-eq", "-ne"],
            "profileType": ["-eq", "-ne"], "deviceId": ["-eq", "-ne", "-in", "-notIn"],
            "mdmAppId": ["-eq", "-ne", "-in", "-notIn"], "operatingSystem": stringOperators,
            "operatingSystemVersion": stringOperators, "displayName": stringOperators, "model": stringOperators,
            "manufacturer": stringOperators, "enrollmentProfileName": stringOperators,
            "physicalIds": ["-contains", "-notContains"], "systemLabels": ["-contains", "-notContains"],
        ]
        for index in [1, 2, 3, 15] { properties["extensionAttribute\(index)"] = stringOperators }
        return properties
    }()

    // MARK: - Writing a tenant

    /// Writes a random tenant into `folder` (created) and returns it ready to draw sign-ins from. `variant` picks
    /// the tenant-wide switches in turn, so that a few tenants already cover them all: security defaults on (1 in 4),
    /// no PIM schedule instances (1 in 3), an evaluation time after the capture (1 in 3).
    init(seed: UInt64, variant: Int, folder: URL) throws {
        self.folder = folder
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 17)
        now = variant % 3 == 1
            ? Self.capturedAt.addingTimeInterval(Double(Int.random(in: 1...12, using: &rng)) * 86_400) : Self.capturedAt
        filterValues = [
            "trustType": ["AzureAD", "ServerAD", "Workplace"], "isCompliant": ["True", "False"],
            "deviceOwnership": ["Company", "Personal"], "profileType": ["RegisteredDevice", "SecureVM", "Shared"],
            "deviceId": ["5e0b9a48-0f39-4c8e-9a52-3a2d0e5b1c11", "a7d1c2e3-4b5f-4a6b-8c7d-9e0f1a2b3c4d"],
            "mdmAppId": ["0000000a-0000-0000-c000-000000000000", "54b943f8-d761-4f8d-951e-9cea1846db5a"],
            "operatingSystem": ["Windows", "iOS", "Android", "MacMDM"],
            "operatingSystemVersion": ["10.0.19045", "10.0.22631", "17.4.1"],
            "displayName": ["SAW-01", "LAPTOP-42", "saw-kiosk"], "model": ["Surface Pro 9", "iPhone 15", "Pixel 8"],
            "manufacturer": ["Microsoft", "Apple", "Google"], "enrollmentProfileName": ["AutoPilot Profile", "Kiosk"],
            "physicalIds": ["[ZTDId]:1234"], "systemLabels": ["M365Managed", "AzureResource"],
            "extensionAttribute1": ["SAW", "PAW", "Kiosk"], "extensionAttribute2": ["SAW", "TeamsPhoneDevice"],
            "extensionAttribute3": ["Tier0"], "extensionAttribute15": ["SAW", "Lab"],
        ]
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let writer = Writer(folder: folder)
        let tenantID = rng.guid()
        let securityDefaults = variant % 4 == 1

        // Users: members, B2B collaboration guests, local guests and B2B collaboration members.
        var users: [[String: Any]] = []
        for index in 0..<Int.random(in: 14...26, using: &rng) {
            users.append(Self.user(index: index, rng: &rng))
        }
        let userIDs = users.compactMap { $0["id"] as? String }
        self.userIDs = userIDs

        // Groups: ordinary ones nested (a DAG plus one cycle), role-assignable ones holding users only.
        var groups: [[String: Any]] = []
        var members: [String: [(id: String, isGroup: Bool)]] = [:]
        let groupCount = Int.random(in: 6...10, using: &rng)
        for index in 0..<groupCount {
            let id = rng.guid()
            let roleAssignable = index >= groupCount - 2
            groups.append([
                "id": id, "displayName": roleAssignable ? "Role group \(index)" : "Group \(index)",
                "groupTypes": [String](), "membershipRule": NSNull(), "membershipRuleProcessingState": NSNull(),
                "isAssignableToRole": roleAssignable ? true : orNull(rng.chance(0.5) ? false : nil),
                "securityEnabled": true, "onPremisesSyncEnabled": NSNull(),
            ])
            members[id] = rng.sample(userIDs, in: 0...4).map { ($0, false) }
        }
        let groupIDs = groups.compactMap { $0["id"] as? String }
        let ordinary = Array(groupIDs.dropLast(2))
        for (index, group) in ordinary.enumerated() where index > 0 && rng.chance(0.6) {
            // Nest an earlier group inside a later one, so membership is transitive over several levels.
            members[group, default: []].append((ordinary[Int.random(in: 0..<index, using: &rng)], true))
        }
        if ordinary.count >= 3 {
            // A cycle: the first group contains the third, which (through nesting) may contain the first.
            members[ordinary[0], default: []].append((ordinary[2], true))
            members[ordinary[2], default: []].append((ordinary[0], true))
        }
        // A member deleted since it was added: Graph no longer lists it among the users.
        if let first = ordinary.first { members[first, default: []].append((rng.guid(), false)) }
        // One group's members are not in the snapshot (its file is missing).
        let unknownGroup = ordinary.last
        try writer.write("groups.json", groups)
        for (group, list) in members where group != unknownGroup {
            try writer.write("group-members/\(group).json", list.map { member in
                ["@odata.type": member.isGroup ? "#microsoft.graph.group" : "#microsoft.graph.user", "id": member.id]
            })
        }

        // Roles: built-in (id == templateId) and custom definitions.
        var definitions = Self.builtInRoles.map { role -> [String: Any] in
            ["id": role.id, "displayName": role.name, "templateId": role.id, "isBuiltIn": true, "isEnabled": true]
        }
        let customRoles = [rng.guid(), rng.guid()]
        for (index, id) in customRoles.enumerated() {
            definitions.append(["id": id, "displayName": "Custom role \(index)", "templateId": id,
                                "isBuiltIn": false, "isEnabled": true])
        }
        try writer.write("role-definitions.json", definitions)
        let roleIDs = Self.builtInRoles.map(\.id) + customRoles
        let principals = userIDs + Array(groupIDs.suffix(2))
        var instances: [[String: Any]] = []
        for index in 0..<Int.random(in: 10...18, using: &rng) {
            let scope = rng.chance(0.72) ? "/" : (rng.chance(0.6) ? "/administrativeUnits/\(rng.guid())" : "/\(rng.guid())")
            let days = { (range: ClosedRange<Int>, rng: inout SplitMix64) in
                Self.capturedAt.addingTimeInterval(Double(Int.random(in: range, using: &rng)) * 86_400)
            }
            var start = days(-400 ... -1, &rng)
            var end: Date?
            var assignmentType = "Assigned"
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5: break  // permanent
            case 5, 6: end = days(1...20, &rng); assignmentType = rng.chance(0.5) ? "Activated" : "Assigned"
            case 7: end = days(-30 ... -1, &rng); assignmentType = "Activated"  // ended before the capture
            case 8: start = days(1...10, &rng); end = days(11...40, &rng)  // scheduled, not yet started
            default: end = days(1...3, &rng); assignmentType = "Activated"  // ends soon: after an --as-of later
            }
            instances.append([
                "id": "instance-\(index)", "principalId": rng.pick(principals), "roleDefinitionId": rng.pick(roleIDs),
                "directoryScopeId": scope, "appScopeId": NSNull(), "assignmentType": assignmentType,
                "memberType": "Direct", "startDateTime": Self.timestamp(start),
                "endDateTime": orNull(end.map(Self.timestamp)),
            ])
        }
        for (index, role) in customRoles.enumerated() {
            // Custom roles at directory scope, which Conditional Access does not honour.
            instances.append([
                "id": "instance-custom-\(index)", "principalId": rng.pick(userIDs), "roleDefinitionId": role,
                "directoryScopeId": "/", "appScopeId": NSNull(), "assignmentType": "Assigned", "memberType": "Direct",
                "startDateTime": Self.timestamp(Self.capturedAt.addingTimeInterval(-86_400)), "endDateTime": NSNull(),
            ])
        }
        let hasInstances = variant % 3 != 2
        // Graph's role assignments are the assignments active when captured.
        let assignments = instances.filter { instance in
            !hasInstances || Self.isActive(instance, at: Self.capturedAt)
        }.map { instance -> [String: Any] in
            ["id": "assignment-\(instance["id"] ?? "")", "principalId": instance["principalId"] ?? "",
             "roleDefinitionId": instance["roleDefinitionId"] ?? "", "directoryScopeId": instance["directoryScopeId"] ?? "/"]
        }
        try writer.write("role-assignments.json", assignments)
        if hasInstances {
            try writer.write("role-assignment-schedule-instances.json", instances)
            try writer.write("role-eligibility-schedules.json", (0..<3).map { index -> [String: Any] in
                ["id": "eligible-\(index)", "principalId": rng.pick(userIDs), "roleDefinitionId": rng.pick(roleIDs),
                 "directoryScopeId": "/", "memberType": "Direct", "status": "Provisioned",
                 "scheduleInfo": ["startDateTime": Self.timestamp(Self.capturedAt.addingTimeInterval(-86_400)),
                                  "expiration": ["type": "noExpiration", "endDateTime": NSNull()]]]
            })
        }

        // Named locations of every kind.
        var locations: [[String: Any]] = []
        for index in 0..<Int.random(in: 3...6, using: &rng) {
            let id = rng.guid()
            if rng.chance(0.6) {
                var ranges: [[String: Any]] = []
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let v6 = rng.chance(0.3)
                    let prefix = v6 ? rng.pick([16, 32, 48, 64, 127, 128]) : rng.pick([9, 16, 24, 28, 30, 31, 32])
                    ranges.append(["@odata.type": v6 ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange",
                                   "cidrAddress": Self.randomRange(v6: v6, prefix: prefix, rng: &rng).description])
                }
                locations.append(["@odata.type": "#microsoft.graph.ipNamedLocation", "id": id,
                                  "displayName": "Office \(index)", "createdDateTime": Self.timestamp(Self.capturedAt),
                                  "modifiedDateTime": NSNull(), "isTrusted": rng.chance(0.5), "ipRanges": ranges])
            } else {
                locations.append(["@odata.type": "#microsoft.graph.countryNamedLocation", "id": id,
                                  "displayName": "Countries \(index)", "createdDateTime": Self.timestamp(Self.capturedAt),
                                  "modifiedDateTime": NSNull(),
                                  "countriesAndRegions": rng.sample(Self.countries, in: 1...3),
                                  "includeUnknownCountriesAndRegions": rng.chance(0.4),
                                  "countryLookupMethod": "clientIpAddress"])
            }
        }
        try writer.write("named-locations.json", locations)

        // Authentication strengths: the three built-in ones as Graph lists them, and custom ones.
        var strengths = [
            Self.strength(id: "00000000-0000-0000-0000-000000000002", name: "Multifactor authentication",
                          type: "builtIn", combinations: ReferenceModel.multifactorCombinations),
            Self.strength(id: "00000000-0000-0000-0000-000000000003", name: "Passwordless MFA", type: "builtIn",
                          combinations: ReferenceModel.passwordlessCombinations),
            Self.strength(id: "00000000-0000-0000-0000-000000000004", name: "Phishing-resistant MFA",
                          type: "builtIn", combinations: ReferenceModel.phishingResistantCombinations),
        ]
        for index in 0..<Int.random(in: 2...4, using: &rng) {
            var combinations = rng.sample(ReferenceModel.multifactorCombinations.filter { $0 != "fido2" },
                                          count: Int.random(in: 0...3, using: &rng))
            var configurations: [[String: Any]] = []
            if index == 1 {
                // Federated combinations only a federated user can meet, next to ones any user can.
                combinations = ["sms,federatedSingleFactor", "voice,federatedSingleFactor", "federatedMultiFactor",
                                "password,softwareOath"]
            } else if index == 0 || combinations.isEmpty || rng.chance(0.6) {
                combinations.append("fido2")
                if index == 0 || rng.chance(0.7) {
                    configurations.append(["@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
                                           "id": rng.guid(), "appliesToCombinations": ["fido2"],
                                           "allowedAAGUIDs": rng.sample(Self.aaguids, in: 1...2)])
                }
            }
            strengths.append(Self.strength(id: rng.guid(), name: "Custom strength \(index)", type: "custom",
                                           combinations: combinations, configurations: configurations))
        }
        try writer.write("authentication-strengths.json", strengths)

        // Registered methods, for most users.
        for id in userIDs where rng.chance(0.9) {
            try writer.write("authentication-methods/\(id).json", Self.methods(rng: &rng))
        }

        // Policies. With security defaults on, Entra allows no enabled Conditional Access policy (Learn, "Security
        // defaults": organizations that choose Conditional Access must disable them): the others stay report-only.
        var policies: [[String: Any]] = []
        // Policies keep the ids of objects deleted since (Graph does not remove them from the conditions): a user, a
        // group and a named location that the snapshot does not have.
        let context = PolicyContext(userIDs: userIDs + [rng.guid()], groupIDs: groupIDs + [rng.guid()],
                                    roleIDs: roleIDs,
                                    locationIDs: locations.compactMap { $0["id"] as? String } + [rng.guid()],
                                    strengths: strengths)
        for index in 0..<Int.random(in: 10...16, using: &rng) {
            // The first four require what few random policies would: Passwordless, a key-restricted or a federated
            // custom strength, password change on its own.
            let forced: [PolicyGrant] = [.passwordless, .restrictedCustomStrength, .federatedCustomStrength,
                                         .passwordChangeAlone]
            let grant = index < forced.count ? forced[index] : nil
            var policy = Self.policy(index: index, grant: grant, context: context, rng: &rng)
            if securityDefaults, policy["state"] as? String == "enabled" {
                policy["state"] = "enabledForReportingButNotEnforced"
            }
            policies.append(policy)
        }
        try writer.write("conditional-access-policies.json", policies)

        try writer.write("users.json", users)
        try writer.writeObject("security-defaults.json", ["id": "00000000-0000-0000-0000-000000000005",
                                                          "isEnabled": securityDefaults])
        try writer.write("organization.json", [["id": tenantID, "displayName": "Tenant \(seed)",
                                                "countryLetterCode": "US",
                                                "verifiedDomains": [["name": "contoso.onmicrosoft.com",
                                                                     "isInitial": true, "isDefault": true,
                                                                     "type": "Managed"]]]])
        try writer.write("domains.json", [["id": Self.federatedDomain, "authenticationType": "Federated",
                                           "isInitial": false, "isDefault": false, "isVerified": true],
                                          ["id": "contoso.onmicrosoft.com", "authenticationType": "Managed",
                                           "isInitial": true, "isDefault": true, "isVerified": true]])
        try writer.writeObject("manifest.json", ["tenantId": tenantID, "cloud": "global",
                                                 "capturedAt": Self.timestamp(Self.capturedAt),
                                                 "capturedBy": "differential test", "files": [String: Any]()])
        self.locations = locations
        self.rng = rng
    }

    // MARK: - Sign-ins

    /// A random sign-in: every client app, platform, device kind, network, risk and capability set.
    mutating func signIn() -> ModelSignIn {
        var signIn = ModelSignIn(userID: rng.pick(userIDs), resource: rng.pick(Self.resources))
        signIn.clientApp = rng.pick(Self.clientApps)
        signIn.platform = rng.pick(Self.platforms)
        let ipLocations = locations.filter { ($0["@odata.type"] as? String) == "#microsoft.graph.ipNamedLocation" }
        switch Int.random(in: 0..<20, using: &rng) {
        case 0..<7:
            if let location = ipLocations.isEmpty ? nil : rng.pick(ipLocations),
               let ranges = location["ipRanges"] as? [[String: Any]],
               let cidr = rng.pick(ranges)["cidrAddress"] as? String, let range = ModelIPRange(cidr: cidr) {
                signIn.ip = Self.address(in: range, rng: &rng).description
            }
        case 7..<11: signIn.ip = Self.randomRange(v6: false, prefix: 32, rng: &rng).network.map(String.init).joined(separator: ".")
        case 11..<13: signIn.ip = ModelIPAddress(bytes: Self.randomRange(v6: true, prefix: 128, rng: &rng).network, isIPv6: true).description
        default: break
        }
        let countryLocations = locations.compactMap { $0["countriesAndRegions"] as? [String] }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4:
            if !countryLocations.isEmpty {
                let countries = rng.pick(countryLocations)
                signIn.country = rng.pick(countries)
            }
        case 4, 5: signIn.country = rng.pick(Self.countries)
        default: break
        }
        let risks = ["none", "none", "none", "low", "medium", "high"]
        signIn.userRisk = rng.pick(risks)
        signIn.signInRisk = rng.pick(risks)
        signIn.insiderRisk = rng.pick(["none", "none", "minor", "moderate", "elevated"])
        if rng.chance(0.65) {
            var device = ModelDevice(isCompliant: rng.chance(0.4), isHybridJoined: rng.chance(0.25))
            for property in rng.sample(Array(filterValues.keys).sorted(), in: 0...4)
            where property != "physicalIds" && property != "systemLabels" {
                device.properties[property] = rng.pick(filterValues[property] ?? [""])
            }
            signIn.device = device
        }
        if rng.chance(0.5) {
            signIn.capabilities = Set(Self.capabilities.filter { _ in rng.chance(0.35) })
        }
        return signIn
    }

    // MARK: - Pieces

    static func user(index: Int, rng: inout SplitMix64) -> [String: Any] {
        let id = rng.guid()
        let name = "user\(index)"
        var upn = "\(name)@contoso.onmicrosoft.com"
        var userType: Any = "Member"
        var state: Any = NSNull()
        var creation: Any = NSNull()
        switch Int.random(in: 0..<20, using: &rng) {
        case 0..<3:  // B2B collaboration guest
            userType = "Guest"
            upn = "\(name)_fabrikam.com#EXT#@contoso.onmicrosoft.com"
            if rng.chance(0.8) { state = rng.pick(["Accepted", "PendingAcceptance"]); creation = "Invitation" }
        case 3, 4:  // local guest: credentials in this tenant
            userType = "Guest"
        case 5..<8:  // B2B collaboration member, shown in any of the ways Graph can show it
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: upn = "\(name)_fabrikam.com#EXT#@contoso.onmicrosoft.com"
            case 1: creation = "Invitation"
            default: state = "Accepted"; upn = "\(name)_fabrikam.com#EXT#@contoso.onmicrosoft.com"
            }
        case 8, 9: upn = "\(name)@\(federatedDomain)"  // a user of the federated domain
        case 10: userType = NSNull()  // accounts from before userType existed: Graph sends null (a member)
        default: break
        }
        let certificates: Any = rng.chance(0.15) ? ["X509:<PN>\(name)@contoso.com"] : [String]()
        return [
            "id": id, "displayName": name, "userPrincipalName": upn, "userType": userType, "accountEnabled": true,
            "onPremisesSyncEnabled": NSNull(), "onPremisesImmutableId": NSNull(), "passwordPolicies": NSNull(),
            "lastPasswordChangeDateTime": timestamp(capturedAt.addingTimeInterval(-86_400 * 30)),
            "createdDateTime": timestamp(capturedAt.addingTimeInterval(-86_400 * 400)), "signInActivity": NSNull(),
            "assignedLicenses": [Any](), "externalUserState": state, "creationType": creation,
            "authorizationInfo": orNull(rng.chance(0.1) ? nil : ["certificateUserIds": certificates]),
        ]
    }

    static func methods(rng: inout SplitMix64) -> [[String: Any]] {
        var methods: [[String: Any]] = []
        func add(_ type: String, _ fields: [String: Any]) {
            methods.append(fields.merging(["@odata.type": "#microsoft.graph.\(type)", "id": rng.guid()]) { $1 })
        }
        // Graph lists the password method for every user (id 28c10230-…), passwordless ones included.
        methods.append(["@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
                        "id": "28c10230-6103-485e-b985-444c60001490", "password": NSNull(),
                        "createdDateTime": timestamp(capturedAt)])
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:  // password and a temporary access pass only: whether the pass is usable decides MFA
            methods.append(temporaryAccessPass(rng: &rng))
            return methods
        case 1:  // password and Authenticator registered for phone sign-in only: Passwordless without a key
            add("microsoftAuthenticatorAuthenticationMethod", [
                "displayName": "iPhone", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.8.17",
                "createdDateTime": timestamp(capturedAt.addingTimeInterval(-86_400)),
            ])
            return methods
        default: break
        }
        for _ in 0..<(rng.chance(0.35) ? Int.random(in: 1...2, using: &rng) : 0) {
            add("fido2AuthenticationMethod", ["displayName": "Key", "model": "YubiKey 5",
                                              "aaGuid": orNull(rng.chance(0.85) ? rng.pickAAGUID() : nil),
                                              "attestationLevel": "attested", "attestationCertificates": [String](),
                                              "createdDateTime": timestamp(capturedAt)])
        }
        if rng.chance(0.15) {
            add("windowsHelloForBusinessAuthenticationMethod", ["displayName": "PC", "keyStrength": "normal",
                                                                "createdDateTime": timestamp(capturedAt)])
        }
        if rng.chance(0.4) {
            // Graph: createdDateTime is null unless the app is registered for passwordless phone sign-in.
            add("microsoftAuthenticatorAuthenticationMethod", [
                "displayName": "iPhone", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.8.17",
                "createdDateTime": orNull(rng.chance(0.5) ? timestamp(capturedAt.addingTimeInterval(-86_400)) : nil),
            ])
        }
        if rng.chance(0.3) {
            add("phoneAuthenticationMethod", ["phoneNumber": "+1 4255550100", "phoneType": "mobile",
                                              "smsSignInState": "notAllowedByPolicy"])
        }
        if rng.chance(0.12) { add("softwareOathAuthenticationMethod", ["secretKey": NSNull()]) }
        if rng.chance(0.1) { add("emailAuthenticationMethod", ["emailAddress": "someone@example.com"]) }
        // A method type newer than the reader (Graph `authenticationMethodModes` lists qrCodePin as evolvable).
        if rng.chance(0.05) { add("qrCodePinAuthenticationMethod", ["pin": NSNull()]) }
        if rng.chance(0.2) { methods.append(temporaryAccessPass(rng: &rng)) }
        return methods
    }

    /// A temporary access pass in one of its states at capture time (Graph: isUsable, methodUsabilityReason).
    static func temporaryAccessPass(rng: inout SplitMix64) -> [String: Any] {
        var start = capturedAt.addingTimeInterval(-600)
        var usable = true
        var reason = "EnabledByPolicy"
        let once = rng.chance(0.5)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: start = capturedAt.addingTimeInterval(-2 * 86_400); usable = false; reason = "Expired"
        case 1 where once: usable = false; reason = "OneTimeUsed"
        case 2: start = capturedAt.addingTimeInterval(86_400); usable = false; reason = "NotYetValid"
        default: break
        }
        return [
            "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod", "id": rng.guid(),
            "temporaryAccessPass": NSNull(), "createdDateTime": timestamp(start), "startDateTime": timestamp(start),
            "lifetimeInMinutes": 480, "isUsableOnce": orNull(rng.chance(0.15) ? nil : once), "isUsable": usable, "methodUsabilityReason": reason,
        ]
    }

    static func strength(id: String, name: String, type: String, combinations: [String],
                         configurations: [[String: Any]] = []) -> [String: Any] {
        [
            "id": id, "createdDateTime": timestamp(capturedAt), "modifiedDateTime": timestamp(capturedAt),
            "displayName": name, "description": name, "policyType": type, "requirementsSatisfied": "mfa",
            "allowedCombinations": combinations,
            "combinationConfigurations@odata.context":
                "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationStrengthPolicies('\(id)')/combinationConfigurations",
            "combinationConfigurations": configurations,
        ]
    }

    struct PolicyContext {
        var userIDs: [String]
        var groupIDs: [String]
        var roleIDs: [String]
        var locationIDs: [String]
        var strengths: [[String: Any]]
    }

    static func guests(rng: inout SplitMix64) -> [String: Any] {
        let types = rng.sample(["internalGuest", "b2bCollaborationGuest", "b2bCollaborationMember",
                                "b2bDirectConnectUser", "otherExternalUser", "serviceProvider", "unknownFutureValue"],
                               count: Int.random(in: 1...3, using: &rng))
        let tenants: [String: Any] = rng.chance(0.8)
            ? ["@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all"]
            : ["@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants",
               "membershipKind": "enumerated", "members": [rng.guid()]]
        return ["guestOrExternalUserTypes": types.joined(separator: ","), "externalTenants": tenants]
    }

    enum PolicyGrant {
        case passwordless, restrictedCustomStrength, federatedCustomStrength, passwordChangeAlone
    }

    static func policy(index: Int, grant forced: PolicyGrant?, context: PolicyContext,
                       rng: inout SplitMix64) -> [String: Any] {
        let id = rng.guid()
        let state = rng.pick(["enabled", "enabled", "enabled", "enabled", "enabled", "enabled", "enabled",
                              "enabledForReportingButNotEnforced", "enabledForReportingButNotEnforced", "disabled"])

        // Users
        var includeUsers: [String] = []
        var includeGroups: [String] = []
        var includeRoles: [String] = []
        var includeGuests: Any = NSNull()
        switch forced != nil && rng.chance(0.6) ? 0 : Int.random(in: 0..<12, using: &rng) {
        case 0..<4: includeUsers = ["All"]
        case 4: includeUsers = ["None"]
        case 5: includeUsers = ["GuestsOrExternalUsers"]
        case 6: includeGuests = guests(rng: &rng)
        case 7: includeUsers = rng.sample(context.userIDs, count: 3)
        case 8, 9:
            includeRoles = rng.sample(context.roleIDs, in: 1...4)
            // A custom role's template id now and then: custom roles must not count (Learn, "Users and groups").
            if rng.chance(0.5) { includeRoles.append(rng.pick(Array(context.roleIDs.suffix(2)))) }
        default:
            includeGroups = rng.sample(context.groupIDs, in: 1...2)
            if rng.chance(0.3) { includeUsers = rng.sample(context.userIDs, count: 1) }
        }
        var excludeUsers: [String] = []
        var excludeGroups: [String] = []
        var excludeRoles: [String] = []
        var excludeGuests: Any = NSNull()
        if rng.chance(0.6) {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: excludeUsers = rng.sample(context.userIDs, in: 1...3)
            case 1: excludeGroups = rng.sample(context.groupIDs, count: 1)
            case 2: excludeRoles = rng.sample(context.roleIDs, in: 1...2)
            case 3: excludeGuests = guests(rng: &rng)
            default: excludeUsers = ["GuestsOrExternalUsers"]
            }
        }

        // Applications
        var includeApplications: [String] = []
        var userActions: [String] = []
        var contexts: [String] = []
        switch Int.random(in: 0..<20, using: &rng) {
        case 0..<8: includeApplications = ["All"]
        case 8, 9: includeApplications = ["Office365"]
        case 10..<13: includeApplications = ["MicrosoftAdminPortals"]
        case 13, 14: includeApplications = [ModelAliases.azureManagement]
        case 15, 16: includeApplications = rng.sample(resources, in: 1...2)
        case 17: userActions = [rng.pick(["urn:user:registersecurityinfo", "urn:user:registerdevice"])]
        default: contexts = ["c1"]
        }
        let excludeApplications: [String] = !includeApplications.isEmpty && rng.chance(0.3)
            ? [rng.pick(["Office365", "MicrosoftAdminPortals", ModelAliases.azureManagement] + resources)]
            : []

        // Conditions
        var conditions: [String: Any] = [
            "userRiskLevels": rng.chance(0.12) ? rng.sample(["low", "medium", "high", "none"], count: 2) : [String](),
            "signInRiskLevels": rng.chance(0.12) ? rng.sample(["low", "medium", "high"], count: 2) : [String](),
            // `unknownFutureValue`: an evolvable enum's sentinel, and what an older reader sees of a newer value.
            "clientAppTypes": rng.pick([["all"], ["all"], ["all"], ["exchangeActiveSync", "other"],
                                        ["browser", "mobileAppsAndDesktopClients"], ["browser"], ["other"],
                                        ["browser", "unknownFutureValue"]]),
            "servicePrincipalRiskLevels": [String](),
            "insiderRiskLevels": orNull(rng.chance(0.08)
                ? rng.pick(["elevated", "minor,moderate", "moderate,elevated", "unknownFutureValue"]) : nil),
            "platforms": NSNull(), "locations": NSNull(), "devices": NSNull(), "clientApplications": NSNull(),
            "authenticationFlows": NSNull(),
            "applications": [
                "includeApplications": includeApplications, "excludeApplications": excludeApplications,
                "includeUserActions": userActions, "includeAuthenticationContextClassReferences": contexts,
                "applicationFilter": NSNull(),
            ],
            "users": [
                "includeUsers": includeUsers, "excludeUsers": excludeUsers, "includeGroups": includeGroups,
                "excludeGroups": excludeGroups, "includeRoles": includeRoles, "excludeRoles": excludeRoles,
                "includeGuestsOrExternalUsers": includeGuests, "excludeGuestsOrExternalUsers": excludeGuests,
            ],
        ]
        if rng.chance(0.25) {
            conditions["platforms"] = [
                "includePlatforms": rng.chance(0.5) ? ["all"]
                    : rng.sample(Array(platforms.dropLast()) + ["unknownFutureValue"], count: 2),
                "excludePlatforms": rng.chance(0.5) ? rng.sample(Array(platforms.dropLast()), count: 1) : [String](),
            ]
        }
        if rng.chance(0.4), !context.locationIDs.isEmpty {
            let some = { (rng: inout SplitMix64) in
                rng.sample(context.locationIDs, in: 1...2)
            }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: conditions["locations"] = ["includeLocations": ["All"], "excludeLocations": ["AllTrusted"]]
            case 1: conditions["locations"] = ["includeLocations": ["All"], "excludeLocations": some(&rng)]
            case 2: conditions["locations"] = ["includeLocations": some(&rng), "excludeLocations": [String]()]
            default: conditions["locations"] = ["includeLocations": ["AllTrusted"], "excludeLocations": some(&rng)]
            }
        }
        if rng.chance(0.08) {
            conditions["authenticationFlows"] = [
                "transferMethods": rng.pick(["deviceCodeFlow", "authenticationTransfer",
                                             "deviceCodeFlow,authenticationTransfer", "none", "unknownFutureValue"]),
            ]
        }
        if rng.chance(0.25) {
            conditions["devices"] = ["deviceFilter": ["mode": rng.pick(["include", "exclude"]),
                                                      "rule": deviceRule(rng: &rng)]]
        }

        // Controls
        var grant: Any = NSNull()
        var session: Any = NSNull()
        var builtIn: [String] = []
        var terms: [String] = []
        var strength: Any = NSNull()
        var operatorName = rng.chance(0.5) ? "AND" : "OR"
        let grantCase: Int = switch forced {
        case .passwordless?: 100
        case .restrictedCustomStrength?: 101
        case .federatedCustomStrength?: 102
        case .passwordChangeAlone?: 12
        case nil: Int.random(in: 0..<20, using: &rng)
        }
        switch grantCase {
        case 100: strength = context.strengths[1]
        case 101: strength = context.strengths[3]
        case 102: strength = context.strengths[4]
        case 0..<4: builtIn = ["block"]
        case 4: session = ["signInFrequency": ["value": 4, "type": "hours", "isEnabled": true,
                                               "authenticationType": "primaryAndSecondaryAuthentication",
                                               "frequencyInterval": "timeBased"]]
        case 5:
            // Learn, "Grant": password change with MFA, all resources, user risk.
            builtIn = ["mfa", "passwordChange"]
            operatorName = "AND"
            conditions["userRiskLevels"] = ["high"]
        case 6..<11:
            strength = rng.chance(0.6) ? rng.pick(Array(context.strengths.prefix(3))) : rng.pick(context.strengths)
            if rng.chance(0.3) { builtIn = [rng.pick(["compliantDevice", "domainJoinedDevice"])] }
        case 11: terms = [rng.guid()]; builtIn = rng.chance(0.5) ? ["mfa"] : []
        case 12:
            // Password change on its own (Graph accepts the value; a hand-written policy for `gate` may have it).
            builtIn = ["passwordChange"]
            conditions["userRiskLevels"] = ["high"]
        default:
            builtIn = rng.sample(["mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication",
                                  "compliantApplication"], count: Int.random(in: 1...3, using: &rng))
        }
        if session is NSNull {
            grant = [
                "operator": operatorName, "builtInControls": builtIn, "customAuthenticationFactors": [String](),
                "termsOfUse": terms,
                "authenticationStrength@odata.context":
                    "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('\(id)')/grantControls/authenticationStrength/$entity",
                "authenticationStrength": strength,
            ]
        }
        return [
            "id": id, "templateId": NSNull(), "displayName": "CA\(String(format: "%03d", index)) random policy",
            "createdDateTime": timestamp(capturedAt), "modifiedDateTime": NSNull(), "state": state,
            "sessionControls": session, "conditions": conditions, "grantControls": grant,
        ]
    }

    /// A device filter rule in the dynamic-device syntax: one to three comparisons, `-and`/`-or`, parentheses,
    /// sometimes `-not`.
    static func deviceRule(rng: inout SplitMix64) -> String {
        func comparison(_ rng: inout SplitMix64) -> String {
            let property = rng.pick(filterProperties.keys.sorted())
            let op = rng.pick(filterProperties[property] ?? ["-eq"])
            let values = filterRuleValues[property] ?? ["x"]
            if op == "-in" || op == "-notIn" {
                let list = rng.sample(values, count: min(2, values.count)).map { "\"\($0)\"" }
                return "device.\(property) \(op) [\(list.joined(separator: ","))]"
            }
            var value = rng.pick(values)
            if op.lowercased().contains("with") || op.lowercased().contains("contains") {
                value = String(value.prefix(max(1, value.count / 2 + 1)))
            }
            return "device.\(property) \(op) \"\(value)\""
        }
        var rule = comparison(&rng)
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            let joiner = rng.pick(["-and", "-or"])
            let next = rng.chance(0.1) ? "-not (\(comparison(&rng)))" : comparison(&rng)
            rule = rng.chance(0.4) ? "(\(rule)) \(joiner) \(next)" : "\(rule) \(joiner) \(next)"
        }
        return rule
    }

    static let filterRuleValues: [String: [String]] = [
        "trustType": ["AzureAD", "ServerAD", "Workplace"], "isCompliant": ["True", "False"],
        "deviceOwnership": ["Company", "Personal"], "profileType": ["RegisteredDevice", "SecureVM"],
        "deviceId": ["5e0b9a48-0f39-4c8e-9a52-3a2d0e5b1c11"], "mdmAppId": ["0000000a-0000-0000-c000-000000000000"],
        "operatingSystem": ["Windows", "iOS"], "operatingSystemVersion": ["10.0.22631", "10.0"],
        "displayName": ["SAW-01", "SAW"], "model": ["Surface Pro 9", "iPhone"], "manufacturer": ["Microsoft"],
        "enrollmentProfileName": ["AutoPilot Profile"], "physicalIds": ["[ZTDId]:1234"],
        "systemLabels": ["M365Managed"], "extensionAttribute1": ["SAW", "PAW"], "extensionAttribute2": ["TeamsPhoneDevice"],
        "extensionAttribute3": ["Tier0"], "extensionAttribute15": ["SAW"],
    ]

    // MARK: - Helpers

    static func isActive(_ instance: [String: Any], at date: Date) -> Bool {
        let start = ModelTenant.date(instance["startDateTime"]).map { $0 <= date } ?? true
        let end = ModelTenant.date(instance["endDateTime"]).map { date < $0 } ?? true
        return start && end
    }

    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

    static func randomRange(v6: Bool, prefix: Int, rng: inout SplitMix64) -> ModelIPRange {
        var bytes = (0..<(v6 ? 16 : 4)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        if !v6 { bytes[0] = UInt8.random(in: 11...223, using: &rng) } else { bytes[0] = 0x20; bytes[1] = 0x01 }
        for bit in prefix..<(bytes.count * 8) { bytes[bit / 8] &= ~(UInt8(0x80) >> UInt8(bit % 8)) }
        return ModelIPRange(bytes: bytes, isIPv6: v6, prefix: prefix)
    }

    /// An address inside the range: its network address or a random one.
    static func address(in range: ModelIPRange, rng: inout SplitMix64) -> ModelIPAddress {
        var bytes = range.network
        if rng.chance(0.7) {
            for bit in range.prefix..<(bytes.count * 8) where rng.chance(0.5) {
                bytes[bit / 8] |= UInt8(0x80) >> UInt8(bit % 8)
            }
        }
        return ModelIPAddress(bytes: bytes, isIPv6: range.isIPv6)
    }

    /// Writes Graph-shaped files: lists as `{"@odata.context": …, "value": [...]}`.
    struct Writer {
        let folder: URL

        func write(_ name: String, _ values: [[String: Any]]) throws {
            try writeObject(name, ["@odata.context": "https://graph.microsoft.com/v1.0/$metadata#\(name)",
                                   "value": values])
        }

        func writeObject(_ name: String, _ object: [String: Any]) throws {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
        }
    }
}

/// Graph's `null` for a missing value.
func orNull(_ value: Any?) -> Any { value ?? NSNull() }

extension ModelIPRange {
    init(bytes: [UInt8], isIPv6: Bool, prefix: Int) {
        self.isIPv6 = isIPv6
        network = bytes
        self.prefix = prefix
    }
}

extension SplitMix64 {
    mutating func guid() -> String {
        let a = next()
        let b = next()
        return String(format: "%08x-%04x-4%03x-8%03x-%012llx", UInt32(truncatingIfNeeded: a >> 32),
                      UInt16(truncatingIfNeeded: a >> 16), UInt16(truncatingIfNeeded: a) & 0xFFF,
                      UInt16(truncatingIfNeeded: b >> 48) & 0xFFF, b & 0xFFFF_FFFF_FFFF)
    }

    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        Array(items.shuffled(using: &self).prefix(count))
    }

    mutating func sample<T>(_ items: [T], in counts: ClosedRange<Int>) -> [T] {
        let count = Int.random(in: counts, using: &self)
        return sample(items, count: count)
    }

    /// A FIDO2 key's AAGUID: a well-known model, or another one.
    mutating func pickAAGUID() -> String {
        chance(0.8) ? pick(RandomTenant.aaguids) : guid()
    }
}

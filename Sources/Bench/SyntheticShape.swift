import EntraModel
import Foundation

extension SyntheticTenant {
    /// The directory's shape: how groups nest, how many groups the policies name, who is a guest. `standard` is the
    /// generator's original tenant; `harsh` is issue 11's: every group nests three later ones (so closures of early
    /// groups reach most of the directory), 1–40 direct users per group, 20 role-assignable groups holding roles,
    /// one direct role assignment per 100 users over six roles (and a tenth as many eligibilities), and policies of
    /// which a third include 5 groups, a third 3 roles and a third All users, each excluding the exclusion group or
    /// 2 groups — 323 groups and the exclusion group, 324 in all.
    public struct Shape: Sendable, Hashable {
        public enum Preset: String, Sendable, Hashable, CaseIterable {
            case standard = "default"
            case harsh
        }

        public var preset: Preset
        /// Fraction of users who are guests (B2B invitations).
        public var guests: Double
        /// Fraction of the other users synchronised from on-premises AD (on the federated domain).
        public var synchronized: Double
        /// Each group nests this many groups created after it; nil: the standard forest (an earlier parent half the
        /// time).
        public var nesting: Int?
        /// Groups the policies pick from (harsh: distinct groups named besides the exclusion group).
        public var policyGroups: Int
        /// Direct users per group (harsh).
        public var directUsers: ClosedRange<Int>
        /// Role-assignable groups holding roles (harsh).
        public var roleGroups: Int
        /// Direct role assignments to users (harsh); nil: one per 100 users.
        public var roleAssignments: Int?
        /// Cycles closed by an extra edge from a group's first nested group back to the group.
        public var cycles: Int
        /// Groups the policies name whose `group-members` file is left out: their membership is unknown.
        public var unknownGroups: Int

        public static let standard = Shape(
            preset: .standard, guests: 0.03, synchronized: 0.6, nesting: nil, policyGroups: 300, directUsers: 1...40,
            roleGroups: 0, roleAssignments: nil, cycles: 0, unknownGroups: 0)
        public static let harsh = Shape(
            preset: .harsh, guests: 0.05, synchronized: 2.0 / 3.0, nesting: 3, policyGroups: 323, directUsers: 1...40,
            roleGroups: 20, roleAssignments: nil, cycles: 0, unknownGroups: 0)

        public static func preset(_ preset: Preset) -> Shape { preset == .harsh ? .harsh : .standard }
    }

    /// `count` distinct random groups of `range` nested in each group, among the 100 created after it: chains of
    /// nesting then run from every group to the last, so an early group's closure holds most of the directory and a
    /// late group is nested, transitively, in most groups before it.
    static func nestLater(groups range: Range<Int>, _ count: Int, random: inout SplitMix64) -> [[Int]] {
        var children = [[Int]](repeating: [], count: range.upperBound)
        for group in range {
            let later = (group + 1)..<min(range.upperBound, group + 101)
            var picked: [Int] = []
            while picked.count < min(count, later.count) {
                let child = Int.random(in: later, using: &random)
                if !picked.contains(child) { picked.append(child) }
            }
            children[group] = picked.sorted()
        }
        return children
    }

    /// Closes `count` cycles: a group's first nested group gets the group as a member.
    static func closeCycles(_ count: Int, children: inout [[Int]], members: inout [[String]],
                            random: inout SplitMix64) {
        guard count > 0 else { return }
        let nesting = children.indices.filter { $0 > 0 && !children[$0].isEmpty }
        guard !nesting.isEmpty else { return }
        for _ in 0..<count {
            let group = random.pick(nesting)
            guard let child = children[group].first, !children[child].contains(group) else { continue }
            children[child].append(group)
            members[child].append("{\"@odata.type\":\"#microsoft.graph.group\",\"id\":\"\(id("e", group))\"}")
        }
    }

    /// The policy groups whose member files are left out.
    static func unknownGroups(_ count: Int, referenced: [Int]) -> Set<Int> {
        Set(referenced.filter { $0 != 0 }.prefix(count))
    }

    /// The harsh shape (and its knobs): see `Shape`.
    func harshFiles() -> [String: Data] {
        var random = SplitMix64(seed: seed)
        var files: [String: Data] = [:]
        func put(_ name: String, _ body: String) { files[name] = Data(body.utf8) }
        func list(_ items: [String]) -> String { "{\"value\":[\n" + items.joined(separator: ",\n") + "\n]}" }
        func member(_ kind: String, _ id: String) -> String {
            "{\"@odata.type\":\"#microsoft.graph.\(kind)\",\"id\":\"\(id)\"}"
        }

        // Users: 0 and 1 are the emergency accounts. One string, appended to: a million users is 650 MB of JSON.
        var usersJSON = "{\"value\":[\n"
        usersJSON.reserveCapacity(users * 680)
        for index in 0..<users {
            let isEmergency = index < 2
            let id = isEmergency ? Self.emergencyAccountIDs()[index] : userID(index)
            let isGuest = !isEmergency && random.chance(shape.guests)
            let synced = !isEmergency && !isGuest && random.chance(shape.synchronized)
            let upn = isEmergency ? "bg-0\(index + 1)@\(Self.domain)"
                : isGuest ? "guest\(index)_partner.example#EXT#@\(Self.domain)"
                : "user\(index)@\(synced ? "synthetic.example" : Self.domain)"
            let changed = 1 + Int.random(in: 0..<400, using: &random)
            let signIn = Int.random(in: 0..<60, using: &random)
            let enabled = isEmergency || random.chance(0.97)
            if index > 0 { usersJSON += ",\n" }
            usersJSON += (
                "{\"id\":\"\(id)\",\"displayName\":\"User \(index)\",\"userPrincipalName\":\"\(upn)\",\"userType\":\"\(isGuest ? "Guest" : "Member")\","
                    + "\"accountEnabled\":\(enabled),\"onPremisesSyncEnabled\":\(synced ? "true" : "null"),"
                    + "\"onPremisesImmutableId\":\(synced ? "\"aW1tdXRhYmxl\(index)\"" : "null"),"
                    + "\"passwordPolicies\":\(isEmergency ? "\"DisablePasswordExpiration\"" : "null"),"
                    + (isGuest ? "\"creationType\":\"Invitation\",\"externalUserState\":\"Accepted\"," : "")
                    + "\"lastPasswordChangeDateTime\":\"\(Self.daysBefore(changed))\",\"createdDateTime\":\"2020-01-01T00:00:00Z\","
                    + "\"signInActivity\":{\"lastSignInDateTime\":\"\(Self.daysBefore(signIn))\",\"lastSuccessfulSignInDateTime\":\"\(Self.daysBefore(signIn))\"},"
                    + "\"assignedLicenses\":\(isEmergency ? "[]" : "[{\"skuId\":\"06ebc4ee-1bb5-47dd-8120-11324bc54e06\",\"disabledPlans\":[]}]")}")
        }
        usersJSON += "\n]}"
        files["users.json"] = Data(usersJSON.utf8)
        usersJSON = ""

        // Groups: 0 is the exclusion group; the last `roleGroups` are role-assignable (they cannot nest groups);
        // the others nest `nesting` groups created after them.
        let roleGroupStart = groups - shape.roleGroups
        var groupRows: [String] = []
        groupRows.reserveCapacity(groups)
        for index in 0..<groups {
            let assignable = index == 0 || index >= roleGroupStart
            let dynamic = !assignable && random.chance(0.05)
            let name = index == 0 ? "CA-Exclude-EmergencyAccess" : assignable ? "Role group \(index)" : "Group \(index)"
            groupRows.append("{\"id\":\"\(Self.id("e", index))\",\"displayName\":\"\(name)\",\"groupTypes\":\(dynamic ? "[\"DynamicMembership\"]" : "[]"),"
                + "\"membershipRule\":\(dynamic ? "\"(user.department -eq \\\"D\(index)\\\")\"" : "null"),\"isAssignableToRole\":\(assignable),\"securityEnabled\":true,\"onPremisesSyncEnabled\":\(!assignable && random.chance(0.3) ? "true" : "null")}")
        }
        put("groups.json", list(groupRows))
        groupRows = []
        var children = Self.nestLater(groups: 1..<roleGroupStart, shape.nesting ?? 0, random: &random)
        children += [[Int]](repeating: [], count: groups - children.count)
        var members = [[String]](repeating: [], count: groups)
        members[0] = Self.emergencyAccountIDs().map { member("user", $0) }
        let people = 2..<users
        for index in 1..<groups {
            members[index] = children[index].map { member("group", Self.id("e", $0)) }
            let count = Int.random(in: shape.directUsers, using: &random)
            for _ in 0..<count { members[index].append(member("user", userID(Int.random(in: people, using: &random)))) }
        }
        Self.closeCycles(shape.cycles, children: &children, members: &members, random: &random)

        // The groups policies name: `policyGroups` distinct ones, handed out in turn.
        var pool = Array(1..<roleGroupStart)
        pool.shuffle(using: &random)
        pool = Array(pool.prefix(shape.policyGroups))
        var next = 0
        func policyGroup() -> Int {
            defer { next += 1 }
            return pool.isEmpty ? 0 : pool[next % pool.count]
        }
        let sixRoles = Array(Self.roles.prefix(6))
        var policyRows: [String] = []
        var named: [Int] = []
        for index in 0..<policies {
            var includeUsers: [String] = []
            var includeGroups: [Int] = []
            var includeRoles: [String] = []
            switch index % 3 {
            case 0: includeGroups = (0..<5).map { _ in policyGroup() }
            case 1:
                var roles = sixRoles.map { $0.id }
                roles.shuffle(using: &random)
                includeRoles = Array(roles.prefix(3))
            default: includeUsers = ["All"]
            }
            let excludeGroups = random.chance(0.5) ? [0] : [policyGroup(), policyGroup()]
            named += includeGroups + excludeGroups
            let users = "{\"includeUsers\":\(Self.strings(includeUsers)),\"excludeUsers\":[],"
                + "\"includeGroups\":\(Self.strings(includeGroups.map { Self.id("e", $0) })),"
                + "\"excludeGroups\":\(Self.strings(excludeGroups.map { Self.id("e", $0) })),"
                + "\"includeRoles\":\(Self.strings(includeRoles)),\"excludeRoles\":[],"
                + "\"includeGuestsOrExternalUsers\":null,\"excludeGuestsOrExternalUsers\":null}"
            policyRows.append(policy(index, random: &random, referencedGroups: pool.isEmpty ? [0] : pool, users: users))
        }
        put("conditional-access-policies.json", list(policyRows))

        // Member files for the named groups, everything nested in them, and the role groups.
        var withMembers: Set<Int> = [0]
        var queue = named + Array(roleGroupStart..<groups)
        while let group = queue.popLast() {
            guard withMembers.insert(group).inserted else { continue }
            queue.append(contentsOf: children[group])
        }
        withMembers.subtract(Self.unknownGroups(shape.unknownGroups, referenced: named))
        for group in withMembers.sorted() { put("group-members/\(Self.id("e", group)).json", list(members[group])) }
        members = []

        // Roles: the emergency accounts are permanent Global Administrators; direct assignments to users over six
        // roles, and a tenth as many eligibilities through PIM; each role group holds one of the six.
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
        let direct = shape.roleAssignments ?? max(6, users / 100)
        for n in 0..<direct {
            let principal = userID(Int.random(in: people, using: &random))
            let role = n < 4 ? WellKnownRole.globalAdministrator : random.pick(sixRoles).id
            assign(principal, role, n + 10)
            if random.chance(0.1) {
                let principal = userID(Int.random(in: people, using: &random))
                eligible.append("{\"id\":\"re-\(n)\",\"principalId\":\"\(principal)\",\"roleDefinitionId\":\"\(role)\",\"directoryScopeId\":\"/\",\"memberType\":\"Direct\",\"status\":\"Provisioned\",\"scheduleInfo\":{\"startDateTime\":\"2025-01-01T00:00:00Z\",\"expiration\":{\"type\":\"noExpiration\",\"endDateTime\":null}}}")
            }
        }
        for (n, group) in (roleGroupStart..<groups).enumerated() {
            assign(Self.id("e", group), sixRoles[n % sixRoles.count].id, direct + 10 + n)
        }
        put("role-assignments.json", list(assignments))
        put("role-assignment-schedule-instances.json", list(instances))
        put("role-eligibility-schedules.json", list(eligible))
        putCommonFiles(into: &files)
        return files
    }

    static func strings(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
}

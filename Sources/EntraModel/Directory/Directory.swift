import Foundation

/// An index over a snapshot: users by id and UPN, transitive group membership (safe on cycles), and role holders,
/// active apart from eligible-only. Pure: no I/O, no clock (time is passed in).
public final class Directory: Sendable {
    public let snapshot: Snapshot
    /// Positions in `snapshot.users` and `snapshot.groups`: an index, not copies of the records.
    private let usersByID: IDIndex
    /// Users by normalized UPN, built on the first lookup that misses by object id: most runs look users up by id
    /// only, and on a million users this table costs most of a second.
    private let usersByUPN: LazyIndex<[String: Int]>
    private let groupsByID: IDIndex
    /// The display name (else the id) of each group number of `membership`: explanations name long nesting chains
    /// without a lookup by id per group.
    private let groupNamesByNumber: [String]
    /// Group membership as numbers: walks over groups run there.
    public let membership: MembershipIndex
    /// Groups that are principals of role assignments, schedule instances or eligibilities (normalized ids): the
    /// only groups through which a user holds or is eligible for a role.
    public let roleGroups: [String]
    private let rolesByID: [String: RoleDefinition]
    private let rolesByTemplate: [String: RoleDefinition]
    /// Role assignments, schedule instances and eligibilities by principal id: role lookups touch only the user's
    /// own and their groups' entries, which keeps 200,000-user tenants fast.
    private let assignmentsByPrincipal: [String: [RoleAssignment]]
    private let instancesByPrincipal: [String: [RoleAssignmentScheduleInstance]]
    private let eligibilityByPrincipal: [String: [RoleEligibilitySchedule]]

    public init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        // The users' index and the groups' numbering do not need each other: they are built at once.
        let (byID, numbering) = concurrently({
            var byID = IDIndex(minimumCapacity: snapshot.users.count)
            for (index, user) in snapshot.users.enumerated() { byID.insertIfAbsent(user.id, index) }
            return byID
        }, { MembershipIndex.Numbering(snapshot) })
        usersByID = byID
        usersByUPN = LazyIndex {
            var byUPN: [String: Int] = [:]
            byUPN.reserveCapacity(snapshot.users.count)
            for (index, user) in snapshot.users.enumerated() {
                guard let upn = user.userPrincipalName else { continue }
                let key = Self.normalized(upn)
                if byUPN[key] == nil { byUPN[key] = index }
            }
            return byUPN
        }
        var groups = IDIndex(minimumCapacity: snapshot.groups.count)
        for (index, group) in snapshot.groups.enumerated() { groups.insertIfAbsent(group.id, index) }
        groupsByID = groups
        membership = MembershipIndex(snapshot, numbering: numbering, userPositions: byID, listedGroups: groups)
        let membershipIndex = membership
        groupNamesByNumber = (0..<membershipIndex.groupCount).map { number in
            let id = membershipIndex.groupID(number)
            return groups[id].map { snapshot.groups[$0].name } ?? id
        }
        rolesByID = Dictionary(snapshot.roleDefinitions.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        rolesByTemplate = Dictionary(snapshot.roleDefinitions.map { ($0.template, $0) }, uniquingKeysWith: { a, _ in a })
        assignmentsByPrincipal = Dictionary(grouping: snapshot.roleAssignments) { Self.normalized($0.principalId) }
        instancesByPrincipal = Dictionary(grouping: snapshot.roleAssignmentScheduleInstances ?? []) { Self.normalized($0.principalId) }
        eligibilityByPrincipal = Dictionary(grouping: snapshot.roleEligibilitySchedules ?? []) { Self.normalized($0.principalId) }
        let membership = self.membership
        roleGroups = Set(assignmentsByPrincipal.keys).union(instancesByPrincipal.keys).union(eligibilityByPrincipal.keys)
            .filter { membership.groupNumber($0) != nil }.sorted()
    }

    // MARK: Users and groups

    public var users: [User] { snapshot.users }

    public func user(_ id: String) -> User? { usersByID[id].map { snapshot.users[$0] } }

    /// The user's position in `users` (the first, for an id listed twice), by object id.
    public func userPosition(_ id: String) -> Int? { usersByID[id] }

    /// The user's position by object id or, case-insensitively, UPN.
    public func userPosition(idOrUPN text: String) -> Int? {
        let key = Self.normalized(text)
        return usersByID[key] ?? usersByUPN.value[key]
    }

    /// By object id or, case-insensitively, by UPN.
    public func user(idOrUPN text: String) -> User? {
        let key = Self.normalized(text)
        return (usersByID[key] ?? usersByUPN.value[key]).map { snapshot.users[$0] }
    }

    /// Ids and UPNs compare case-insensitively; ASCII (every GUID, nearly every UPN) is lowered without Unicode work.
    public static func normalized(_ text: String) -> String {
        var needsLowering = false
        for byte in text.utf8 {
            if byte >= 0x80 { return text.lowercased() }
            if byte >= 0x41 && byte <= 0x5A { needsLowering = true }
        }
        guard needsLowering else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The name of group number `number` of `membership` (its display name, else its id).
    public func groupName(number: Int) -> String { groupNamesByNumber[number] }

    public func group(_ id: String) -> Group? { groupsByID[id].map { snapshot.groups[$0] } }

    /// Whether the snapshot holds the group's members (a `group-members/{id}.json` file).
    public func hasMembers(ofGroup id: String) -> Bool { snapshot.groupMembers[Self.normalized(id)] != nil }

    public func directMembers(ofGroup id: String) -> [DirectoryObjectReference] {
        snapshot.groupMembers[Self.normalized(id)] ?? []
    }

    /// The groups the object is a direct member of (as the snapshot's membership files say).
    public func directGroups(of objectID: String) -> [String] {
        let id = Self.normalized(objectID)
        return membership.directGroups(of: id, userPosition: usersByID[id]).map { membership.groupID(Int($0)) }
    }

    /// Every group the object belongs to, directly or through nested groups. Cycles end the walk, never loop.
    public func transitiveGroups(of objectID: String) -> Set<String> {
        Set(ancestry(of: objectID).groupIDs)
    }

    /// The object's groups with the path down to it, from one walk over group numbers.
    public func ancestry(of objectID: String) -> MembershipIndex.Ancestry {
        let id = Self.normalized(objectID)
        return membership.ancestry(of: id, userPosition: usersByID[id])
    }

    /// Users in the group, directly or through nested groups, and the nested groups whose members are unknown.
    public func transitiveUsers(ofGroup id: String) -> (users: Set<String>, unknownGroups: Set<String>) {
        var users: Set<String> = []
        var unknown: Set<String> = []
        var seen: Set<String> = []
        var queue = [Self.normalized(id)]
        while let group = queue.popLast() {
            guard seen.insert(group).inserted else { continue }
            guard let members = snapshot.groupMembers[group] else {
                unknown.insert(group)
                continue
            }
            for member in members {
                let memberID = Self.normalized(member.id)
                switch member.kind {
                case .group: queue.append(memberID)
                case .user: users.insert(memberID)
                case .other: break
                case .unknown:
                    if groupsByID[memberID] != nil { queue.append(memberID) } else { users.insert(memberID) }
                }
            }
        }
        return (users, unknown)
    }

    // MARK: Roles

    public func role(_ id: String) -> RoleDefinition? { rolesByID[Self.normalized(id)] ?? rolesByTemplate[Self.normalized(id)] }

    /// The role's name, or its id when the definitions do not list it.
    public func roleName(_ id: String) -> String { role(id)?.displayName ?? id }

    /// Active assignments of the user, at `date`: direct, through a role-assignable group, time-bound or
    /// PIM-activated. Without schedule instances (no Entra ID P2) the permanent role assignments are used.
    public func activeRoles(of userID: String, at date: Date) -> [RoleHolding] {
        activeRoles(of: userID, at: date, groups: roleGroups(of: userID))
    }

    /// The groups the object is in, directly or nested, that hold or are eligible for a role: the only groups role
    /// lookups read. On a directory where a user is in thousands of groups this is a handful of ids, not thousands.
    public func roleGroups(of objectID: String) -> Set<String> {
        guard !roleGroups.isEmpty else { return [] }
        let ancestry = ancestry(of: objectID)
        return Set(roleGroups.filter { ancestry.contains(groupID: $0) })
    }

    /// `activeRoles(of:at:)` for a caller that has the user's transitive groups already.
    public func activeRoles(of userID: String, at date: Date, groups: Set<String>) -> [RoleHolding] {
        let userID = Self.normalized(userID)
        var principals = [(userID, RoleHolding.Path.direct)]
        // Only groups with an assignment or instance can add a holding: sort those, not all of the user's groups.
        let holding = groups.filter { assignmentsByPrincipal[$0] != nil || instancesByPrincipal[$0] != nil }
        principals += holding.sorted().map { ($0, RoleHolding.Path.group($0)) }
        var holdings: [RoleHolding] = []
        if snapshot.roleAssignmentScheduleInstances != nil {
            for (principal, path) in principals {
                for instance in instancesByPrincipal[principal] ?? [] {
                    if let start = instance.startDateTime, start > date { continue }
                    if let end = instance.endDateTime, end <= date { continue }
                    holdings.append(RoleHolding(
                        roleTemplateID: templateID(instance.roleDefinitionId), scope: instance.directoryScopeId ?? "/",
                        path: path, kind: instance.isActivated ? .activated : .assigned, endDateTime: instance.endDateTime))
                }
            }
        }
        // Role assignments are what was active at capture, without dates; add those the instances do not describe.
        // An assignment that a schedule instance describes is dated by it: once that instance has ended (`--as-of`
        // after its end), the undated assignment must not bring the role back as permanent.
        for (principal, path) in principals {
            for assignment in assignmentsByPrincipal[principal] ?? [] {
                let template = templateID(assignment.roleDefinitionId)
                let scope = assignment.directoryScopeId ?? "/"
                if holdings.contains(where: { $0.roleTemplateID == template && $0.scope == scope && $0.path == path }) { continue }
                if isDatedByInstance(assignment, principal: principal) { continue }
                holdings.append(RoleHolding(roleTemplateID: template, scope: scope, path: path, kind: .assigned, endDateTime: nil))
            }
        }
        return holdings
    }

    /// Whether a schedule instance (active at any time) describes the same principal, role and scope as the
    /// assignment: then the instance's dates decide whether it is active.
    private func isDatedByInstance(_ assignment: RoleAssignment, principal: String) -> Bool {
        guard let instances = instancesByPrincipal[principal] else { return false }
        let template = templateID(assignment.roleDefinitionId)
        let scope = assignment.directoryScopeId ?? "/"
        return instances.contains {
            templateID($0.roleDefinitionId) == template && ($0.directoryScopeId ?? "/") == scope
        }
    }

    /// Whether Conditional Access counts the role in `include/excludeRoles`: built-in roles only (Learn, "Users and
    /// groups": custom roles and administrative-unit-scoped assignments are not supported). nil when the role
    /// definitions do not list the role.
    public func isBuiltInRole(_ templateID: String) -> Bool? {
        guard let definition = role(templateID) else { return nil }
        return definition.isBuiltIn ?? true
    }

    /// Eligible-only (PIM) assignments of the user: not active until activated. nil when eligibility is unknown.
    public func eligibleRoles(of userID: String, at date: Date) -> [RoleHolding]? {
        guard snapshot.roleEligibilitySchedules != nil else { return nil }
        return eligibleRoles(of: userID, at: date, groups: roleGroups(of: userID))
    }

    /// `eligibleRoles(of:at:)` for a caller that has the user's transitive groups already (or those of them that
    /// hold eligibilities).
    public func eligibleRoles(of userID: String, at date: Date, groups: Set<String>) -> [RoleHolding]? {
        guard snapshot.roleEligibilitySchedules != nil else { return nil }
        let userID = Self.normalized(userID)
        let principals = [(userID, RoleHolding.Path.direct)]
            + groups.filter { eligibilityByPrincipal[$0] != nil }.sorted().map { ($0, RoleHolding.Path.group($0)) }
        return principals.flatMap { principal, path in
            (eligibilityByPrincipal[principal] ?? []).compactMap { schedule -> RoleHolding? in
                let end = schedule.scheduleInfo?.expiration?.endDateTime
                if let end, end <= date { return nil }
                return RoleHolding(roleTemplateID: templateID(schedule.roleDefinitionId), scope: schedule.directoryScopeId ?? "/",
                                   path: path, kind: .eligible, endDateTime: end)
            }
        }
    }

    /// Users holding the role actively at directory scope, at `date`.
    public func activeHolders(ofRole templateID: String, at date: Date) -> [User] {
        let template = Self.normalized(templateID)
        var principals: Set<String> = []
        for assignment in snapshot.roleAssignments where self.templateID(assignment.roleDefinitionId) == template {
            let principal = Self.normalized(assignment.principalId)
            if isDatedByInstance(assignment, principal: principal) { continue }
            principals.insert(principal)
        }
        for instance in snapshot.roleAssignmentScheduleInstances ?? []
        where self.templateID(instance.roleDefinitionId) == template {
            if let end = instance.endDateTime, end <= date { continue }
            if let start = instance.startDateTime, start > date { continue }
            principals.insert(Self.normalized(instance.principalId))
        }
        var holders: Set<String> = []
        for principal in principals {
            if usersByID[principal] != nil { holders.insert(principal) }
            if groupsByID[principal] != nil { holders.formUnion(transitiveUsers(ofGroup: principal).users) }
        }
        return Self.sortedByName(holders.compactMap { usersByID[$0].map { snapshot.users[$0] } })
    }

    /// Users holding any active directory role at `date`.
    public func activeAdministrators(at date: Date) -> [User] {
        let templates = Set(snapshot.roleAssignments.map { templateID($0.roleDefinitionId) })
            .union((snapshot.roleAssignmentScheduleInstances ?? []).map { templateID($0.roleDefinitionId) })
        var byID: [String: User] = [:]
        for template in templates {
            for user in activeHolders(ofRole: template, at: date) { byID[user.id.lowercased()] = user }
        }
        return Self.sortedByName(Array(byID.values))
    }

    /// Users by name, case-insensitively, then by id (two users may share a name; the order must not depend on a
    /// set's). Each name is lowered once, not twice per comparison: ten thousand administrators sorted by a comparator
    /// that lowers both names cost a third of a second on a million-user tenant.
    public static func sortedByName(_ users: [User]) -> [User] {
        users.map { (name: $0.name.lowercased(), id: normalized($0.id), user: $0) }
            .sorted { $0.name != $1.name ? $0.name < $1.name : $0.id < $1.id }
            .map(\.user)
    }

    // MARK: Authentication methods

    /// The methods the user can sign in with at `date`: the registered ones that are usable then (an expired, used or
    /// not yet valid Temporary Access Pass is not a method), plus certificate-based authentication when a certificate
    /// is bound to the account (`authorizationInfo.certificateUserIds`: CBA is not listed under
    /// `/authentication/methods`). nil when the snapshot does not hold the user's methods.
    public func authenticationMethods(ofUser userID: String, at date: Date) -> [AuthenticationMethod]? {
        let user = self.user(idOrUPN: userID)
        let id = Self.normalized(user?.id ?? userID)
        guard var methods = snapshot.authenticationMethods[id] else { return nil }
        methods = methods.filter { $0.isUsable(at: date) }
        if let user, user.hasCertificateBinding, !methods.contains(where: { $0.kind == "x509Certificate" }) {
            methods.append(.certificateBinding(certificateAuthenticationBinding))
        }
        return methods
    }

    /// How the tenant's certificate-based authentication binding counts a certificate sign-in. The tenant's x509
    /// method policy is not in the snapshot, so the binding is unknown: Entra's default is single-factor (Learn,
    /// "Microsoft Entra certificate-based authentication: authentication binding").
    public var certificateAuthenticationBinding: AuthenticationMethod.CertificateBinding { .unknown }

    public func templateID(_ roleDefinitionID: String) -> String {
        role(roleDefinitionID)?.template ?? Self.normalized(roleDefinitionID)
    }
}

/// One way a user holds a role.
public struct RoleHolding: Sendable, Hashable {
    public var roleTemplateID: String
    /// `/` for the whole directory; an administrative unit or object otherwise.
    public var scope: String
    public var path: Path
    public var kind: Kind
    /// nil = permanent.
    public var endDateTime: Date?

    public init(roleTemplateID: String, scope: String, path: Path, kind: Kind, endDateTime: Date?) {
        self.roleTemplateID = roleTemplateID
        self.scope = scope
        self.path = path
        self.kind = kind
        self.endDateTime = endDateTime
    }

    public enum Path: Sendable, Hashable {
        case direct
        case group(String)
    }

    public enum Kind: String, Sendable, Hashable {
        case assigned, activated, eligible
    }

    public var isPermanent: Bool { endDateTime == nil && kind == .assigned }
    public var isDirectoryWide: Bool { scope == "/" }
}

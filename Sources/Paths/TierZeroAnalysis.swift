import EntraModel
import Foundation

/// Who can take over or lock out the emergency accounts (issue 15): a graph of roles, Microsoft Graph application
/// permissions, group memberships and ownerships built from a snapshot, searched backwards from what each account can
/// suffer. Pure: no I/O, no clock (`now` is given).
public struct TierZeroAnalysis: Sendable {
    public struct Account: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        /// Restricted-management administrative units holding the account; nil when the snapshot does not say.
        public var restrictedUnits: [String]?
    }

    public let accounts: [Account]
    /// Take-over paths first, then lock-out paths; each by length, then by principal name.
    public let paths: [TierZeroPath]
    /// What the snapshot lacks for a complete answer (the checks say `unknown` naming it).
    public let limitations: [Limitation]
    /// Principals that take over an emergency account by a role or permission they hold, without an ownership on
    /// the way, and the emergency accounts themselves: tier 0 (normalised object ids).
    public let tierZero: Set<String>
    public let nodeCount: Int
    public let edgeCount: Int

    /// - Parameters:
    ///   - emergencyAccounts: object ids of the emergency accounts (unresolved ones are ignored).
    ///   - exclusionGroups: the groups policies use to exclude them.
    ///   - disabled: principals to treat as disabled (the `admin-compromise` scenario).
    public init(directory: Directory, emergencyAccounts: [String], exclusionGroups: [String], now: Date,
                disabled: Set<String> = []) {
        var builder = Builder(directory: directory, accountIDs: emergencyAccounts, now: now,
                              disabled: Set(disabled.map(Directory.normalized)))
        builder.build(exclusionGroups: exclusionGroups.map(Directory.normalized))
        self = builder.finish()
    }

    fileprivate init(accounts: [Account], paths: [TierZeroPath], limitations: [Limitation], tierZero: Set<String>,
                     nodeCount: Int, edgeCount: Int) {
        self.accounts = accounts
        self.paths = paths
        self.limitations = limitations
        self.tierZero = tierZero
        self.nodeCount = nodeCount
        self.edgeCount = edgeCount
    }

    public func paths(_ kind: PathKind) -> [TierZeroPath] { paths.filter { $0.kind == kind } }

    /// Principals with a take-over path (BG024 counts them).
    public var takeOverPrincipals: [PathNode] { paths(.takeOver).map(\.principal) }

    /// The path of one principal (by object id), if it has one of `kind`.
    public func path(of principalID: String, _ kind: PathKind) -> TierZeroPath? {
        let id = Directory.normalized(principalID)
        return paths.first { $0.kind == kind && $0.principal.id == id }
    }
}

/// Builds the graph in a fixed order: goals, exclusion-group controls, roles, application permissions, then members
/// and owners of everything reached (level by level), then the "any application" edges.
private struct Builder {
    let directory: Directory
    let snapshot: Snapshot
    let now: Date
    let disabledIDs: Set<String>
    let accountIDs: [String]
    let accountNames: [String]
    let servicePrincipals: [String: ServicePrincipal]
    let applicationsByAppID: [String: Application]
    let restrictedUnitIDs: Set<String>
    /// Members of administrative units whose members file is in the snapshot.
    let unitMembers: [String: Set<String>]
    /// Per account: the restricted units it is in (nil = unknown).
    let accountUnits: [Set<String>?]
    let tenantID: String

    var graph = AccessGraph()
    var takeOverGoals: [Int32] = []
    var lockOutGoals: [Int32] = []
    var hub: Int32 = 0
    var exclusionControls: [(node: Int32, group: String, acceptsGroupWriters: Bool)] = []
    var pending: [Int32] = []
    var expanded: Set<Int32> = []
    var limitations: [Limitation] = []
    var missingOwners: [SnapshotFile: [String]] = [:]
    var missingMembers: [String] = []

    init(directory: Directory, accountIDs: [String], now: Date, disabled: Set<String>) {
        self.directory = directory
        snapshot = directory.snapshot
        self.now = now
        disabledIDs = disabled
        let resolved = accountIDs.map(Directory.normalized).filter { directory.user($0) != nil }
        var seen: Set<String> = []
        self.accountIDs = resolved.filter { seen.insert($0).inserted }
        accountNames = self.accountIDs.map { directory.user($0)?.name ?? $0 }
        servicePrincipals = Dictionary((snapshot.servicePrincipals ?? []).map { (Directory.normalized($0.id), $0) },
                                       uniquingKeysWith: { first, _ in first })
        applicationsByAppID = Dictionary((snapshot.applications ?? []).compactMap { app in
            app.appId.map { (Directory.normalized($0), app) }
        }, uniquingKeysWith: { first, _ in first })
        restrictedUnitIDs = Set((snapshot.administrativeUnits ?? []).filter(\.isRestricted).map { Directory.normalized($0.id) })
        unitMembers = snapshot.administrativeUnitMembers.mapValues { Set($0.map { Directory.normalized($0.id) }) }
        let units = restrictedUnitIDs
        let members = unitMembers
        let knowsUnits = snapshot.administrativeUnits != nil
        let restrictedMembersKnown = units.allSatisfy { members[$0] != nil }
        accountUnits = self.accountIDs.map { id in
            guard knowsUnits else { return nil }
            let inside = Set(units.filter { members[$0]?.contains(id) == true })
            return inside.isEmpty && !restrictedMembersKnown ? nil : inside
        }
        tenantID = Directory.normalized(snapshot.organization.id)
    }

    // MARK: Building

    mutating func build(exclusionGroups: [String]) {
        for (position, id) in accountIDs.enumerated() {
            let name = accountNames[position]
            takeOverGoals.append(graph.node(.capability, "take-over:\(id)", name: "take over \(name)"))
            lockOutGoals.append(graph.node(.capability, "lock-out:\(id)", name: "lock out \(name)"))
        }
        hub = graph.node(.capability, "any-application", name: "add a credential to any application")
        noteTopLevelLimitations()
        for group in exclusionGroups { addExclusionControl(group) }
        addRoleHoldings()
        addApplicationPermissions()
        while let node = pending.popLast() { expand(node) }
        addAnyApplicationEdges()
        summariseMissingFiles()
    }

    mutating func noteTopLevelLimitations() {
        func note(_ file: SnapshotFile, _ effect: String) {
            let reason = snapshot.whyUnavailable(file)?.description ?? "\(file.rawValue) is not in the snapshot"
            limitations.append(Limitation(file: file.rawValue, reason: reason, effect: effect))
        }
        if snapshot.roleEligibilitySchedules == nil,
           snapshot.whyUnavailable(.roleEligibilitySchedules)?.status != "notLicensed" {
            // Without Entra ID P2 there is no PIM, so no eligible assignment to miss.
            note(.roleEligibilitySchedules, "PIM-eligible role holders are not followed.")
        }
        let applicationFiles: [(SnapshotFile, Bool)] = [
            (.servicePrincipals, snapshot.servicePrincipals != nil),
            (.graphServicePrincipal, snapshot.graphServicePrincipal != nil),
            (.graphAppRoleAssignments, snapshot.graphAppRoleAssignments != nil),
        ]
        for (file, present) in applicationFiles where !present {
            note(file, "Microsoft Graph application permissions of service principals are not followed.")
        }
        if snapshot.applications == nil {
            note(.applications, "Owners of application registrations are not followed.")
        }
        if snapshot.administrativeUnits == nil {
            note(.administrativeUnits, "Restricted-management administrative units are unknown; paths they would block are shown.")
        } else {
            for unit in restrictedUnitIDs.sorted() where unitMembers[unit] == nil {
                limitations.append(Limitation(
                    file: "\(SnapshotFile.administrativeUnitMembers.rawValue)/\(unit).json",
                    reason: "the members of restricted-management unit \(unit) are not in the snapshot (needs AdministrativeUnit.Read.All)",
                    effect: "Whether an emergency account is protected by this unit is unknown."))
            }
        }
    }

    /// The node of a user, group or service principal by object id; disabled principals cannot act.
    mutating func principal(_ rawID: String, fallbackName: String? = nil) -> Int32 {
        let id = Directory.normalized(rawID)
        if let user = directory.user(id) {
            let node = graph.node(.user, id, name: user.name)
            if user.accountEnabled == false || disabledIDs.contains(id) { graph.disable(node) }
            return node
        }
        if let servicePrincipal = servicePrincipals[id] {
            let node = graph.node(.servicePrincipal, id, name: servicePrincipal.name)
            if servicePrincipal.accountEnabled == false || disabledIDs.contains(id) { graph.disable(node) }
            enqueue(node)
            return node
        }
        if let group = directory.group(id) {
            let node = graph.node(.group, id, name: group.name)
            enqueue(node)
            return node
        }
        let node = graph.node(.directoryObject, id, name: fallbackName ?? id)
        if disabledIDs.contains(id) { graph.disable(node) }
        return node
    }

    mutating func enqueue(_ node: Int32) {
        if expanded.insert(node).inserted { pending.append(node) }
    }

    func isInRestrictedUnit(_ objectID: String) -> Bool {
        restrictedUnitIDs.contains { unitMembers[$0]?.contains(objectID) == true }
    }

    // MARK: Exclusion groups

    mutating func addExclusionControl(_ groupID: String) {
        let group = directory.group(groupID)
        let groupName = group?.name ?? groupID
        let control = graph.node(.capability, "members:\(groupID)", name: "change the members of \(groupName)")
        let members = directory.transitiveUsers(ofGroup: groupID).users
        for (position, account) in accountIDs.enumerated() where members.contains(account) {
            // Removing the account matters where a policy relies on the group to exclude it.
            guard let policy = snapshot.policies.first(where: { policy in
                policy.isEnabled && policy.conditions.users.excludeGroups.contains { Directory.normalized($0) == groupID }
                    && !policy.conditions.users.excludeUsers.contains { Directory.normalized($0) == account }
            }) else { continue }
            graph.edge(control, lockOutGoals[position], .grants,
                       Evidence(file: SnapshotFile.policies.rawValue, objectID: policy.id, detail: "excludes \(groupName)"),
                       why: "Removing \(accountNames[position]) from \(groupName) puts '\(policy.displayName)' back on it.")
        }
        let restricted = isInRestrictedUnit(groupID)
        if let owners = snapshot.groupOwners[groupID] {
            if !restricted {
                for owner in owners {
                    let node = principal(owner.id)
                    graph.edge(node, control, .owner,
                               Evidence(file: "\(SnapshotFile.groupOwners.rawValue)/\(groupID).json", objectID: owner.id),
                               why: "An owner of \(groupName) adds and removes its members.")
                }
            }
        } else {
            missingOwners[.groupOwners, default: []].append(groupID)
        }
        exclusionControls.append((control, groupID, group?.isAssignableToRole != true && !restricted))
    }

    // MARK: Roles

    mutating func addRoleHoldings() {
        struct Record { var id: String; var principal: String; var role: String; var scope: String?; var file: SnapshotFile }
        var active: [Record] = snapshot.roleAssignments.map {
            Record(id: $0.id, principal: $0.principalId, role: $0.roleDefinitionId, scope: $0.directoryScopeId, file: .roleAssignments)
        }
        for instance in snapshot.roleAssignmentScheduleInstances ?? [] {
            if let start = instance.startDateTime, start > now { continue }
            if let end = instance.endDateTime, end <= now { continue }
            active.append(Record(id: instance.id, principal: instance.principalId, role: instance.roleDefinitionId,
                                 scope: instance.directoryScopeId, file: .roleAssignmentScheduleInstances))
        }
        for record in active {
            let template = directory.templateID(record.role)
            guard TierZeroRules.roles[template] != nil else { continue }
            let scope = record.scope ?? "/"
            let role = roleNode(template, scope: scope)
            let holder = principal(record.principal)
            graph.edge(holder, role, .activeRole,
                       Evidence(file: record.file.rawValue, objectID: record.id, detail: roleLabel(template, scope)),
                       why: "\(graph.nodes[Int(holder)].name) holds \(roleLabel(template, scope)).")
        }
        for schedule in snapshot.roleEligibilitySchedules ?? [] {
            if let end = schedule.scheduleInfo?.expiration?.endDateTime, end <= now { continue }
            let template = directory.templateID(schedule.roleDefinitionId)
            guard TierZeroRules.roles[template] != nil else { continue }
            let scope = schedule.directoryScopeId ?? "/"
            let role = roleNode(template, scope: scope)
            let holder = principal(schedule.principalId)
            graph.edge(holder, role, .eligibleRole,
                       Evidence(file: SnapshotFile.roleEligibilitySchedules.rawValue, objectID: schedule.id,
                                detail: roleLabel(template, scope)),
                       why: "\(graph.nodes[Int(holder)].name) is eligible for \(roleLabel(template, scope)) and activates it through PIM when they choose.")
        }
    }

    func roleLabel(_ template: String, _ scope: String) -> String {
        let name = TierZeroRules.roles[template]?.name ?? directory.roleName(template)
        return scope == "/" ? name : "\(name) (scope \(scope))"
    }

    mutating func roleNode(_ template: String, scope: String) -> Int32 {
        let id = "\(template)@\(scope)"
        if let existing = graph.existing(.role, id) { return existing }
        let label = roleLabel(template, scope)
        let node = graph.node(.role, id, name: label)
        let evidence = Evidence(file: SnapshotFile.roleDefinitions.rawValue, objectID: template, detail: label)
        for effect in TierZeroRules.roles[template]?.effects ?? [] { apply(effect, from: node, scope: scope, evidence: evidence) }
        return node
    }

    mutating func apply(_ effect: Effect, from node: Int32, scope: String, evidence: Evidence) {
        switch effect {
        case .account(let kind, let restrictable, let why):
            let goals = kind == .takeOver ? takeOverGoals : lockOutGoals
            for (position, goal) in goals.enumerated() where reaches(scope: scope, account: position, restrictable: restrictable) {
                graph.edge(node, goal, .grants, evidence, why: why)
            }
        case .exclusionGroupMembers(let why):
            for control in exclusionControls where control.acceptsGroupWriters {
                guard scope == "/" || unitScope(scope).map({ unitMembers[$0]?.contains(control.group) == true }) == true
                else { continue }
                graph.edge(node, control.node, .grants, evidence, why: why)
            }
        case .anyApplication(let why):
            if scope == "/" {
                graph.edge(node, hub, .grants, evidence, why: why)
            } else if let object = objectScope(scope), servicePrincipals[object] != nil {
                // A role scoped to one application registration or service principal covers only that one.
                let target = principal(object)
                graph.edge(node, target, .grants, evidence, why: why)
            } else if let object = objectScope(scope),
                      let app = snapshot.applications?.first(where: { Directory.normalized($0.id) == object }) {
                let appNode = graph.node(.application, object, name: app.name)
                enqueue(appNode)
                graph.edge(node, appNode, .grants, evidence, why: why)
            }
        }
    }

    /// Whether a role at `scope` reaches the account. Tenant scope reaches everyone except, for `restrictable`
    /// effects, members of a restricted-management unit; a unit scope reaches its members, and a regular unit's
    /// scope does not reach an account a restricted unit also holds (Learn: admin-units-restricted-management).
    func reaches(scope: String, account position: Int, restrictable: Bool) -> Bool {
        let restricted = accountUnits[position]
        if scope == "/" { return !(restrictable && (restricted?.isEmpty == false)) }
        guard let unit = unitScope(scope), unitMembers[unit]?.contains(accountIDs[position]) == true else { return false }
        if restrictedUnitIDs.contains(unit) { return true }
        return restricted?.isEmpty != false
    }

    func unitScope(_ scope: String) -> String? {
        let prefix = "/administrativeunits/"
        let lower = scope.lowercased()
        guard lower.hasPrefix(prefix) else { return nil }
        return String(lower.dropFirst(prefix.count))
    }

    func objectScope(_ scope: String) -> String? {
        let parts = scope.split(separator: "/")
        guard parts.count == 1 else { return nil }
        return Directory.normalized(String(parts[0]))
    }

    // MARK: Application permissions

    mutating func addApplicationPermissions() {
        guard let graphPrincipal = snapshot.graphServicePrincipal, let assignments = snapshot.graphAppRoleAssignments else {
            return
        }
        let graphID = Directory.normalized(graphPrincipal.id)
        var names: [String: String] = [:]
        for role in graphPrincipal.appRoles { if let value = role.value { names[Directory.normalized(role.id)] = value } }
        for assignment in assignments {
            if let resource = assignment.resourceId, Directory.normalized(resource) != graphID { continue }
            guard let name = names[Directory.normalized(assignment.appRoleId)],
                  let effects = TierZeroRules.permissions[name] else { continue }
            let permission: Int32
            if let existing = graph.existing(.permission, name) {
                permission = existing
            } else {
                permission = graph.node(.permission, name, name: "Microsoft Graph \(name)")
                let evidence = Evidence(file: SnapshotFile.graphServicePrincipal.rawValue,
                                        objectID: assignment.appRoleId, detail: name)
                for effect in effects { apply(effect, from: permission, scope: "/", evidence: evidence) }
            }
            let holder = principal(assignment.principalId, fallbackName: assignment.principalDisplayName)
            graph.edge(holder, permission, .appPermission,
                       Evidence(file: SnapshotFile.graphAppRoleAssignments.rawValue, objectID: assignment.id, detail: name),
                       why: "\(graph.nodes[Int(holder)].name) holds the application permission \(name) (no user needed).")
        }
    }

    // MARK: Members and owners

    mutating func expand(_ node: Int32) {
        let vertex = graph.nodes[Int(node)]
        switch vertex.kind {
        case .group:
            let groupID = vertex.id
            if let members = snapshot.groupMembers[groupID] {
                for member in members {
                    let memberNode = principal(member.id)
                    graph.edge(memberNode, node, .member,
                               Evidence(file: "\(SnapshotFile.groupMembers.rawValue)/\(groupID).json", objectID: member.id),
                               why: "A member of \(vertex.name) holds what the group holds.")
                }
            } else {
                missingMembers.append(groupID)
            }
            guard !isInRestrictedUnit(groupID) else { return }
            if let owners = snapshot.groupOwners[groupID] {
                for owner in owners {
                    let ownerNode = principal(owner.id)
                    graph.edge(ownerNode, node, .owner,
                               Evidence(file: "\(SnapshotFile.groupOwners.rawValue)/\(groupID).json", objectID: owner.id),
                               why: "An owner of \(vertex.name) adds members, themselves included.")
                }
            } else {
                missingOwners[.groupOwners, default: []].append(groupID)
            }
        case .servicePrincipal:
            let id = vertex.id
            if let owners = snapshot.servicePrincipalOwners[id] {
                for owner in owners {
                    let ownerNode = principal(owner.id)
                    graph.edge(ownerNode, node, .owner,
                               Evidence(file: "\(SnapshotFile.servicePrincipalOwners.rawValue)/\(id).json", objectID: owner.id),
                               why: "An owner of \(vertex.name) adds a credential to it and signs in as it.")
                }
            } else if snapshot.servicePrincipals != nil {
                missingOwners[.servicePrincipalOwners, default: []].append(id)
            }
            if let appID = servicePrincipals[id]?.appId, let app = applicationsByAppID[Directory.normalized(appID)] {
                let appNode = graph.node(.application, Directory.normalized(app.id), name: app.name)
                graph.edge(appNode, node, .registration,
                           Evidence(file: SnapshotFile.applications.rawValue, objectID: app.id, detail: "appId \(appID)"),
                           why: "A credential added to the registration \(app.name) signs in as \(vertex.name).")
                enqueue(appNode)
            }
        case .application:
            let id = vertex.id
            if let owners = snapshot.applicationOwners[id] {
                for owner in owners {
                    let ownerNode = principal(owner.id)
                    graph.edge(ownerNode, node, .owner,
                               Evidence(file: "\(SnapshotFile.applicationOwners.rawValue)/\(id).json", objectID: owner.id),
                               why: "An owner of the registration \(vertex.name) adds a credential to it.")
                }
            } else {
                missingOwners[.applicationOwners, default: []].append(id)
            }
        default:
            break
        }
    }

    /// Whoever can add credentials to any application acts as each of this tenant's own service principals
    /// (managed identities take none; other tenants' applications keep their credentials at home).
    mutating func addAnyApplicationEdges() {
        for position in 0..<graph.nodeCount {
            let vertex = graph.nodes[position]
            guard vertex.kind == .servicePrincipal, let servicePrincipal = servicePrincipals[vertex.id],
                  !servicePrincipal.isManagedIdentity else { continue }
            if let owner = servicePrincipal.appOwnerOrganizationId, Directory.normalized(owner) != tenantID { continue }
            graph.edge(hub, Int32(position), .anyApplication,
                       Evidence(file: SnapshotFile.servicePrincipals.rawValue, objectID: servicePrincipal.id,
                                detail: servicePrincipal.appId.map { "appId \($0)" }),
                       why: "A credential added to \(vertex.name) signs in as it.")
        }
    }

    mutating func summariseMissingFiles() {
        for (folder, ids) in missingOwners.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let unique = Array(Set(ids)).sorted()
            let reason = snapshot.whyUnavailable(folder)?.description
                ?? "\(unique.count) file\(unique.count == 1 ? "" : "s") not in the snapshot (needs \(folder.requirement ?? "read access")): \(unique.prefix(3).joined(separator: ", "))\(unique.count > 3 ? ", …" : "")"
            limitations.append(Limitation(file: "\(folder.rawValue)/\(unique.first ?? "").json", reason: reason,
                                          effect: "Owners of \(unique.count) object\(unique.count == 1 ? "" : "s") on a path are not followed."))
        }
        let groups = Array(Set(missingMembers)).sorted()
        if !groups.isEmpty {
            limitations.append(Limitation(
                file: "\(SnapshotFile.groupMembers.rawValue)/\(groups[0]).json",
                reason: "the members of \(groups.count) group\(groups.count == 1 ? "" : "s") holding a role are not in the snapshot (needs GroupMember.Read.All): \(groups.prefix(3).joined(separator: ", "))",
                effect: "Members of these groups are not followed."))
        }
    }

    // MARK: Searching

    func finish() -> TierZeroAnalysis {
        let reverse = graph.reverse()
        let takeOver = takeOverGoals.map { graph.search(to: $0, reverse: reverse) }
        let lockOut = lockOutGoals.map { graph.search(to: $0, reverse: reverse) }
        let direct: Set<Relation> = [.member, .activeRole, .eligibleRole, .appPermission, .grants]
        let held = takeOverGoals.map { graph.search(to: $0, reverse: reverse, allowed: direct.contains) }
        let accountSet = Set(accountIDs)
        var paths: [TierZeroPath] = []
        var tierZero = accountSet
        for position in 0..<graph.nodeCount {
            let vertex = graph.nodes[position]
            guard vertex.isPrincipal, !graph.disabled[position], !accountSet.contains(vertex.id) else { continue }
            if held.contains(where: { $0[position] >= 0 }) { tierZero.insert(vertex.id) }
            let taken = takeOver.indices.filter { takeOver[$0][position] >= 0 }
            if let first = taken.first {
                paths.append(TierZeroPath(kind: .takeOver, principal: vertex, accounts: taken.map { accountNames[$0] },
                                          hops: graph.hops(from: Int32(position), next: takeOver[first])))
            }
            let locked = lockOut.indices.filter { lockOut[$0][position] >= 0 && takeOver[$0][position] < 0 }
            if let first = locked.first {
                paths.append(TierZeroPath(kind: .lockOut, principal: vertex, accounts: locked.map { accountNames[$0] },
                                          hops: graph.hops(from: Int32(position), next: lockOut[first])))
            }
        }
        paths.sort { a, b in
            if a.kind != b.kind { return a.kind == .takeOver }
            if a.hops.count != b.hops.count { return a.hops.count < b.hops.count }
            if a.principal.name.lowercased() != b.principal.name.lowercased() {
                return a.principal.name.lowercased() < b.principal.name.lowercased()
            }
            return a.principal.id < b.principal.id
        }
        let accounts = accountIDs.enumerated().map { position, id in
            TierZeroAnalysis.Account(id: id, name: accountNames[position], restrictedUnits: accountUnits[position].map { Array($0).sorted() })
        }
        return TierZeroAnalysis(accounts: accounts, paths: paths, limitations: limitations, tierZero: tierZero,
                                nodeCount: graph.nodeCount, edgeCount: graph.edges.count)
    }
}

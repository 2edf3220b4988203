import EntraModel
import Foundation

/// Conditional Access for the whole directory at once, in columns (DESIGN.md, "Cost independent of shape"): users
/// are numbered by their position in the snapshot; every group a policy names or a role is assigned to has its
/// transitive users as a `Bitset`; each role the policies name has its active holders as one; each policy has the
/// users its users condition reaches. A sign-in for a set of users is then set algebra over those bitsets plus one
/// evaluation of each policy's other conditions, which do not depend on the user — whatever the shape of the
/// directory (deep nesting, hundreds of policy groups, memberships so diverse that no two users look alike).
///
/// The per-user `Evaluator` stays the reference: this type reuses its compiled policies, condition checks, grant
/// controls and decision rule, and answers only the users condition from the columns; a test checks that both agree
/// on every user and scenario.
public struct PopulationEvaluator: Sendable {
    public let evaluator: Evaluator
    let directory: Directory
    public let userCount: Int
    /// Transitive users of every group the policies name or that holds a role or eligibility, by lowercased id.
    let closures: [String: Bitset]
    /// `closures` by group number of the directory's membership index.
    let closuresByNumber: [Bitset?]
    /// Active holders of each role the policies name, as the users condition counts them (at directory scope).
    let roleHolders: [String: Bitset]
    /// Users holding an active directory-wide assignment of a role security defaults name
    /// (`WellKnownRole.securityDefaultsAdministrators`): administrators for security defaults.
    let administrators: Bitset
    /// Per compiled policy: the users its users condition includes (certainly or possibly) and does not exclude,
    /// and those of them included only possibly (unknown group members, a B2B user's home tenant).
    let reach: [UserReach]

    struct UserReach: Sendable {
        var applies: Bitset
        var uncertain: Bitset?
    }

    public init(evaluator: Evaluator) {
        self.evaluator = evaluator
        let directory = evaluator.directory
        self.directory = directory
        let snapshot = directory.snapshot
        let userCount = snapshot.users.count
        self.userCount = userCount
        let policies = evaluator.policies

        // The groups whose users the columns need: named by a policy, or principals of role assignments.
        let activePrincipals = Set(snapshot.roleAssignments.map { Directory.normalized($0.principalId) })
            .union((snapshot.roleAssignmentScheduleInstances ?? []).map { Directory.normalized($0.principalId) })
        var named = Set(directory.roleGroups)
        for policy in policies { named.formUnion(policy.users.includeGroups + policy.users.excludeGroups) }
        let closures = directory.membership.transitiveUsers(ofGroups: Array(named))
        self.closures = closures
        var byNumber = [Bitset?](repeating: nil, count: directory.membership.groupCount)
        for (id, closure) in closures { if let number = directory.membership.groupNumber(id) { byNumber[number] = closure } }
        closuresByNumber = byNumber

        // Role holders: only users who are principals or in a principal group can hold a role; each of them is
        // asked the way `Subject` asks (the Directory's role logic, then the users condition's filter).
        let roles = Set(policies.flatMap { $0.users.includeRoles + $0.users.excludeRoles })
        var holders = Dictionary(uniqueKeysWithValues: roles.map { ($0, Bitset(capacity: userCount)) })
        var administrators = Bitset(capacity: userCount)
        let needsRoles = evaluator.tenant.securityDefaultsEnabled || !roles.isEmpty
        if needsRoles {
            var candidates = Bitset(capacity: userCount)
            for principal in activePrincipals {
                if let position = directory.userPosition(principal) { candidates.insert(position) }
            }
            let groups = directory.roleGroups.compactMap { group in closures[group].map { (group, $0) } }
            for (_, closure) in groups { candidates.formUnion(closure) }
            candidates.forEach { position in
                let id = snapshot.users[position].id
                let inGroups = Set(groups.filter { $0.1.contains(position) }.map(\.0))
                let (active, _) = Subject.roles(
                    active: directory.activeRoles(of: id, at: evaluator.now, groups: inGroups), eligible: nil)
                if active.keys.contains(where: { WellKnownRole.securityDefaultsAdministrators[$0] != nil }) {
                    administrators.insert(position)
                }
                for role in active.keys where holders[role] != nil { holders[role]?.insert(position) }
            }
        }
        roleHolders = holders
        self.administrators = administrators

        // Guests and external users by kind, when a policy asks.
        var external: [ExternalUserKind: Bitset] = [:]
        if policies.contains(where: \.users.readsExternalKind) {
            for kind in [ExternalUserKind.internalGuest, .b2bCollaborationGuest, .b2bCollaborationMember] {
                external[kind] = Bitset(capacity: userCount)
            }
            for (position, user) in snapshot.users.enumerated() {
                if let kind = ExternalUserKind(user: user) { external[kind]?.insert(position) }
            }
        }
        let columns = UserColumns(
            userCount: userCount, closures: closures, roleHolders: holders, external: external,
            position: { directory.userPosition($0) })
        reach = policies.map { $0.users.reach(columns) }
    }

    // MARK: One user (whatif)

    /// The decision for one sign-in, as `Evaluator.evaluate` gives it — every policy with its reasons. `explain`
    /// walks the user's groups once for the "nested through" paths of the reasons, and that walk then answers every
    /// membership too (the per-user evaluation); without it the user's groups are answered from the closures and no
    /// group list is read. A user not in the snapshot is evaluated per user.
    public func evaluate(_ context: SignInContext, explain: Bool = true) -> Evaluation {
        guard !explain, let position = directory.userPosition(idOrUPN: context.userID) else { return evaluator.evaluate(context) }
        return evaluator.evaluate(context, subject: subject(position), policies: evaluator.policies)
    }

    /// The user at `position`, with groups from the closures and roles as `Subject` finds them.
    func subject(_ position: Int) -> Subject {
        let user = directory.snapshot.users[position]
        let id = user.id.lowercased()
        var active: [String: RoleHolding] = [:]
        var eligibleOnly: Set<String> = []
        let policies = evaluator.policies
        if evaluator.tenant.securityDefaultsEnabled || policies.contains(where: \.users.needsRoles) {
            let groups = Set(directory.roleGroups.filter { closures[$0]?.contains(position) == true })
            (active, eligibleOnly) = Subject.roles(
                active: directory.activeRoles(of: id, at: evaluator.now, groups: groups),
                eligible: directory.eligibleRoles(of: id, at: evaluator.now, groups: groups))
        }
        return Subject(id: id, user: user,
                       groups: GroupMembership(position: position, closures: closuresByNumber),
                       activeRoles: active, eligibleOnlyRoles: eligibleOnly)
    }

    // MARK: Many users (simulate --all-users)

    /// One sign-in for every user of `users`: `context` with any of them as the user. The caller groups users so
    /// that the context is the same for each: same capabilities (given, or the same registered methods), same
    /// device and network — only the users condition then tells them apart, and it is answered from the columns.
    /// Security defaults count users holding one of the roles Learn lists as administrators.
    public func outcome(of context: SignInContext, for users: Bitset) -> PopulationOutcome {
        let representative = directory.userPosition(idOrUPN: context.userID)
        let user = representative.map { directory.snapshot.users[$0] }
        func subject(administrator: Bool) -> Subject {
            let id = (user?.id ?? context.userID).lowercased()
            let role = RoleHolding(roleTemplateID: WellKnownRole.globalAdministrator, scope: "/", path: .direct,
                                   kind: .assigned, endDateTime: nil)
            return Subject(id: id, user: user, groups: GroupMembership(position: 0, closures: []),
                           activeRoles: administrator ? [role.roleTemplateID: role] : [:], eligibleOnlyRoles: [])
        }
        let (facts, notes) = evaluator.facts(context, subject: subject(administrator: false))
        let included = UserCondition.Match(scope: .included("included"), isCertain: true, notes: [])
        let empty = Bitset(capacity: userCount)
        var applying: [Bitset] = []
        var uncertain: [Bitset] = []
        var blocked = empty
        var controlled = empty
        var cases: [[PopulationOutcome.Case]] = []
        func record(_ verdict: PolicyVerdict, _ outcome: GrantCondition.Outcome?, reached: Bitset,
                    uncertainReach: Bitset?) {
            guard verdict.applies != .no else {
                applying.append(empty)
                uncertain.append(empty)
                cases.append([])
                return
            }
            cases.append([PopulationOutcome.Case(users: nil, verdict: verdict, outcome: outcome)])
            applying.append(reached)
            uncertain.append(verdict.applies == .unknown ? reached : uncertainReach ?? empty)
            switch Decider.effect(verdict, outcome) {
            case .none: break
            case .blocks: blocked.formUnion(reached)
            case .requires(let controls): if !controls.isEmpty { controlled.formUnion(reached) }
            }
        }
        for (policy, reach) in zip(evaluator.policies, reach) {
            let (verdict, outcome) = policy.verdict(facts, tenant: evaluator.tenant) { included }
            record(verdict, outcome, reached: verdict.applies == .no ? empty : reach.applies.intersection(users),
                   uncertainReach: reach.uncertain?.intersection(users))
        }
        var policyIDs = evaluator.policies.map(\.policy.id)
        if evaluator.tenant.securityDefaultsEnabled {
            // Two verdicts: for administrators and for everyone else; one column of users.
            let admins = users.intersection(administrators)
            let others = users.subtracting(administrators)
            var reached = empty
            var parts: [(PolicyVerdict, GrantCondition.Outcome?, Bitset)] = []
            for (isAdministrator, part) in [(true, admins), (false, others)] {
                let (adminFacts, _) = evaluator.facts(context, subject: subject(administrator: isAdministrator))
                let (verdict, outcome) = SecurityDefaultsPolicy.verdict(adminFacts, directory: directory)
                if verdict.applies != .no { reached.formUnion(part) }
                parts.append((verdict, outcome, part))
            }
            applying.append(reached)
            uncertain.append(empty)
            cases.append(parts.filter { $0.0.applies != .no }.map {
                PopulationOutcome.Case(users: $0.2, verdict: $0.0, outcome: $0.1)
            })
            for (verdict, outcome, part) in parts where verdict.applies != .no {
                switch Decider.effect(verdict, outcome) {
                case .none: break
                case .blocks: blocked.formUnion(part)
                case .requires(let controls): if !controls.isEmpty { controlled.formUnion(part) }
                }
            }
            policyIDs.append(SecurityDefaultsPolicy.id)
        }
        controlled.subtract(blocked)
        return PopulationOutcome(users: users, policyIDs: policyIDs, applying: applying, uncertain: uncertain,
                                 blocked: blocked, withControls: controlled, cases: cases,
                                 notes: notes.filter { $0.contains("no MFA assumed") },
                                 capabilities: facts.atHand.capabilities)
    }
}

/// What one sign-in does for a set of users (`PopulationEvaluator.outcome`).
public struct PopulationOutcome: Sendable {
    public let users: Bitset
    /// The tenant's policies in order, then security defaults when enabled.
    public let policyIDs: [String]
    /// Per policy: the users it applies to (`yes` or `unknown`), and those to whom it only may apply.
    public let applying: [Bitset]
    public let uncertain: [Bitset]
    public let blocked: Bitset
    /// Granted with controls to satisfy (not blocked).
    public let withControls: Bitset
    /// Per policy, the verdicts of the sign-in's other conditions and grant controls for those it applies to
    /// (security defaults: one for administrators, one for the others, each with its users).
    let cases: [[Case]]
    /// Notes `Evaluator.evaluate` adds to the block reasons (methods unknown: no MFA assumed).
    let notes: [String]
    /// The capabilities the decision used (`Evaluation.capabilities`): the same for every user of the column.
    public let capabilities: Set<Capability>

    /// Users granted only when they satisfy a control `isOther` picks (a policy that applies to them requires it),
    /// and users blocked: those for whom the sign-in asks more than the other controls.
    public func blockedOrRequiring(_ isOther: (String) -> Bool) -> Bitset {
        var result = blocked
        for (index, list) in cases.enumerated() {
            for item in list {
                guard case .requires(let controls) = Decider.effect(item.verdict, item.outcome),
                      controls.contains(where: isOther) else { continue }
                result.formUnion(item.users.map { applying[index].intersection($0) } ?? applying[index])
            }
        }
        return result
    }

    struct Case: Sendable {
        /// nil: every user the policy applies to.
        var users: Bitset?
        var verdict: PolicyVerdict
        var outcome: GrantCondition.Outcome?
    }

    /// The user's decision with the controls to satisfy and the block reasons, worded as `Evaluator.evaluate`
    /// words them (the same `Decider` rule, with the user's own applicability).
    public func details(of position: Int) -> (decision: Decision, requiredControls: [String], blockReasons: [String]) {
        var blockReasons: [String] = []
        var required: [String] = []
        for (index, list) in cases.enumerated() where applying[index].contains(position) {
            for item in list where item.users?.contains(position) ?? true {
                var verdict = item.verdict
                verdict.applies = uncertain[index].contains(position) ? .unknown : .yes
                switch Decider.effect(verdict, item.outcome) {
                case .none: break
                case .blocks(let reason): blockReasons.append(reason)
                case .requires(let controls):
                    for control in controls where !required.contains(control) { required.append(control) }
                }
            }
        }
        guard blockReasons.isEmpty else { return (.block, [], blockReasons + notes) }
        return required.isEmpty ? (.grant, [], []) : (.grantWithControls, required, [])
    }

    public func decision(of position: Int) -> Decision {
        if blocked.contains(position) { return .block }
        return withControls.contains(position) ? .grantWithControls : .grant
    }

    public func applicability(of policy: Int, for position: Int) -> Applicability {
        guard applying[policy].contains(position) else { return .no }
        return uncertain[policy].contains(position) ? .unknown : .yes
    }
}

/// A user's groups, by group number of the directory's membership index: answered from the closures of the groups
/// the policies name (no group list read), or from one walk up from the user, which also gives the path below each
/// group.
struct GroupMembership: Sendable {
    var position: Int?
    /// The closures by group number (nil: not a policy or role group).
    var closures: [Bitset?] = []
    var ancestry: MembershipIndex.Ancestry?
    /// The "nested through" text below each group, made once per evaluation: policies name the same groups.
    let pathTexts = PathTexts()

    init(ancestry: MembershipIndex.Ancestry) { self.ancestry = ancestry }

    init(position: Int, closures: [Bitset?]) {
        self.position = position
        self.closures = closures
    }

    /// Whether the user is in the group (nil: a group the directory does not know, which has no members).
    func contains(_ group: Int?) -> Bool {
        guard let group else { return false }
        if let ancestry { return ancestry.contains(group) }
        guard let position, group < closures.count, let closure = closures[group] else { return false }
        return closure.contains(position)
    }

    func pathNumbers(below group: Int) -> [Int] { ancestry?.pathNumbers(belowNumber: group) ?? [] }
}

extension Subject {
    init(id: String, user: User?, groups: GroupMembership, activeRoles: [String: RoleHolding],
         eligibleOnlyRoles: Set<String>) {
        self.id = id
        self.user = user
        self.groups = groups
        self.activeRoles = activeRoles
        self.eligibleOnlyRoles = eligibleOnlyRoles
        externalKind = user.flatMap(ExternalUserKind.init(user:))
    }
}

/// Texts by group number, made once: a lock makes it safe if a subject is ever shared between threads.
final class PathTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [Int: String] = [:]

    func text(_ group: Int, make: () -> String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let text = texts[group] { return text }
        let text = make()
        texts[group] = text
        return text
    }
}

/// What the users condition reads, as columns over user positions.
struct UserColumns {
    let userCount: Int
    let closures: [String: Bitset]
    let roleHolders: [String: Bitset]
    /// Empty when no policy reads guest or external kinds.
    let external: [ExternalUserKind: Bitset]
    let position: (String) -> Int?

    var externalUsers: Bitset {
        external.values.reduce(into: Bitset(capacity: userCount)) { $0.formUnion($1) }
    }

    /// The users of each kind the rule matches certainly (`yes`) and possibly.
    func external(_ rule: ExternalUserRule?) -> (certain: Bitset, possible: Bitset) {
        var certain = Bitset(capacity: userCount)
        var possible = Bitset(capacity: userCount)
        guard let rule else { return (certain, possible) }
        for (kind, users) in external {
            switch rule.match(kind) {
            case .yes: certain.formUnion(users)
            case .possibly: possible.formUnion(users)
            case .no: break
            }
        }
        return (certain, possible)
    }
}

extension UserCondition {
    /// Whether the condition reads the user's guest or external kind.
    var readsExternalKind: Bool {
        includesAnyGuest || excludesAnyGuest || includeExternal != nil || excludeExternal != nil
    }

    /// `evaluate` for every user at once: exclusion wins; then included (All, named, guest kind, group, role); then
    /// possibly included (a B2B user's home tenant, a named group whose members are unknown). An included user whose
    /// exclusion cannot be checked (an excluded group whose members are unknown, an external user's home tenant) is
    /// included uncertainly, as `evaluate` says.
    func reach(_ columns: UserColumns) -> PopulationEvaluator.UserReach {
        let none = Bitset(capacity: columns.userCount)
        guard !includesNone else { return PopulationEvaluator.UserReach(applies: none, uncertain: nil) }
        func users(_ ids: Set<String>) -> Bitset {
            Bitset(capacity: columns.userCount, ids.compactMap(columns.position))
        }
        func union(_ keys: [String], _ sets: [String: Bitset]) -> Bitset {
            keys.reduce(into: none) { result, key in if let set = sets[key] { result.formUnion(set) } }
        }
        var excluded = users(excludeUsers)
        if excludesAnyGuest { excluded.formUnion(columns.externalUsers) }
        excluded.formUnion(columns.external(excludeExternal).certain)
        excluded.formUnion(union(excludeGroups, columns.closures))
        excluded.formUnion(union(excludeRoles, columns.roleHolders))

        var certain: Bitset
        if includesAll {
            certain = .full(capacity: columns.userCount)
        } else {
            certain = users(includeUsers)
            if includesAnyGuest { certain.formUnion(columns.externalUsers) }
            let external = columns.external(includeExternal)
            certain.formUnion(external.certain)
            certain.formUnion(union(includeGroups, columns.closures))
            certain.formUnion(union(includeRoles, columns.roleHolders))
        }
        var possible = includesAll ? none : columns.external(includeExternal).possible
        if !includesAll, includeGroups.contains(where: { !(unknownMembership[$0] ?? []).isEmpty }) {
            possible = .full(capacity: columns.userCount)
        }
        var applies = certain.union(possible)
        applies.subtract(excluded)
        var uncertain = possible.subtracting(certain)
        if excludeGroups.contains(where: { !(unknownMembership[$0] ?? []).isEmpty }) {
            uncertain = applies
        } else {
            uncertain.formUnion(columns.external(excludeExternal).possible.intersection(applies))
        }
        uncertain.subtract(excluded)
        return PopulationEvaluator.UserReach(applies: applies, uncertain: uncertain.isEmpty ? nil : uncertain)
    }
}

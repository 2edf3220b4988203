import EntraModel
import Foundation

/// What the users condition needs to know about the signing-in user, computed once per evaluation: transitive
/// groups (with the path to each), active and eligible-only directory roles, the guest/external kind.
struct Subject: Sendable {
    /// Lowercased object id.
    let id: String
    let user: User?
    /// Every group the user is in, directly or nested, mapped to the group below it on the way to the user
    /// ("" for a direct membership). Cycles end the walk.
    let groups: [String: String]
    /// Active assignments at directory scope ("/") by role template id.
    let activeRoles: [String: RoleHolding]
    /// Role templates the user is eligible for (PIM) but does not hold actively.
    let eligibleOnlyRoles: Set<String>
    let externalKind: ExternalUserKind?

    init(userID: String, directory: Directory, now: Date, needsRoles: Bool) {
        let user = directory.user(idOrUPN: userID)
        let id = (user?.id ?? userID).lowercased()
        self.id = id
        self.user = user
        var groups: [String: String] = [:]
        var queue = directory.directGroups(of: id).map { ($0, "") }
        while let (group, via) = queue.popLast() {
            guard groups[group] == nil else { continue }
            groups[group] = via
            queue.append(contentsOf: directory.directGroups(of: group).map { ($0, group) })
        }
        self.groups = groups
        var active: [String: RoleHolding] = [:]
        var eligibleOnly: Set<String> = []
        if needsRoles {
            for holding in directory.activeRoles(of: id, at: now) where holding.isDirectoryWide {
                if let existing = active[holding.roleTemplateID], existing.path == .direct { continue }
                active[holding.roleTemplateID] = holding
            }
            for holding in directory.eligibleRoles(of: id, at: now) ?? []
            where holding.isDirectoryWide && active[holding.roleTemplateID] == nil {
                eligibleOnly.insert(holding.roleTemplateID)
            }
        }
        activeRoles = active
        eligibleOnlyRoles = eligibleOnly
        externalKind = user.flatMap(ExternalUserKind.init(user:))
    }

    /// The groups between `group` and the user, outermost first: `[Inner]` when the user is in Inner, which is in
    /// `group`.
    func path(below group: String) -> [String] {
        var chain: [String] = []
        var current = groups[group] ?? ""
        while !current.isEmpty, chain.count < groups.count {
            chain.append(current)
            current = groups[current] ?? ""
        }
        return chain
    }
}

/// How Conditional Access classes a user for `guestOrExternalUserTypes`, from the user object alone. The mapping is
/// conservative and documented here because Graph exposes no such field:
/// - external = `externalUserState` set, `creationType` `Invitation`, or `#EXT#` in the UPN (a B2B invitation);
/// - `userType` Guest and external → `b2bCollaborationGuest`; Guest and not external → `internalGuest`;
/// - `userType` Member and external → `b2bCollaborationMember`; otherwise an internal member (nil).
/// `b2bDirectConnectUser`, `otherExternalUser` and `serviceProvider` users have no user object in the tenant, so
/// they never describe a directory user.
enum ExternalUserKind: String, Sendable, Hashable {
    case internalGuest, b2bCollaborationGuest, b2bCollaborationMember

    init?(user: User) {
        let invited = !(user.externalUserState ?? "").isEmpty
            || user.creationType?.caseInsensitiveCompare("Invitation") == .orderedSame
            || (user.userPrincipalName ?? "").uppercased().contains("#EXT#")
        switch (user.isGuest, invited) {
        case (true, true): self = .b2bCollaborationGuest
        case (true, false): self = .internalGuest
        case (false, true): self = .b2bCollaborationMember
        case (false, false): return nil
        }
    }
}

/// `include/excludeGuestsOrExternalUsers`.
struct ExternalUserRule: Sendable {
    let types: Set<String>
    /// nil = all external tenants.
    let tenants: [String]?

    init?(_ value: ConditionalAccessPolicy.GuestsOrExternalUsers?) {
        guard let value, !value.guestOrExternalUserTypes.isEmpty else { return nil }
        types = Set(value.guestOrExternalUserTypes.map { $0.lowercased() })
        let kind = value.externalTenants?.membershipKind?.lowercased()
        let members = value.externalTenants?.members ?? []
        tenants = kind == "enumerated" || (kind == nil && !members.isEmpty) ? members.map { $0.lowercased() } : nil
    }

    enum Match { case no, yes(String), possibly(String) }

    /// A B2B user's home tenant is not on the user object: against enumerated tenants the match is only possible.
    func match(_ kind: ExternalUserKind?) -> Match {
        guard let kind, types.contains(kind.rawValue.lowercased()) else { return .no }
        guard let tenants, kind != .internalGuest else { return .yes(kind.rawValue) }
        return .possibly("\(kind.rawValue) whose home tenant is unknown (the policy lists tenants "
            + tenants.joined(separator: ", ") + ")")
    }
}

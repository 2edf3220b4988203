import EntraModel
import Foundation

/// What the users condition needs to know about the signing-in user, computed once per evaluation: transitive
/// groups (with the path to each), active and eligible-only directory roles, the guest/external kind.
struct Subject: Sendable {
    /// Lowercased object id.
    let id: String
    let user: User?
    /// Every group the user is in, directly or nested, with the group below it on the way to the user: from one
    /// walk up from the user (cycles end it), or from `PopulationEvaluator`'s closures.
    let groups: GroupMembership
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
        let ancestry = directory.ancestry(of: id)
        groups = GroupMembership(ancestry: ancestry)
        if needsRoles {
            // Roles come through the user's own id and the groups that hold roles: only those of the user's groups.
            let roleGroups = Set(directory.roleGroups.filter { ancestry.contains(groupID: $0) })
            (activeRoles, eligibleOnlyRoles) = Self.roles(
                active: directory.activeRoles(of: id, at: now, groups: roleGroups),
                eligible: directory.eligibleRoles(of: id, at: now, groups: roleGroups))
        } else {
            (activeRoles, eligibleOnlyRoles) = ([:], [])
        }
        externalKind = user.flatMap(ExternalUserKind.init(user:))
    }

    /// The roles the users condition counts, from the user's holdings: active at directory scope, and eligible-only.
    static func roles(active holdings: [RoleHolding], eligible: [RoleHolding]?)
        -> (active: [String: RoleHolding], eligibleOnly: Set<String>)
    {
        var active: [String: RoleHolding] = [:]
        var eligibleOnly: Set<String> = []
        for holding in holdings where holding.isDirectoryWide {
            if let existing = active[holding.roleTemplateID], existing.path == .direct { continue }
            active[holding.roleTemplateID] = holding
        }
        for holding in eligible ?? [] where holding.isDirectoryWide && active[holding.roleTemplateID] == nil {
            eligibleOnly.insert(holding.roleTemplateID)
        }
        return (active, eligibleOnly)
    }

    /// Whether the user is in the group given by its number (nil: unknown to the directory).
    func isMember(ofGroup number: Int?) -> Bool { groups.contains(number) }

    /// The groups between the group and the user, outermost first, as group numbers: `[Inner]` when the user is in
    /// Inner, which is in the group. Empty unless the user's groups were walked up.
    func pathNumbers(below group: Int) -> [Int] { groups.pathNumbers(below: group) }
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

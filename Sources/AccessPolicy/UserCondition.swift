import EntraModel
import Foundation

/// The users condition of one policy, with its id sets lowercased once.
///
/// Unknown group membership (no `group-members/{id}.json` for a group or for a group nested in it): the user may
/// be a member, so the group counts as *possibly including* the user (the policy applies `unknown`), but never as
/// excluding the user — the safe reading when the question is whether somebody gets locked out. An included user whose
/// exclusion cannot be checked (such a group, or an external user's home tenant against enumerated tenants) is
/// included *uncertainly*: the policy applies `unknown`, never a plain yes the snapshot cannot back (DESIGN.md,
/// "Honest results"); the decision still counts it as applying.
struct UserCondition: Sendable {
    let includesNone: Bool
    let includesAll: Bool
    let includesAnyGuest: Bool
    let excludesAnyGuest: Bool
    let includeUsers: Set<String>
    let excludeUsers: Set<String>
    let includeGroups: [String]
    let excludeGroups: [String]
    let includeRoles: [String]
    let excludeRoles: [String]
    /// Roles the condition names that Conditional Access does not count, as notes.
    let ignoredRoles: [String]
    let includeExternal: ExternalUserRule?
    let excludeExternal: ExternalUserRule?
    /// For each group the condition names: the groups at or below it whose members the snapshot does not hold.
    let unknownMembership: [String: [String]]
    /// `includeGroups` and `excludeGroups` resolved once: the group number in the directory's membership index (nil:
    /// unknown to it) and the name a person reads.
    let includeGroupRefs: [GroupRef]
    let excludeGroupRefs: [GroupRef]

    struct GroupRef: Sendable {
        var id: String
        var number: Int?
        var name: String
        /// `unknownMembership` of the group.
        var unknown: [String]
    }

    init(_ users: ConditionalAccessPolicy.Users, directory: Directory, membershipCache: inout [String: [String]]) {
        let include = Set(users.includeUsers.map { $0.lowercased() })
        let exclude = Set(users.excludeUsers.map { $0.lowercased() })
        includesNone = include.contains("none")
        includesAll = include.contains("all")
        includesAnyGuest = include.contains("guestsorexternalusers")
        excludesAnyGuest = exclude.contains("guestsorexternalusers")
        includeUsers = include
        excludeUsers = exclude
        includeGroups = users.includeGroups.map { $0.lowercased() }
        excludeGroups = users.excludeGroups.map { $0.lowercased() }
        // Conditional Access counts built-in roles only (Learn, "Conditional Access: users and groups"); a role the
        // definitions do not list still includes (the safe reading for lock-out) but never excludes.
        let roleIncludes = users.includeRoles.map { directory.templateID($0) }
        let roleExcludes = users.excludeRoles.map { directory.templateID($0) }
        includeRoles = roleIncludes.filter { directory.isBuiltInRole($0) != false }
        excludeRoles = roleExcludes.filter { directory.isBuiltInRole($0) == true }
        var ignored: [String] = []
        for (roles, side) in [(roleIncludes, "include"), (roleExcludes, "exclude")] {
            for role in roles {
                let builtIn = directory.isBuiltInRole(role)
                guard builtIn != true, side == "exclude" || builtIn == false else { continue }
                let what = builtIn == nil ? "is not in role-definitions.json" : "is a custom role"
                ignored.append("role \(directory.roleName(role)) in \(side)Roles \(what): Conditional Access counts "
                    + "only built-in roles, so it is ignored")
            }
        }
        ignoredRoles = ignored
        includeExternal = ExternalUserRule(users.includeGuestsOrExternalUsers)
        excludeExternal = ExternalUserRule(users.excludeGuestsOrExternalUsers)
        var unknown: [String: [String]] = [:]
        for group in includeGroups + excludeGroups {
            if let cached = membershipCache[group] {
                unknown[group] = cached
                continue
            }
            let found = Self.groupsWithUnknownMembers(under: group, directory: directory)
            membershipCache[group] = found
            unknown[group] = found
        }
        unknownMembership = unknown
        func refs(_ ids: [String]) -> [GroupRef] {
            ids.map {
                GroupRef(id: $0, number: directory.membership.groupNumber($0), name: directory.group($0)?.name ?? $0,
                         unknown: unknown[$0] ?? [])
            }
        }
        includeGroupRefs = refs(includeGroups)
        excludeGroupRefs = refs(excludeGroups)
    }

    var needsRoles: Bool { !includeRoles.isEmpty || !excludeRoles.isEmpty }

    /// The group and the groups nested in it whose members are not in the snapshot.
    static func groupsWithUnknownMembers(under group: String, directory: Directory) -> [String] {
        directory.membership.groupsWithUnknownMembers(under: group)
    }

    /// A nesting chain as a person reads it: every group when there are at most `Self.chainLimit`, else the three
    /// outermost and the three innermost around how many are left out (a directory nesting groups hundreds deep
    /// would otherwise print hundreds of names for one policy).
    static func chain(_ groups: [Int], name: (Int) -> String) -> String {
        var text = ""
        text.reserveCapacity(groups.count > chainLimit ? 7 * 24 : groups.count * 24)
        func add(_ part: String) {
            if !text.isEmpty { text += " → " }
            text += part
        }
        guard groups.count > chainLimit else {
            for group in groups { add(name(group)) }
            return text
        }
        for group in groups.prefix(3) { add(name(group)) }
        let skipped = groups.count - 6
        add("… \(skipped) more group\(skipped == 1 ? "" : "s") …")
        for group in groups.suffix(3) { add(name(group)) }
        return text
    }

    static let chainLimit = 8

    struct Match: Sendable {
        var scope: UserScope
        /// false when the inclusion rests on unknown data (group members, a B2B user's home tenant).
        var isCertain: Bool
        /// Facts a person should see besides the verdict: eligible-only roles, exclusions that could not be checked.
        var notes: [String]
    }

    func evaluate(_ subject: Subject, directory: Directory) -> Match {
        guard !includesNone else {
            return Match(scope: .notIncluded("includeUsers is None: the policy includes nobody"), isCertain: true,
                         notes: [])
        }
        var notes: [String] = ignoredRoles
        func groupName(_ id: String) -> String { directory.group(id)?.name ?? id }
        func viaGroup(_ group: GroupRef) -> String {
            guard let number = group.number, subject.groups.ancestry != nil else { return "" }
            return subject.groups.pathTexts.text(number) {
                let path = subject.pathNumbers(below: number)
                return path.isEmpty ? "" : " (nested through \(Self.chain(path, name: directory.groupName(number:))))"
            }
        }
        func viaRole(_ holding: RoleHolding) -> String {
            var text = ""
            if case .group(let group) = holding.path { text += " through group \(groupName(group))" }
            if holding.kind == .activated { text += " (PIM-activated)" }
            return text
        }
        func unknownNote(_ group: GroupRef) -> String? {
            guard !group.unknown.isEmpty else { return nil }
            let nested = group.unknown.filter { $0 != group.id }
            let which = nested.isEmpty ? "" : " (nested group \(nested.map(groupName).joined(separator: ", ")))"
            return "the members of group \(group.name)\(which) are not in the snapshot"
        }

        var exclusionUncertain = false
        // Exclusion first: it always wins.
        if excludeUsers.contains(subject.id) {
            return Match(scope: .excluded("user excluded directly (excludeUsers)"), isCertain: true, notes: [])
        }
        if excludesAnyGuest, let kind = subject.externalKind {
            return Match(scope: .excluded("user excluded as a guest or external user (\(kind.rawValue))"),
                         isCertain: true, notes: [])
        }
        switch excludeExternal?.match(subject.externalKind) ?? .no {
        case .yes(let kind):
            return Match(scope: .excluded("user excluded as guest or external user type \(kind)"), isCertain: true,
                         notes: [])
        case .possibly(let what):
            notes.append("excludeGuestsOrExternalUsers may cover this \(what): not counted")
            exclusionUncertain = true
        case .no: break
        }
        for group in excludeGroupRefs {
            if subject.isMember(ofGroup: group.number) {
                return Match(scope: .excluded("user excluded by group \(group.name)\(viaGroup(group))"),
                             isCertain: true, notes: [])
            }
            if let note = unknownNote(group) {
                notes.append("\(note): not counted as excluding the user")
                exclusionUncertain = true
            }
        }
        for role in excludeRoles {
            if let holding = subject.activeRoles[role] {
                return Match(scope: .excluded("user excluded by role \(directory.roleName(role))\(viaRole(holding))"),
                             isCertain: true, notes: [])
            }
            if subject.eligibleOnlyRoles.contains(role) {
                notes.append("role \(directory.roleName(role)) is eligible only (not active): it does not exclude")
            }
        }

        func included(_ reason: String) -> Match {
            Match(scope: .included(reason), isCertain: !exclusionUncertain, notes: notes)
        }
        if includesAll { return included("user included by All users") }
        if includeUsers.contains(subject.id) { return included("user included directly (includeUsers)") }
        if includesAnyGuest, let kind = subject.externalKind {
            return included("user included as a guest or external user (\(kind.rawValue))")
        }
        var possible: [String] = []
        switch includeExternal?.match(subject.externalKind) ?? .no {
        case .yes(let kind): return included("user included as guest or external user type \(kind)")
        case .possibly(let what): possible.append("user possibly included as a \(what)")
        case .no: break
        }
        for group in includeGroupRefs where subject.isMember(ofGroup: group.number) {
            return included("user included by group \(group.name)\(viaGroup(group))")
        }
        for role in includeRoles {
            if let holding = subject.activeRoles[role] {
                return included("user included by role \(directory.roleName(role))\(viaRole(holding))")
            }
            if subject.eligibleOnlyRoles.contains(role) {
                notes.append("role \(directory.roleName(role)) is eligible only (not active): it does not include")
            }
        }
        for group in includeGroupRefs {
            if let note = unknownNote(group) { possible.append("user possibly included by group: \(note)") }
        }
        if let first = possible.first {
            return Match(scope: .included(first + "; counted as included"), isCertain: false,
                         notes: notes + possible.dropFirst())
        }
        return Match(scope: .notIncluded("user not included by includeUsers, includeGroups, includeRoles or "
                                             + "includeGuestsOrExternalUsers"), isCertain: true, notes: notes)
    }
}

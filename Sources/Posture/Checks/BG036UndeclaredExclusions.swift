import AccessPolicy
import EntraModel
import Foundation

struct BG036UndeclaredExclusions: Check {
    static let metadata = CheckMetadata(
        id: "BG036", title: "Policies for administrators exclude only what is declared", severity: .medium,
        subject: .policy,
        rationale: """
            An exclusion is a hole in a policy. On a policy that protects administrators, every excluded user, \
            group or role must be an emergency account, the exclusion group, or listed in \
            guidance.allowedExclusions — anything else is a quiet bypass (CISA SCuBA checks the same).
            """,
        remediation: .init(
            portal: "Conditional Access > the policy > Users > Exclude: remove the undeclared entries, or declare them in breakglass.yml under guidance.allowedExclusions with the reason in a comment.",
            graph: "PATCH /identity/conditionalAccess/policies/{id} {\"conditions\":{\"users\":{\"excludeUsers\":[…],\"excludeGroups\":[…],\"excludeRoles\":[…]}}}"),
        references: [.scuba, .emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let admins = context.directory.activeAdministrators(at: context.now)
        let allowed = Set(context.configuration.guidance.allowedExclusions.map { $0.lowercased() })
        let exclusionGroups = Set(context.exclusionGroups)
        let enabled = context.snapshot.policies.filter(\.isEnabled)
        let forEveryone = enabled.map { policy in
            let users = policy.conditions.users
            return users.includeUsers.contains { $0.caseInsensitiveCompare("All") == .orderedSame } || !users.includeRoles.isEmpty
        }
        let reaching = positionsReaching(admins, of: enabled, among: enabled.indices.filter { !forEveryone[$0] }, context)
        let policies = enabled.indices.filter { forEveryone[$0] || reaching.contains($0) }.map { enabled[$0] }
        guard !policies.isEmpty else {
            return [notApplicable(context.tenantSubject, "No enabled policy applies to administrators.")]
        }
        return policies.map { policy in
            let users = policy.conditions.users
            var undeclared: [String] = []
            func isAllowed(_ id: String, _ name: String?) -> Bool {
                allowed.contains(id.lowercased()) || name.map { allowed.contains($0.lowercased()) } == true
            }
            for id in users.excludeUsers where !context.isEmergencyAccount(id) {
                let name = context.directory.user(id)?.name
                if !isAllowed(id, name) { undeclared.append("user \(name ?? id)") }
            }
            for id in users.excludeGroups where !exclusionGroups.contains(id.lowercased()) {
                let name = context.directory.group(id)?.name
                if !isAllowed(id, name) { undeclared.append("group \(name ?? id)") }
            }
            for id in users.excludeRoles {
                let name = context.directory.role(id)?.displayName
                if !isAllowed(id, name) { undeclared.append("role \(name ?? id)") }
            }
            if users.excludeGuestsOrExternalUsers != nil && !allowed.contains("guestsorexternalusers") {
                undeclared.append("guests or external users")
            }
            let subject = context.policySubject(policy)
            if undeclared.isEmpty { return pass(subject, "Excludes only the emergency accounts and declared exceptions.") }
            return fail(subject, "'\(policy.displayName)' also excludes \(undeclared.joinedAsList).",
                        evidence: ["undeclared": .array(undeclared.map { .string($0) })])
        }
    }

    /// The positions (of `candidates` in `policies`) whose users condition includes or excludes at least one of
    /// `admins`: each administrator's groups are walked once for every policy still open, and the walk stops when none
    /// is (the users condition of each policy per administrator walked them once per pair).
    private func positionsReaching(_ admins: [User], of policies: [ConditionalAccessPolicy], among candidates: [Int],
                                   _ context: TenantContext) -> Set<Int>
    {
        var open = candidates
        var reaching: Set<Int> = []
        for admin in admins where !open.isEmpty {
            let scopes = context.evaluator.userScopes(of: open.map { policies[$0] }, userID: admin.id)
            var stillOpen: [Int] = []
            for (position, scope) in zip(open, scopes) {
                if case .notIncluded = scope { stillOpen.append(position) } else { reaching.insert(position) }
            }
            open = stillOpen
        }
        return reaching
    }
}

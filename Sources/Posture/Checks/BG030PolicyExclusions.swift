import AccessPolicy
import EntraModel
import Foundation

struct BG030PolicyExclusions: Check {
    static let metadata = CheckMetadata(
        id: "BG030", title: "No enabled Conditional Access policy applies to an emergency account", severity: .critical,
        subject: .account,
        rationale: """
            Every policy that reaches the account is a way to lock it out: a block, an MFA or device requirement \
            that cannot be met during an outage, a new policy created in a hurry. The account must be excluded — \
            directly, through a protected group, or by an excluded role — from every enabled policy, for every \
            resource and client. Tools that only look for the group id in excludeGroups get this wrong both ways; \
            this check evaluates the users condition exactly (nested groups, roles, guests) and takes every other \
            condition as possibly matching. A dedicated phishing-resistant policy the account satisfies is graded \
            medium: accepted by some baselines, still a dependency.
            """,
        remediation: .init(
            portal: "Entra admin center > Protection > Conditional Access > the policy > Users > Exclude: add the emergency-access exclusion group (or the account).",
            graph: "PATCH /identity/conditionalAccess/policies/{id} {\"conditions\":{\"users\":{\"excludeGroups\":[…existing…, \"<exclusion group id>\"]}}}"),
        references: [.emergencyAccess, .learn("Conditional Access: users and groups", "conditional-access/concept-conditional-access-users-groups"), .scuba]
    )

    func run(in context: TenantContext) -> [Finding] {
        exposureFindings(context, policies: context.snapshot.policies.filter(\.isEnabled),
                         none: "The tenant has no enabled Conditional Access policy.", grade: \.severity) { policy, user, exposure in
            "'\(policy.displayName)' applies to \(user.name) (\(exposure.reasons.first ?? "in scope")) and \(exposure.demand)."
        }
    }
}

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
        let policies = context.snapshot.policies.filter(\.isEnabled)
        return flatMapAccounts(context) { account, user in
            guard !policies.isEmpty else {
                return [notApplicable(account.subject, "The tenant has no enabled Conditional Access policy.")]
            }
            return policies.map { policy in
                let exposure = PolicyExposure(policy: policy, user: user, context: context)
                let related = context.policySubject(policy)
                guard exposure.applies else {
                    return pass(account.subject, "Not applied: \(exposure.reasons.first ?? "the account is out of scope").",
                                related: related, evidence: exposure.evidence)
                }
                return fail(account.subject,
                            "'\(policy.displayName)' applies to \(user.name) (\(exposure.reasons.first ?? "in scope")) and \(exposure.demand).",
                            related: related, evidence: exposure.evidence, severity: exposure.severity)
            }
        }
    }
}

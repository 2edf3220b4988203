import AccessPolicy
import EntraModel
import Foundation

struct BG031ReportOnlyPolicies: Check {
    static let metadata = CheckMetadata(
        id: "BG031", title: "No report-only policy applies to an emergency account", severity: .medium, subject: .account,
        rationale: """
            A report-only policy changes nothing today, but switching it on is one click — and the usual way a \
            tested policy goes live. If it reaches the emergency account, that click locks the account out.
            """,
        remediation: .init(
            portal: "Conditional Access > the report-only policy > Users > Exclude: add the emergency-access exclusion group before turning it on.",
            graph: "PATCH /identity/conditionalAccess/policies/{id} {\"conditions\":{\"users\":{\"excludeGroups\":[…]}}}"),
        references: [.emergencyAccess, .learn("Report-only mode", "conditional-access/concept-conditional-access-report-only")]
    )

    func run(in context: TenantContext) -> [Finding] {
        let policies = context.snapshot.policies.filter(\.isReportOnly)
        return flatMapAccounts(context) { account, user in
            guard !policies.isEmpty else {
                return [notApplicable(account.subject, "The tenant has no report-only Conditional Access policy.")]
            }
            return policies.map { policy in
                let exposure = PolicyExposure(policy: policy, user: user, context: context)
                let related = context.policySubject(policy)
                guard exposure.applies else {
                    return pass(account.subject, "Not applied: \(exposure.reasons.first ?? "the account is out of scope").",
                                related: related, evidence: exposure.evidence)
                }
                return fail(account.subject,
                            "Report-only '\(policy.displayName)' would apply to \(user.name) once enabled and \(exposure.demand).",
                            related: related, evidence: exposure.evidence)
            }
        }
    }
}

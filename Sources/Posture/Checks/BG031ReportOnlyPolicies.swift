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
        exposureFindings(context, policies: context.snapshot.policies.filter(\.isReportOnly),
                         none: "The tenant has no report-only Conditional Access policy.") { policy, user, exposure in
            "Report-only '\(policy.displayName)' would apply to \(user.name) once enabled and \(exposure.demand)."
        }
    }
}

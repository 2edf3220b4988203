import AccessPolicy
import EntraModel
import Foundation

struct BG034RiskPolicies: Check {
    static let metadata = CheckMetadata(
        id: "BG034", title: "No risk-based policy applies to an emergency account", severity: .high, subject: .account,
        rationale: """
            An emergency sign-in is unusual by nature — a rare account, an odd hour, perhaps a new location — which \
            is exactly what Identity Protection scores as risky. A user- or sign-in-risk policy can then block the \
            account or demand a password change or MFA it cannot perform.
            """,
        remediation: .init(
            portal: "Conditional Access > each policy with User risk or Sign-in risk conditions > Users > Exclude: the emergency-access exclusion group.",
            graph: "PATCH /identity/conditionalAccess/policies/{id} {\"conditions\":{\"users\":{\"excludeGroups\":[…]}}}"),
        references: [.emergencyAccess, .learn("Risk-based access policies", "identity-protection/concept-identity-protection-policies")]
    )

    func run(in context: TenantContext) -> [Finding] {
        let policies = context.snapshot.policies.filter {
            $0.state != PolicyState.disabled
                && !($0.conditions.userRiskLevels.isEmpty && $0.conditions.signInRiskLevels.isEmpty)
        }
        return exposureFindings(context, policies: policies,
                                none: "The tenant has no risk-based Conditional Access policy.") { policy, user, exposure in
            let levels = (policy.conditions.userRiskLevels.map { "user risk \($0)" }
                + policy.conditions.signInRiskLevels.map { "sign-in risk \($0)" }).joinedAsList
            let mode = policy.isReportOnly ? "report-only " : ""
            return "Risk-based \(mode)'\(policy.displayName)' (\(levels)) applies to \(user.name) and \(exposure.demand)."
        }
    }
}

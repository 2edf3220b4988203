import EntraModel
import Foundation

struct BG002EnoughAccounts: Check {
    static let metadata = CheckMetadata(
        id: "BG002", title: "At least two emergency accounts exist and are enabled", severity: .critical, subject: .tenant,
        rationale: """
            One emergency account is a single point of failure: a lost password, a deleted account or a policy that \
            catches it leaves no way back in. Microsoft recommends two or more.
            """,
        remediation: .init(
            portal: "Entra admin center > Users > New user: create a second cloud-only account on the *.onmicrosoft.com domain, assign Global Administrator permanently, and add it to breakglass.yml.",
            graph: "POST /users {accountEnabled:true, userPrincipalName:'bg-02@<tenant>.onmicrosoft.com', passwordPolicies:'DisablePasswordExpiration', …}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let minimum = context.configuration.guidance.minAccounts
        let enabled = context.resolvedAccounts.filter { $0.user.accountEnabled == true }.map(\.user.name)
        let kind = context.configuration.emergencyAccounts.isEmpty ? "discovered (none declared)" : "declared"
        let evidence: [String: JSONValue] = ["enabled": .array(enabled.map { .string($0) }), "minimum": .number(Double(minimum))]
        if enabled.count >= minimum {
            return [pass(context.tenantSubject, "\(enabled.count) \(kind) emergency accounts exist and are enabled (minimum \(minimum)).", evidence: evidence)]
        }
        return [fail(context.tenantSubject, "Only \(enabled.count) \(kind) emergency account\(enabled.count == 1 ? "" : "s") exist and are enabled; at least \(minimum) are needed.", evidence: evidence)]
    }
}

import EntraModel
import Foundation

struct BG011CloudOnly: Check {
    static let metadata = CheckMetadata(
        id: "BG011", title: "Emergency accounts are cloud-only", severity: .critical, subject: .account,
        rationale: """
            A synchronized account depends on on-premises Active Directory and the sync engine: when they fail, are \
            compromised, or the object is deleted on-premises, the emergency account fails with them.
            """,
        remediation: .init(
            portal: "Create a new cloud-only account in the Entra admin center (Users > New user > Create new user) and retire the synchronized one; do not convert it.",
            graph: "POST /users (cloud-only), then DELETE /users/{synchronized id}"),
        references: [.emergencyAccess, .cisM365]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            if user.onPremisesSyncEnabled == true {
                return fail(account.subject, "\(user.name) is synchronized from on-premises Active Directory.")
            }
            if let immutable = user.onPremisesImmutableId, !immutable.isEmpty {
                return fail(account.subject, "\(user.name) has an onPremisesImmutableId: it was synchronized or is federated.")
            }
            if user.onPremisesSyncEnabled == nil && user.onPremisesImmutableId == nil {
                return pass(account.subject, "\(user.name) shows no on-premises link (onPremisesSyncEnabled is null).")
            }
            return pass(account.subject, "\(user.name) is cloud-only.")
        }
    }
}

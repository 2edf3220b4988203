import EntraModel
import Foundation

struct BG010AccountEnabled: Check {
    static let metadata = CheckMetadata(
        id: "BG010", title: "Emergency accounts are enabled", severity: .critical, subject: .account,
        rationale: "A disabled emergency account cannot sign in; nobody finds out until the day it is needed.",
        remediation: .init(
            portal: "Entra admin center > Users > the account > Edit properties > Settings > Account enabled.",
            graph: "PATCH /users/{id} {\"accountEnabled\": true}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            switch user.accountEnabled {
            case true?: pass(account.subject, "\(user.name) is enabled.")
            case false?: fail(account.subject, "\(user.name) is disabled: it cannot sign in.")
            case nil: unknown(account.subject, "users.json does not give accountEnabled for \(user.name).")
            }
        }
    }
}

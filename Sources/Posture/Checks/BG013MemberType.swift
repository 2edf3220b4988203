import EntraModel
import Foundation

struct BG013MemberType: Check {
    static let metadata = CheckMetadata(
        id: "BG013", title: "Emergency accounts are members, not guests", severity: .high, subject: .account,
        rationale: """
            A guest signs in through its home tenant or identity provider, which the tenant does not control and \
            which may be the very thing that is down.
            """,
        remediation: .init(
            portal: "Create a member account in the tenant's own directory (Users > New user > Create new user).",
            graph: "POST /users (userType defaults to Member)"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            guard let type = user.userType else { return unknown(account.subject, "users.json gives no userType for \(user.name).") }
            return type.caseInsensitiveCompare("Member") == .orderedSame
                ? pass(account.subject, "\(user.name) is a member.")
                : fail(account.subject, "\(user.name) has userType \(type).")
        }
    }
}

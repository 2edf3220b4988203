import EntraModel
import Foundation

struct BG061PasswordAge: Check {
    static let metadata = CheckMetadata(
        id: "BG061", title: "The password is younger than the maximum age", severity: .medium, subject: .account,
        rationale: """
            Regular rotation limits how long a leaked or remembered password stays useful and proves the custody \
            procedure still works (custodians reachable, shares readable).
            """,
        remediation: .init(
            portal: "With two custodians present: `breakglass password generate`, set it in the Entra admin center > Users > the account > Reset password, and split it with `breakglass custody split`.",
            graph: "PATCH /users/{id} {\"passwordProfile\":{…}}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let maximum = context.configuration.guidance.maxPasswordAgeDays
        return forEachAccount(context) { account, user in
            guard let changed = user.lastPasswordChangeDateTime else {
                return unknown(account.subject, "users.json gives no lastPasswordChangeDateTime for \(user.name).")
            }
            let age = Int(context.now.timeIntervalSince(changed) / 86_400)
            if age <= maximum { return pass(account.subject, "Password changed \(context.describe(changed)) (maximum \(maximum) days).") }
            return fail(account.subject, "Password of \(user.name) is \(age) days old (changed \(context.describe(changed))); the maximum is \(maximum).",
                        evidence: ["ageDays": .number(Double(age))])
        }
    }
}

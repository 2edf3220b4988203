import EntraModel
import Foundation

struct BG014PasswordNeverExpires: Check {
    static let metadata = CheckMetadata(
        id: "BG014", title: "Emergency account passwords never expire", severity: .high, subject: .account,
        rationale: """
            An account used once a quarter will meet an expired password on the day it is needed — a common way \
            emergency accounts fail in practice.
            """,
        remediation: .init(
            portal: "Set DisablePasswordExpiration on the account (Microsoft Graph or PowerShell: Update-MgUser -PasswordPolicies DisablePasswordExpiration).",
            graph: "PATCH /users/{id} {\"passwordPolicies\": \"DisablePasswordExpiration\"}"),
        references: [.emergencyAccess, .learn("Password policies", "authentication/concept-sspr-policy")]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            if user.passwordNeverExpiresByPolicy {
                return pass(account.subject, "\(user.name) has DisablePasswordExpiration.")
            }
            guard let domainName = user.upnDomain,
                let domain = context.snapshot.domains.first(where: { $0.id.lowercased() == domainName })
            else {
                return unknown(account.subject, "\(user.name) has no DisablePasswordExpiration and its domain is not in domains.json.")
            }
            if domain.passwordsNeverExpire {
                return pass(account.subject, "Passwords in \(domain.id) never expire (passwordValidityPeriodInDays \(domain.passwordValidityPeriodInDays ?? 0)).")
            }
            guard let days = domain.passwordValidityPeriodInDays else {
                return unknown(account.subject, "\(user.name) has no DisablePasswordExpiration and domains.json gives no password validity for \(domain.id).")
            }
            return fail(account.subject, "\(user.name)'s password expires after \(days) days (domain \(domain.id)) and the account has no DisablePasswordExpiration.")
        }
    }
}

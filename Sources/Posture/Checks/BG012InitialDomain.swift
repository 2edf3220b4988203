import EntraModel
import Foundation

struct BG012InitialDomain: Check {
    static let metadata = CheckMetadata(
        id: "BG012", title: "Emergency accounts use the initial *.onmicrosoft.com domain", severity: .critical,
        subject: .account,
        rationale: """
            An account in a federated domain signs in through the federation service (AD FS): when it is down, so \
            is the account. A custom managed domain can be switched to federated, removed or lose its DNS \
            verification; the initial *.onmicrosoft.com domain cannot.
            """,
        remediation: .init(
            portal: "Entra admin center > Users > the account > Edit properties: change the user principal name's domain to <tenant>.onmicrosoft.com.",
            graph: "PATCH /users/{id} {\"userPrincipalName\": \"bg-01@<tenant>.onmicrosoft.com\"}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let initial = context.snapshot.initialDomain
        return forEachAccount(context) { account, user in
            guard let domain = user.upnDomain else {
                return unknown(account.subject, "\(user.name) has no user principal name in users.json.")
            }
            if domain == initial || (initial == nil && domain.hasSuffix(".onmicrosoft.com")) {
                return pass(account.subject, "\(user.name) uses the initial domain \(domain).")
            }
            let record = context.snapshot.domains.first { $0.id.lowercased() == domain }
            if record?.isFederated == true {
                return fail(account.subject, "\(user.name) is in the federated domain \(domain): it cannot sign in when federation is down.")
            }
            let detail = record == nil ? "not listed in domains.json" : "managed"
            return warn(account.subject, "\(user.name) uses \(domain) (\(detail)), not the initial domain \(initial ?? "*.onmicrosoft.com").",
                        severity: .medium)
        }
    }
}

import EntraModel
import Foundation

struct BG015NoLicence: Check {
    static let metadata = CheckMetadata(
        id: "BG015", title: "Emergency accounts hold no licence", severity: .low, subject: .account,
        rationale: """
            A licensed emergency account gets a mailbox, Teams and OneDrive: more surface to phish, more \
            places for its name to leak, nothing it needs to recover a tenant (CIS 1.1.2).
            """,
        remediation: .init(
            portal: "Entra admin center > Users > the account > Licenses > remove each assignment.",
            graph: "POST /users/{id}/assignLicense {\"addLicenses\": [], \"removeLicenses\": [\"<skuId>\"]}"),
        references: [.emergencyAccess, .cisM365]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            guard let licences = user.assignedLicenses else {
                return unknown(account.subject, "users.json does not give assignedLicenses for \(user.name).")
            }
            if licences.isEmpty { return pass(account.subject, "\(user.name) has no licence.") }
            let skus = licences.compactMap(\.skuId)
            return fail(account.subject, "\(user.name) holds \(licences.count) licence\(licences.count == 1 ? "" : "s").",
                        evidence: ["skuIds": .array(skus.map { .string($0) })])
        }
    }
}

import EntraModel
import Foundation

struct BG042SharedCredentialFailure: Check {
    static let metadata = CheckMetadata(
        id: "BG042", title: "The emergency accounts do not share one credential point of failure", severity: .medium,
        subject: .tenant,
        rationale: """
            Two emergency accounts protect against one failing; credentials that fail together defeat that. When \
            every account signs in only with FIDO2 keys of the same model (one AAGUID), a vendor recall, a firmware \
            flaw or a tenant key restriction on that AAGUID locks all of them out at once; when every account signs \
            in only with certificates of the same issuer, a revoked or expired CA does. Give at least one account a \
            credential from a different model or issuer. A warning, not a failure: many tenants buy one model on \
            purpose, and should know the risk.
            """,
        remediation: .init(
            portal: "Register a FIDO2 key of a different make or model (or a certificate from another issuer) on one emergency account: sign in as it at https://aka.ms/mysecurityinfo > Add sign-in method; keep it with that account's password.",
            graph: "GET /users/{id}/authentication/fido2Methods (compare aaGuid); GET /users/{id}?$select=authorizationInfo (certificate issuers)"),
        references: [
            .emergencyAccess,
            Reference("fido2AuthenticationMethod resource type (aaGuid)", "https://learn.microsoft.com/graph/api/resources/fido2authenticationmethod"),
            .learn("Certificate user IDs", "authentication/concept-certificate-based-authentication-certificateuserids"),
        ]
    )

    func run(in context: TenantContext) -> [Finding] {
        let accounts = context.resolvedAccounts
        guard accounts.count >= 2 else {
            return [notApplicable(context.tenantSubject, "Fewer than two emergency accounts resolve to users (see BG002).")]
        }
        var perAccount: [(user: User, credentials: [Credential])] = []
        for (_, user) in accounts {
            guard let credentials = context.credentials(of: user) else {
                return [unknown(context.tenantSubject, "The methods of \(user.name) are unknown: \(context.methodsUnavailable(user))")]
            }
            perAccount.append((user, credentials))
        }
        if let without = perAccount.first(where: { $0.credentials.isEmpty }) {
            return [notApplicable(context.tenantSubject, "\(without.user.name) has no phishing-resistant credential to share (see BG040).")]
        }
        let sources = perAccount.map { Set($0.credentials.map(\.source)) }
        guard sources.allSatisfy({ $0.count == 1 }), let shared = sources.first, sources.allSatisfy({ $0 == shared }),
              let credential = perAccount.first?.credentials.first else {
            let summary = perAccount.map { "\($0.user.name): \(Set($0.credentials.map(\.label)).sorted().joined(separator: "; "))" }
            return [pass(context.tenantSubject, "The emergency accounts do not all rely on one credential source.",
                         evidence: ["credentials": .array(summary.map { .string($0) })])]
        }
        let names = perAccount.map(\.user.name)
        guard credential.isComparable else {
            return [unknown(context.tenantSubject, "Every emergency account relies on one kind of credential (\(credential.label)), but the snapshot does not say which model or issuer, so a shared point of failure cannot be ruled out.")]
        }
        let what: String
        switch credential.source {
        case .fido2: what = "FIDO2 keys of one model (\(credential.label)): a recall or a key restriction on that AAGUID"
        case .certificate: what = "certificates of one issuer (\(credential.label)): a revoked or expired CA"
        case .device: what = "the same \(credential.label)"
        }
        return [warn(context.tenantSubject, "\(names.joinedAsList) sign in only with \(what) locks all of them out.",
                     evidence: ["shared": .string(credential.label)])]
    }
}

import EntraModel
import Foundation

struct BG040PhishingResistantMethod: Check {
    static let metadata = CheckMetadata(
        id: "BG040", title: "Emergency accounts have a phishing-resistant method", severity: .high, subject: .account,
        rationale: """
            Microsoft's mandatory MFA for the Azure portal and the admin centers applies to every account, emergency \
            accounts included, and cannot be excluded. Without a registered method the account cannot reach the \
            portals at all. Microsoft advises FIDO2 security keys (passkeys) or certificate-based authentication, \
            kept with the password. (The original brief's "no MFA" model predates this; set \
            guidance.requirePhishingResistantMfa: false to follow it, and this check becomes informational.)
            """,
        remediation: .init(
            portal: "Sign in as the account at https://aka.ms/mysecurityinfo > Add sign-in method > Security key (or passkey); store the key with the password, under the same two-person control.",
            graph: "GET /users/{id}/authentication/fido2Methods (registration itself is interactive)"),
        references: [.emergencyAccess, .mandatoryMFA]
    )

    func run(in context: TenantContext) -> [Finding] {
        let required = context.configuration.guidance.requirePhishingResistantMfa
        return forEachAccount(context) { account, user in
            guard let methods = context.methods(of: user) else {
                return unknown(account.subject, context.methodsUnavailable(user))
            }
            let strong = methods.filter(\.isPhishingResistant).map(\.kind)
            if !strong.isEmpty {
                return pass(account.subject, "\(user.name) has \(Set(strong).sorted().joinedAsList) registered.")
            }
            // Certificate-based authentication shows as `authorizationInfo.certificateUserIds`, not as a registered
            // method; it is phishing-resistant MFA only under a multifactor authentication binding.
            if let certificate = methods.first(where: { $0.certificateBinding != nil }) {
                let binding = certificate.certificateBinding == .singleFactor
                    ? "the tenant's certificate authentication binding makes it single-factor"
                    : "whether it counts as multifactor depends on the tenant's certificate authentication binding, "
                        + "which the snapshot does not hold (single-factor by default)"
                return warn(account.subject, "\(user.name) signs in with a certificate "
                    + "(authorizationInfo.certificateUserIds) and has no other phishing-resistant method; \(binding).")
            }
            if !required {
                return notApplicable(account.subject, "\(user.name) has no phishing-resistant method; informational because requirePhishingResistantMfa is false — it cannot pass mandatory MFA for the admin portals.")
            }
            return fail(account.subject, "\(user.name) has no FIDO2 key, passkey or certificate registered: it cannot pass mandatory MFA for the Azure portal and admin centers.")
        }
    }
}

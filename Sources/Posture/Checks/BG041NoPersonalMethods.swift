import EntraModel
import Foundation

struct BG041NoPersonalMethods: Check {
    static let metadata = CheckMetadata(
        id: "BG041", title: "No method tied to one person's phone or mailbox", severity: .medium, subject: .account,
        rationale: """
            A phone number, an Authenticator app or a mailbox belongs to one person: when they leave, lose the \
            phone or are the one compromised, the emergency account goes with them — and the method defeats \
            two-person control of the account.
            """,
        remediation: .init(
            portal: "Entra admin center > Users > the account > Authentication methods: delete the phone, email, Microsoft Authenticator and software OATH methods; keep FIDO2 keys or certificates stored with the password.",
            graph: "DELETE /users/{id}/authentication/phoneMethods/{methodId} (and emailMethods, microsoftAuthenticatorMethods, softwareOathMethods)"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            guard let methods = context.methods(of: user) else {
                return unknown(account.subject, context.methodsUnavailable(user))
            }
            let personal = methods.filter(\.isPersonal).map { method in
                method.phoneType.map { "\(method.kind) (\($0))" } ?? method.kind
            }
            if personal.isEmpty { return pass(account.subject, "\(user.name) has no phone, mailbox or app-based method.") }
            return fail(account.subject, "\(user.name) has methods tied to a person: \(personal.joinedAsList).",
                        evidence: ["methods": .array(personal.map { .string($0) })])
        }
    }
}

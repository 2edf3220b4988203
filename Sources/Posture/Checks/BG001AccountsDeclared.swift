import EntraModel
import Foundation

struct BG001AccountsDeclared: Check {
    static let metadata = CheckMetadata(
        id: "BG001", title: "Emergency accounts are declared", severity: .high, subject: .tenant,
        rationale: """
            The tool, the monitoring rules and the people on call must all know exactly which accounts are the \
            emergency accounts. Undeclared accounts are audited only by guesswork, and an entry that resolves to no \
            user means an account was renamed or deleted — the fallback may already be gone.
            """,
        remediation: .init(
            portal: "List the emergency accounts by object id under `emergencyAccounts` in breakglass.yml (Entra admin center > Users > the account > Object ID).",
            graph: "GET /users?$filter=startswith(userPrincipalName,'bg-')&$select=id,userPrincipalName"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let subject = context.tenantSubject
        if context.configuration.emergencyAccounts.isEmpty {
            let names = context.emergencyAccounts.map(\.name)
            guard !names.isEmpty else {
                return [fail(subject, "No emergency account is declared in the configuration and none could be discovered.")]
            }
            return [warn(subject, "No emergency account is declared; discovered candidates: \(names.joinedAsList). Declare them by object id.",
                         evidence: ["candidates": .array(context.emergencyAccounts.map { .string($0.id) })])]
        }
        guard context.unresolvedAccounts.isEmpty else {
            let missing = context.unresolvedAccounts.map(\.description)
            return [fail(subject, "Declared emergency accounts match no user: \(missing.joinedAsList).",
                         evidence: ["unresolved": .array(missing.map { .string($0) })])]
        }
        let names = context.emergencyAccounts.map(\.name)
        return [pass(subject, "\(names.count) emergency account\(names.count == 1 ? "" : "s") declared and found: \(names.joinedAsList).")]
    }
}

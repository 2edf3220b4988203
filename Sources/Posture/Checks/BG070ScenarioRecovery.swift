import AccessPolicy
import EntraModel
import Foundation
import Lockout

struct BG070ScenarioRecovery: Check {
    static let metadata = CheckMetadata(
        id: "BG070", title: "An emergency account gets in under every failure scenario", severity: .critical,
        subject: .scenario,
        rationale: """
            The emergency accounts exist for the bad day: MFA down, federation down, on-premises AD down, device \
            compliance broken, an untrusted network, Identity Protection flagging the sign-in. For each of these \
            the tool evaluates Conditional Access as Entra ID would, for every emergency account and every admin \
            path (Azure portal, Microsoft 365 admin center, Graph from PowerShell), and requires that at least one \
            emergency account holding Global Administrator gets in.
            """,
        remediation: .init(
            portal: "Run `breakglass simulate` to see which policy blocks which account in the failing scenario, then exclude the emergency-access group from that policy (and register a FIDO2 key for the MFA scenarios).",
            graph: "PATCH /identity/conditionalAccess/policies/{id} {\"conditions\":{\"users\":{\"excludeGroups\":[…]}}}"),
        references: [.emergencyAccess, .learn("Conditional Access What If tool", "conditional-access/what-if-tool")]
    )

    func run(in context: TenantContext) -> [Finding] {
        let accounts = context.resolvedAccounts.map(\.user)
        guard !accounts.isEmpty else { return noAccounts(context) }
        let simulation = Simulation(evaluator: context.evaluator, emergencyAccountIDs: Set(accounts.map(\.id)))
        let matrix = LockoutMatrix(simulation: simulation, users: accounts,
                                   priority: Set(accounts.map(\.id)))
        return matrix.verdicts.map { verdict in
            let subject = Subject(kind: .scenario, id: verdict.scenario.rawValue, name: verdict.scenario.rawValue)
            let inside = matrix.rows.filter { $0.isGlobalAdministrator && $0.reachesAdminResource(in: verdict.scenario) }
            if let first = inside.first {
                let paths = AdminResource.allCases.filter { first.outcomes[verdict.scenario]?[$0]?.succeeded == true }
                return pass(subject, "\(inside.map(\.user.name).joinedAsList) get\(inside.count == 1 ? "s" : "") in (\(paths.map(\.rawValue).joined(separator: ", "))).")
            }
            let why = matrix.rows.map { row -> String in
                let outcome = row.outcomes[verdict.scenario]?[.azurePortal]
                let role = row.isGlobalAdministrator ? "" : " (not an active Global Administrator)"
                return "\(row.user.name)\(role): \(outcome?.explanation ?? "no result")"
            }
            return fail(subject, "\(verdict.scenario.summary) No emergency account reaches an admin resource — \(why.joined(separator: "; ")).",
                        evidence: ["accounts": .array(why.map { .string($0) })])
        }
    }
}

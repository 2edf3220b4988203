import EntraModel
import Foundation

struct BG051AlertRule: Check {
    static let metadata = CheckMetadata(
        id: "BG051", title: "An alert rule watches each emergency account", severity: .high, subject: .account,
        rationale: """
            Every sign-in of an emergency account must page someone within minutes: either it is a real emergency, \
            or the account is being abused. The rule must match the immutable object id (a UPN can be renamed) \
            across both sign-in tables: SigninLogs and AADNonInteractiveUserSignInLogs.
            """,
        remediation: .init(
            portal: "Azure portal > Monitor > Alerts > Create > Alert rule on the Log Analytics workspace (one scheduled query rule per account, by object id, across SigninLogs and AADNonInteractiveUserSignInLogs, every 5 minutes, severity 0).",
            graph: "ARM PUT /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Insights/scheduledQueryRules/{name}?api-version=2023-12-01"),
        references: [.emergencyAccess, .learn("Monitor emergency access accounts", "role-based-access-control/security-emergency-access#monitor-sign-in-and-audit-logs")]
    )

    static let tables = ["SigninLogs", "AADNonInteractiveUserSignInLogs"]

    func run(in context: TenantContext) -> [Finding] {
        guard let rules = context.snapshot.alertRules else {
            let reason = context.snapshot.whyUnavailable(.alertRules)?.description ?? "alert-rules.json is not in the snapshot"
            return forEachAccount(context) { account, _ in unknown(account.subject, "Cannot tell which alert rules exist: \(reason).") }
        }
        let enabled = rules.filter(\.isEnabled)
        return forEachAccount(context) { account, user in
            let byID = enabled.filter { rule in rule.queries.contains { $0.lowercased().contains(user.id.lowercased()) } }
            let byUPN = enabled.filter { rule in
                guard let upn = user.userPrincipalName?.lowercased() else { return false }
                return rule.queries.contains { $0.lowercased().contains(upn) }
            }
            let matching = byID.isEmpty ? byUPN : byID
            guard !matching.isEmpty else {
                return fail(account.subject, "No enabled alert rule mentions \(user.name) by object id or UPN.")
            }
            let text = matching.flatMap(\.queries).joined(separator: "\n").lowercased()
            let missingTables = Self.tables.filter { !text.contains($0.lowercased()) }
            let names = matching.map(\.displayName)
            let evidence: [String: JSONValue] = ["rules": .array(names.map { .string($0) })]
            if missingTables.count == Self.tables.count {
                return fail(account.subject, "Rules mention \(user.name) (\(names.joinedAsList)) but query neither sign-in table.", evidence: evidence)
            }
            if byID.isEmpty {
                return warn(account.subject, "\(names.joinedAsList) match\(names.count == 1 ? "es" : "") \(user.name) by UPN only; a rename silences it — match the object id.", evidence: evidence)
            }
            if !missingTables.isEmpty {
                return warn(account.subject, "\(names.joinedAsList) watch\(names.count == 1 ? "es" : "") \(user.name) but not \(missingTables.joinedAsList).", evidence: evidence)
            }
            return pass(account.subject, "\(names.joinedAsList) watch\(names.count == 1 ? "es" : "") \(user.name) by object id in both sign-in tables.", evidence: evidence)
        }
    }
}

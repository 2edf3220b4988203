import EntraModel
import Foundation

struct BG050SignInLogsExported: Check {
    static let metadata = CheckMetadata(
        id: "BG050", title: "Sign-in and audit logs go to Log Analytics", severity: .high, subject: .tenant,
        rationale: """
            Alerts on emergency-account use need the logs in a Log Analytics workspace: interactive sign-ins, \
            non-interactive sign-ins (token refreshes of a stolen session) and audit logs (changes to the account). \
            Entra keeps them only 7–30 days and cannot alert on them itself.
            """,
        remediation: .init(
            portal: "Entra admin center > Monitoring & health > Diagnostic settings > Add diagnostic setting: SignInLogs, NonInteractiveUserSignInLogs and AuditLogs to a Log Analytics workspace.",
            graph: "ARM PUT /providers/microsoft.aadiam/diagnosticSettings/{name}?api-version=2017-04-01-preview"),
        references: [.learn("Integrate Entra logs with Azure Monitor logs", "monitoring-health/howto-integrate-activity-logs-with-azure-monitor-logs"), .emergencyAccess]
    )

    static let required = ["SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs"]

    func run(in context: TenantContext) -> [Finding] {
        let subject = context.tenantSubject
        guard let settings = context.snapshot.diagnosticSettings else {
            let reason = context.snapshot.whyUnavailable(.diagnosticSettings)?.description ?? "diagnostic-settings.json is not in the snapshot"
            return [unknown(subject, "Cannot tell where the logs go: \(reason).")]
        }
        let sent = settings.reduce(into: Set<String>()) { $0.formUnion($1.workspaceCategories) }
        let missing = Self.required.filter { !sent.contains($0) }
        if missing.isEmpty { return [pass(subject, "SignInLogs, NonInteractiveUserSignInLogs and AuditLogs go to a Log Analytics workspace.")] }
        return [fail(subject, "Not sent to any Log Analytics workspace: \(missing.joinedAsList).",
                     evidence: ["missing": .array(missing.map { .string($0) })])]
    }
}

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
            portal: "Entra admin center > Monitoring & health > Diagnostic settings > Add diagnostic setting: SignInLogs, NonInteractiveUserSignInLogs and AuditLogs to a Log Analytics workspace (or deploy the diagnostic-setting.json that `breakglass export arm` writes).",
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
        let workspaces = settings.filter { !$0.workspaceCategories.isDisjoint(with: Self.required) }
            .map { $0.name ?? $0.id ?? "(unnamed setting)" }.sorted()
        if missing.isEmpty {
            return [pass(subject, "SignInLogs, NonInteractiveUserSignInLogs and AuditLogs go to a Log Analytics workspace (\(workspaces.joinedAsList)).",
                         evidence: ["settings": .array(workspaces.map { .string($0) })])]
        }
        // A category archived to storage or streamed to an event hub is kept, but nothing can alert on it there.
        let elsewhere = missing.filter { category in
            settings.contains { !$0.sendsToWorkspace && $0.enabledCategories.contains(category) }
        }
        var message = "Not sent to any Log Analytics workspace: \(missing.joinedAsList)"
        if !elsewhere.isEmpty {
            message += " (\(elsewhere.joinedAsList) only go\(elsewhere.count == 1 ? "es" : "") to a storage account or event hub, where no alert rule can read \(elsewhere.count == 1 ? "it" : "them"))"
        }
        return [fail(subject, message + ".", evidence: ["missing": .array(missing.map { .string($0) })])]
    }
}

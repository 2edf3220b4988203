import EntraModel
import Foundation

struct BG064RunbookCurrent: Check {
    static let metadata = CheckMetadata(
        id: "BG064", title: "The runbook on file describes today's tenant", severity: .medium, subject: .tenant,
        rationale: """
            In an outage people follow the paper in the safe, not the tenant. A runbook printed before the last \
            change to the emergency accounts, their exclusion group or the Conditional Access policies names the \
            wrong account, the wrong key or a scenario that no longer works. The runbook carries a digest of the \
            tenant state it was made from; this check compares it with the tenant audited.
            """,
        remediation: .init(
            portal: "Print a new runbook (`breakglass runbook --format html --output runbook.html`), file it where the custodians keep their sheets, and point runbook.file in breakglass.yml at it.",
            graph: "breakglass runbook --tenant <tenant> --config breakglass.yml --format html --output runbook.html"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let subject = context.tenantSubject
        let path: String
        let stamp: RunbookStamp
        switch context.runbookOnFile {
        case nil:
            return [notApplicable(subject, "No runbook is on file (set runbook.file in breakglass.yml to the one you printed).")]
        case .unreadable(let file, let reason)?:
            return [warn(subject, "runbook.file names \(file), which cannot be read: \(reason).")]
        case .unstamped(let file)?:
            return [warn(subject, "\(file) carries no breakglass-runbook stamp: it was not made by `breakglass runbook`, or was edited since.")]
        case .stamped(let file, let found)?:
            path = file
            stamp = found
        }
        let current = TenantFingerprint.digest(context)
        let made = context.describe(stamp.generatedAt)
        guard stamp.fingerprint != current else {
            return [pass(subject, "\(path) (made \(made)) describes the tenant as audited.")]
        }
        let changed = context.snapshot.policies.filter { ($0.modifiedDateTime ?? $0.createdDateTime ?? .distantPast) > stamp.generatedAt }
            .map(\.displayName).sorted()
        let which = changed.isEmpty ? "" : " Policies changed since: \(changed.joinedAsList)."
        return [warn(subject, "\(path) was made \(made) from a different tenant state: the emergency accounts, their exclusion group or the policies changed since.\(which) Print a new one.",
                     evidence: ["runbookState": .string(stamp.fingerprint), "tenantState": .string(current)])]
    }
}

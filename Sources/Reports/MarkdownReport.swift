import Foundation
import Posture

/// Markdown for pull requests and wikis: a summary table, the problems, how to fix each check, passes folded away.
struct MarkdownReport {
    let report: AuditReport
    let options: RenderOptions

    func render() -> String {
        let tenant = report.tenant
        var source = "Source: \(escape(tenant.provenance)) · breakglass \(report.tool.version)"
        if tenant.emulated == true { source += "\n\n**EMULATED DATA: not read from Microsoft Graph.**" }
        if let configuration = report.configuration { source += "\n\nEmergency accounts declared in `\(configuration)`" }
        var lines: [String] = [
            "# Emergency access audit — \(escape(tenant.displayName ?? tenant.id))",
            "",
            source,
            "",
            "Emergency accounts: " + (report.emergencyAccounts.isEmpty ? "none found"
                : report.emergencyAccounts.map { "`\($0.userPrincipalName ?? $0.id)`" + ($0.declared ? "" : " (discovered)") }
                    .joined(separator: ", ")),
            "",
            "| failed | warnings | unknown | passed | not applicable |",
            "|---:|---:|---:|---:|---:|",
            "| \(report.summary.fail) | \(report.summary.warn) | \(report.summary.unknown) | \(report.summary.pass) | \(report.summary.notApplicable) |",
        ]
        let problems = report.results.filter { [.fail, .warn, .unknown].contains($0.status) }
        if !problems.isEmpty {
            lines += ["", "## Findings", "", "| severity | status | check | subject | finding |", "|---|---|---|---|---|"]
            for result in problems {
                lines.append("| \(result.severity.rawValue) | \(result.status.label) | \(result.check) | \(escape(result.subjectLine)) | \(escape(result.message)) |")
            }
            let checks = problems.filter { $0.status != .unknown }.map(\.check)
            var seen: Set<String> = []
            let ordered = checks.filter { seen.insert($0).inserted }
            if !ordered.isEmpty {
                lines += ["", "## How to fix"]
                for id in ordered {
                    guard let metadata = options.catalogue.metadata(id) else { continue }
                    lines += ["", "### \(id) — \(escape(metadata.title))", "", escape(metadata.rationale), "",
                              "- **Portal:** \(escape(metadata.remediation.portal))",
                              "- **Graph:** `\(metadata.remediation.graph.replacingOccurrences(of: "`", with: "'"))`"]
                    lines += metadata.references.map { "- [\(escape($0.title))](\($0.url))" }
                }
            }
        }
        let passed = report.results.filter { $0.status == .pass || $0.status == .notApplicable }
        if !passed.isEmpty {
            lines += ["", "<details><summary>\(passed.count) passed or not applicable</summary>", ""]
            lines += passed.map { "- \($0.check) \(escape($0.subjectLine)): \(escape($0.message))" }
            lines += ["", "</details>"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Keeps table cells intact and stops text from being read as markup.
    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: " ")
    }
}

import Foundation
import Posture

/// The terminal report: failures first, then warnings and unknowns, one line each with the message beneath;
/// passes summarised per check; a summary line.
struct TextReport {
    let report: AuditReport
    let options: RenderOptions

    func render() -> String {
        let paint = ANSI(enabled: options.color)
        var lines: [String] = []
        let tenant = report.tenant
        lines.append(paint.bold("breakglass \(report.tool.version) — \(tenant.displayName ?? tenant.id)")
            + paint.dim(" (\(tenant.provenance))"))
        if tenant.emulated == true {
            lines.append(paint.bold("EMULATED DATA: not read from Microsoft Graph; this is not a real tenant's posture."))
        }
        if let configuration = report.configuration { lines.append("Emergency accounts declared in \(configuration)") }
        let accounts = report.emergencyAccounts.map { ($0.userPrincipalName ?? $0.id) + ($0.declared ? "" : " (discovered)") }
        lines.append("Emergency accounts: " + (accounts.isEmpty ? "none found" : accounts.joined(separator: ", ")))

        let sections: [(Status, String, String)] = [
            (.fail, "Failures", "✗"), (.warn, "Warnings", "!"), (.unknown, "Unknown — data missing", "?"),
        ]
        for (status, title, mark) in sections {
            let results = report.results.filter { $0.status == status }
            guard !results.isEmpty else { continue }
            lines.append("")
            lines.append(paint.bold("\(title) (\(results.count))"))
            var explained: Set<String> = []
            for result in results {
                let severity = result.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
                let label = "\(mark) \(severity)"
                let coloured: String
                switch status {
                case .fail: coloured = paint.red(label)
                case .warn: coloured = paint.yellow(label)
                default: coloured = paint.dim(label)
                }
                lines.append("  " + coloured + " " + paint.bold(result.check) + "  " + result.subjectLine)
                lines.append("      " + result.message)
                if status != .unknown, explained.insert(result.check).inserted {
                    lines.append("      " + paint.dim("fix: \(result.remediation) (breakglass explain \(result.check))"))
                }
            }
        }
        let passed = report.results.filter { $0.status == .pass || $0.status == .notApplicable }
        if !passed.isEmpty {
            lines.append("")
            lines.append(paint.bold("Passed (\(passed.count))"))
            var order: [String] = []
            var byCheck: [String: [AuditReport.Result]] = [:]
            for result in passed {
                if byCheck[result.check] == nil { order.append(result.check) }
                byCheck[result.check, default: []].append(result)
            }
            for check in order.sorted() {
                let results = byCheck[check] ?? []
                let count = results.count == 1 ? "" : paint.dim(" ×\(results.count)")
                let status = results.allSatisfy { $0.status == .notApplicable } ? paint.dim(" (not applicable)") : ""
                lines.append("  " + paint.green("✓") + " \(check)  \(results[0].title)\(count)\(status)")
            }
        }
        let summary = report.summary
        lines.append("")
        lines.append(paint.bold("Summary: ")
            + [paint.red("\(summary.fail) failed"), paint.yellow("\(summary.warn) warnings"), "\(summary.unknown) unknown",
               paint.green("\(summary.pass) passed"), "\(summary.notApplicable) not applicable"].joined(separator: " · "))
        return lines.joined(separator: "\n")
    }
}

/// ANSI styling that is a no-op when colour is off; every text renderer of the tool uses it.
public struct ANSI: Sendable {
    public var enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }
    func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
}

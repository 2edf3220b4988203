import ArgumentParser
import Foundation
import Posture

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a check: why it matters, how to fix it, sources.",
        discussion: "Example: breakglass explain BG030")

    @Argument(help: "A check id, e.g. BG030.")
    var id: String

    func run() throws {
        guard let check = Catalogue.metadata(for: id) else {
            throw UsageError("no check '\(id)'; run 'breakglass checks' for the catalogue")
        }
        var lines = [
            "\(check.id) — \(check.title)",
            "Severity: \(check.severity.rawValue)    Subject: \(check.subject.rawValue)",
            "",
            "Why it matters",
            wrap(check.rationale),
            "",
            "How to fix it",
            wrap("Portal: " + check.remediation.portal),
            wrap("Graph:  " + check.remediation.graph),
            "",
            "References",
        ]
        lines += check.references.map { "  - \($0.title): \($0.url)" }
        Terminal.write(lines.joined(separator: "\n"))
    }

    private func wrap(_ text: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append("  " + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append("  " + line) }
        return lines.joined(separator: "\n")
    }
}

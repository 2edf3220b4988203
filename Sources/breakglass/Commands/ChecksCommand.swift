import ArgumentParser
import Foundation
import Posture

struct ChecksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks", abstract: "List the check catalogue.", discussion: "Example: breakglass checks --format json")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "table or json.") var format: Format = .table

    struct Entry: Encodable {
        var id, title, severity, subject, rationale, remediation, graph: String
        var references: [Reference]
    }

    func run() throws {
        let checks = Catalogue.metadata
        switch format {
        case .json:
            let entries = checks.map {
                Entry(id: $0.id, title: $0.title, severity: $0.severity.rawValue, subject: $0.subject.rawValue,
                      rationale: $0.rationale, remediation: $0.remediation.portal, graph: $0.remediation.graph,
                      references: $0.references)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.write(String(decoding: try encoder.encode(entries), as: UTF8.self))
        case .table:
            let severityWidth = 9
            let subjectWidth = 8
            var lines = ["ID     " + "SEVERITY".padding(severityWidth) + "SUBJECT".padding(subjectWidth) + "TITLE"]
            for check in checks {
                lines.append(check.id.padding(7) + check.severity.rawValue.padding(severityWidth)
                    + check.subject.rawValue.padding(subjectWidth) + check.title)
            }
            lines.append("")
            lines.append("'breakglass explain ID' tells why a check matters and how to fix it.")
            Terminal.write(lines.joined(separator: "\n"))
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

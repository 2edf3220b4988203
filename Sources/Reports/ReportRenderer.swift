import Foundation
import Posture

public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, markdown, html, sarif, junit
}

public struct RenderOptions: Sendable {
    /// ANSI colour in `text` (the CLI decides: a terminal and `NO_COLOR` unset).
    public var color: Bool
    /// Warnings count as failures (JUnit).
    public var strict: Bool
    /// The checks' prose, for SARIF rules and the remediation sections.
    public var catalogue: [CheckMetadata]
    /// Who can take over or lock out the emergency accounts: the HTML report shows the paths.
    public var paths: PathsReport?

    public init(color: Bool = false, strict: Bool = false, catalogue: [CheckMetadata] = Catalogue.metadata,
                paths: PathsReport? = nil) {
        self.color = color
        self.strict = strict
        self.catalogue = catalogue
        self.paths = paths
    }
}

/// Renders an audit (or gate) report in every format of spec/report.md. Renders only: results come computed.
public struct ReportRenderer: Sendable {
    public init() {}

    public func render(_ report: AuditReport, format: ReportFormat, options: RenderOptions = RenderOptions()) -> String {
        switch format {
        case .text: TextReport(report: report, options: options).render()
        case .json: JSONReport.render(report)
        case .markdown: MarkdownReport(report: report, options: options).render()
        case .html: HTMLReport(report: report, options: options).render()
        case .sarif:
            SARIFReport.render(report.results, toolVersion: report.tool.version, catalogue: options.catalogue,
                               emulated: report.tenant.emulated == true, configuration: report.configuration)
        case .junit:
            JUnitReport.render(
                report.results,
                suite: "breakglass \(report.tenant.displayName ?? report.tenant.id)"
                    + (report.tenant.emulated == true ? " (emulated)" : ""),
                strict: options.strict)
        }
    }
}

enum JSONReport {
    static func render(_ report: AuditReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension AuditReport.Result {
    /// `bg-02@… × 'CA008 …'` — the subject, and the related policy when there is one.
    var subjectLine: String {
        related.map { "\(subject.name) × '\($0.name)'" } ?? subject.name
    }
}

extension Status {
    var label: String {
        switch self {
        case .pass: "pass"
        case .fail: "FAIL"
        case .warn: "warn"
        case .unknown: "unknown"
        case .notApplicable: "n/a"
        }
    }
}

extension Array where Element == CheckMetadata {
    func metadata(_ id: String) -> CheckMetadata? { first { $0.id == id } }
}

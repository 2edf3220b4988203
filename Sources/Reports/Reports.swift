// Temporary stand-in until the renderers land.
import Foundation
import Posture

public enum ReportFormat: String, CaseIterable, Sendable { case text, json, markdown, html, sarif, junit }

public struct RenderOptions: Sendable {
    public var color: Bool
    public var strict: Bool
    public var catalogue: [CheckMetadata]
    public init(color: Bool = false, strict: Bool = false, catalogue: [CheckMetadata] = Catalogue.metadata) {
        self.color = color
        self.strict = strict
        self.catalogue = catalogue
    }
}

public struct ReportRenderer: Sendable {
    public init() {}
    public func render(_ report: AuditReport, format: ReportFormat, options: RenderOptions) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(report), as: UTF8.self)) ?? ""
    }
}

public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, mode: Int = 0o644) throws {
        try data.write(to: url, options: .atomic)
    }
}

import Foundation

/// The detections as KQL files, one per detection, each opening with a comment that says what it detects.
public enum KQLExport {
    public static func files(_ input: MonitoringInput) throws -> [String: String] {
        var files: [String: String] = [:]
        for detection in try Detection.all(for: input) {
            files["\(detection.slug).kql"] = document(detection, input)
        }
        return files
    }

    /// Every query in one text, in the detections' order (what `export kql` prints without `--out`).
    public static func combined(_ input: MonitoringInput) throws -> String {
        try Detection.all(for: input).map { document($0, input) }.joined(separator: "\n")
    }

    static func document(_ detection: Detection, _ input: MonitoringInput) -> String {
        var lines = ["// breakglass: \(detection.title)"]
        lines += Text.wrap("Detects: \(detection.detects)", width: 116).map { "// \($0)" }
        lines += Text.wrap("""
            Tenant: \(input.tenantLabel). Accounts are matched by immutable object id; each UPN is a comment. \
            Tables: \(detection.tables.joined(separator: ", ")). Alert when any row is returned \
            (Azure Monitor severity \(detection.azureSeverity), every 5 minutes).
            """, width: 116).map { "// \($0)" }
        lines.append("// Written by `breakglass export kql`: regenerate it rather than edit it.")
        lines.append(detection.query)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Plain-text helpers shared by the generators.
enum Text {
    /// Splits `text` into lines of at most `width` characters at spaces (a longer word stays whole).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

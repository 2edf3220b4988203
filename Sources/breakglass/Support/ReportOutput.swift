import Foundation
import Posture
import Reports

/// Renders a report and sends it to stdout or, atomically, to `--output`.
enum ReportOutput {
    static func emit(_ report: AuditReport, format: ReportFormat, output: String?, strict: Bool,
                     paths: PathsReport? = nil) throws {
        let color = output == nil && format == .text && Terminal.supportsColor
        let options = RenderOptions(color: color, strict: strict, paths: paths)
        let text = ReportRenderer().render(report, format: format, options: options)
        guard let output else { return Terminal.write(text) }
        do {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
        } catch {
            throw OutputError(message: "cannot write \(output): \(error.localizedDescription)")
        }
    }
}

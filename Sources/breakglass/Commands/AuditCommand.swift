import ArgumentParser
import Foundation
import Paths
import Posture
import Reports

extension Severity: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit the emergency-access accounts of a tenant.",
        discussion: """
            Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage or configuration error; \
            3 snapshot or output unreadable or malformed; 4 Microsoft Graph or sign-in error.
            Example: breakglass audit --snapshot contoso-snapshot --config breakglass.yml --format html --output report.html
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(help: "Write the report to this file (atomically) instead of standard output.", completion: .file())
    var output: String?

    @Option(help: "Exit 1 when a check fails at or above this severity: critical, high, medium, low, info.")
    var failOn: Severity = .high

    @Flag(help: "Count warnings as failures (exit code and JUnit).")
    var strict = false

    @Option(help: "With --tenant: also write the capture to this snapshot folder.", completion: .directory)
    var save: String?

    func run() async throws {
        let context = try await tenant.loadContext(save: save)
        let findings = Catalogue.run(in: context)
        let report = AuditReport(context: context, findings: findings, version: Breakglass.version)
        let paths = PathsReport(analysis: context.tierZero,
                                tenant: context.snapshot.organization.displayName ?? context.snapshot.organization.id)
        try ReportOutput.emit(report, format: format, output: output, strict: strict, paths: paths)
        if report.hasFindings(atOrAbove: failOn, strict: strict) { throw ExitCode(1) }
    }
}

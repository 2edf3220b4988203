import ArgumentParser
import EntraModel
import Foundation
import Lockout
import Posture
import Reports

struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "CI gate for Conditional Access as code: fail when a policy change would lock out the emergency accounts.",
        discussion: """
            Reads the policy JSON files as they will be deployed (Graph shape; one policy per file or a `value` list; \
            UTF-8 or UTF-16), applies them to the snapshot (same id replaces, new ones are added) and fails (exit 1) \
            when a changed policy would apply to an emergency account (BG030, BG031) or a failure scenario becomes \
            unrecoverable (BG070). SARIF and JUnit output drop into GitHub code scanning and Azure DevOps test results.
            Example: breakglass gate --snapshot snap --config breakglass.yml --policies policies/ --format sarif --output gate.sarif
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(name: .customLong("policies"), parsing: .upToNextOption, help: "Policy JSON files or folders.",
            completion: .file(extensions: ["json"]))
    var policyPaths: [String] = []

    @Option(help: "text, json, sarif or junit.") var format: ReportFormat = .text

    @Option(help: "Write the result to this file (atomically) instead of standard output.") var output: String?

    @Option(help: "Exit 1 at or above this severity.") var failOn: Severity = .medium

    @Flag(help: "Count warnings as failures.") var strict = false

    func validate() throws {
        guard !policyPaths.isEmpty else { throw ValidationError("Give the policies to check with --policies PATH...") }
    }

    func run() async throws {
        let context = try tenant.loadContext()
        let changes = try PolicyChange.load(policyPaths).map(\.policy)
        let findings = Gate.run(before: context, changes: changes)
        let report = AuditReport(context: context, findings: findings, version: Breakglass.version)
        try ReportOutput.emit(report, format: format, output: output, strict: strict)
        if report.hasFindings(atOrAbove: failOn, strict: strict) { throw ExitCode(1) }
    }
}

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

            The emergency accounts come only from --config FILE or --config-ref REF[:PATH] (breakglass.yml as \
            committed at a git ref, such as the target branch): a pull request must not be able to re-point the \
            accounts in the same change that locks them out. The output names the file that declared them.

            Example: breakglass gate --snapshot snap --config breakglass.yml --policies policies/ --format sarif --output gate.sarif
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(name: .customLong("policies"), parsing: .upToNextOption, help: "Policy JSON files or folders.",
            completion: .file(extensions: ["json"]))
    var policyPaths: [String] = []

    @Option(name: .customLong("config-ref"),
            help: "Read breakglass.yml from this git ref instead (REF or REF:PATH, e.g. origin/main), not the working tree.")
    var configRef: String?

    @Option(help: "text, json, sarif or junit.") var format: ReportFormat = .text

    @Option(help: "Write the result to this file (atomically) instead of standard output.") var output: String?

    @Option(help: "Exit 1 at or above this severity.") var failOn: Severity = .medium

    @Flag(help: "Count warnings as failures.") var strict = false

    func validate() throws {
        guard !policyPaths.isEmpty else { throw ValidationError("Give the policies to check with --policies PATH...") }
        if tenant.configPath != nil, configRef != nil { throw ValidationError("Give --config or --config-ref, not both.") }
        guard tenant.configPath != nil || configRef != nil || tenant.demo else {
            throw ValidationError(
                "gate needs the emergency accounts from a file the change under review cannot edit: give --config FILE "
                    + "(from a trusted checkout) or --config-ref REF[:PATH] (breakglass.yml as committed at REF).")
        }
    }

    func run() async throws {
        let (configuration, configurationSource) = try loadConfiguration()
        let context = try tenant.loadContext(configuration: configuration)
        let declared = configuration.emergencyAccounts.count
        Terminal.note("Emergency accounts: \(declared) declared in \(configurationSource)")
        let changes = try PolicyChange.load(policyPaths).map(\.policy)
        let findings = Gate.run(before: context, changes: changes)
        let report = AuditReport(context: context, findings: findings, version: Breakglass.version,
                                 configuration: configurationSource)
        try ReportOutput.emit(report, format: format, output: output, strict: strict)
        if report.hasFindings(atOrAbove: failOn, strict: strict) { throw ExitCode(1) }
    }

    /// The configuration and where it came from, for the output.
    func loadConfiguration() throws -> (Configuration, String) {
        if let configRef {
            let (text, source) = try GitFile.read(reference: configRef, defaultPath: "breakglass.yml")
            return (try Configuration.parse(text, file: source), source)
        }
        if let path = tenant.configPath { return (try Configuration.load(URL(fileURLWithPath: path)), path) }
        return (try tenant.loadConfiguration(), "the demo tenant's configuration")
    }
}

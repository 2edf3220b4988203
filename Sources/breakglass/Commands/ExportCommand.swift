import ArgumentParser
import Foundation
import Monitoring

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write KQL, Azure Monitor alert rules (ARM or Bicep) and Sentinel analytics rules for the emergency accounts.",
        discussion: """
            Formats:
              kql       one query per detection (sign-ins, failed sign-ins, credential changes, role and group \
            membership, the exclusion group, Conditional Access policies, disabled or deleted accounts). Without \
            --out, all of them go to standard output.
              arm       breakglass-alerts.json (log search alerts and an action group with the receivers of \
            monitoring.notify) and diagnostic-setting.json (the Entra diagnostic setting, tenant scope).
              bicep     breakglass-alerts.bicep and diagnostic-setting.bicep, the same resources.
              sentinel  one analytics rule per detection (Azure-Sentinel YAML) and the BreakGlassAccounts watchlist (CSV).
            arm, bicep and sentinel write several files and need --out DIR. DIR is created, or replaced if it holds \
            only files an export writes (so re-exporting shows a clean diff); anything else in it stops the export.
            Accounts come from breakglass.yml (emergencyAccounts); with --demo or --snapshot they are resolved to \
            object ids, names and exclusion groups. The output is the same bytes for the same input.

            Deploy:
              az deployment group create -g RG -f breakglass-alerts.json -p workspaceId=/subscriptions/…/workspaces/NAME
              az deployment tenant create --location REGION -f diagnostic-setting.json -p workspaceId=/subscriptions/…
            Exit codes: 0 written; 2 usage or configuration error (no accounts, --out holds other files); 3 a file \
            could not be read or written.
            Example: breakglass export arm --snapshot snap --config breakglass.yml --out alerts/
            """
    )

    @Argument(help: "kql, arm, bicep or sentinel.")
    var format: ExportFormat

    @OptionGroup var source: AccountSourceOptions

    @Option(help: "The folder to write (required for arm, bicep and sentinel).", completion: .directory)
    var out: String?

    func validate() throws {
        if format != .kql, out == nil {
            throw ValidationError("export \(format.rawValue) writes several files: give --out DIR.")
        }
    }

    func run() async throws {
        let configuration = try source.loadConfiguration()
        let context = try source.loadContext(configuration)
        let (input, warnings) = try MonitoringInput.make(configuration: configuration, context: context)
        for warning in warnings { Terminal.note("warning: \(warning)") }
        guard let out else { return Terminal.write(try KQLExport.combined(input)) }
        let files = try format.files(input)
        try ExportWriter.write(files, to: URL(fileURLWithPath: out))
        Terminal.note("Wrote \(files.count) files to \(out): \(files.keys.sorted().joined(separator: ", ")).")
    }
}

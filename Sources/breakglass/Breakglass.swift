import ArgumentParser
import Foundation
import Logging

@main
struct Breakglass: AsyncParsableCommand {
    static let version = BuildInfo.version

    static let configuration = CommandConfiguration(
        commandName: "breakglass",
        abstract: "Keep Microsoft Entra ID emergency-access accounts able to do their one job.",
        discussion: """
            The files it reads: breakglass formats (snapshot, config, policies, whatif-batch, logs).
            Shell completion: breakglass --generate-completion-script bash|zsh|fish.
            Example: breakglass audit --demo
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            AuditCommand.self, ExplainCommand.self, ChecksCommand.self, SnapshotCommand.self, SimulateCommand.self,
            WhatIfCommand.self, GateCommand.self, BenchCommand.self, PasswordCommand.self, CustodyCommand.self, ExportCommand.self,
            LogsCommand.self, EmulateCommand.self, RunbookCommand.self, CustodianCommand.self, ProvisionCommand.self,
            RotateCommand.self, WatchCommand.self, PathsCommand.self, FormatsCommand.self, HealthcheckCommand.self,
            DrillCommand.self,
        ]
    )

    /// Runs the command and maps errors to the exit codes of spec/report.md: a user's mistake is one clear line on
    /// stderr, never a stack trace.
    static func main() async {
        // Logs go to stderr; stdout is for reports (and the emulator's first line).
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as any ExitCodeProviding {
            Terminal.error(error.message)
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            // Usage problems (ArgumentParser's 64) are exit 2 here.
            Terminal.note(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

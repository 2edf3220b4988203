// Temporary root for the custody branch: the real root lives on main and replaces this file.
// `@main` is not allowed in a file named main.swift, so the root is started from top-level code, and it is a
// plain ParsableCommand because top-level `await Root.main()` picks the synchronous overload.
import ArgumentParser
import Foundation

struct Breakglass: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breakglass",
        abstract: "Keep Entra ID emergency-access accounts able to do their one job.",
        subcommands: [PasswordCommand.self, CustodyCommand.self]
    )
}

// spec/report.md: usage errors exit 2, where ArgumentParser's default is 64 (EX_USAGE).
do {
    var command = try Breakglass.parseAsRoot()
    try command.run()
} catch {
    guard Breakglass.exitCode(for: error) == .validationFailure else { Breakglass.exit(withError: error) }
    FileHandle.standardError.write(Data((Breakglass.fullMessage(for: error) + "\n").utf8))
    Breakglass.exit(withError: ExitCode(2))
}

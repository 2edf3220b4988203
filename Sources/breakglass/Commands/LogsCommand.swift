import ArgumentParser
import EntraModel
import Foundation
import Monitoring

extension LogScanFormat: ExpressibleByArgument {}

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Search downloaded sign-in and audit logs for what the emergency accounts did and what was done to them.",
        subcommands: [Scan.self]
    )

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the timeline of the emergency accounts and the rotation verdict from downloaded logs.",
            discussion: """
                Reads, detecting the format from the content: Microsoft Graph signIns and directoryAudits JSON (a \
                `value` page, a bare array, or JSON Lines), Log Analytics exports (JSON from `az monitor \
                log-analytics query`, or the portal's CSV with TimeGenerated, UserId, …) and the Entra admin \
                center's CSV downloads ("Date (UTC)", "User ID", "Status", …; ActorObjectId, Target1ObjectId, …), \
                in UTF-8, UTF-8 with BOM or UTF-16 (Excel's "Unicode Text", tab-separated).
                Prints every sign-in of the accounts (result, IP, place, app, Conditional Access), every change to \
                them, every change they made, changes to the exclusion group and to Conditional Access policies, and \
                whether each account's password was changed after its last successful sign-in (BG060; the grace is \
                guidance.rotationGraceHours).
                Files are streamed: memory stays flat however large they are. Every record is searched as raw \
                bytes for the accounts' ids (UPNs where no id is known), the exclusion group and Conditional Access \
                policy activity, and parsed only on a hit. A malformed record (in JSON Lines: a line that is not \
                {…}, or a line that mentions an account and is not valid JSON) or a truncated last record is \
                reported on standard error with its line number and skipped.
                Accounts come from breakglass.yml; with --demo or --snapshot they are resolved to object ids and the \
                tenant's own last password change counts too.
                Exit codes: 0 nothing to rotate; 1 an account signed in and its password was not changed in time; \
                2 usage or configuration error; 3 a file cannot be read or is not a log this tool reads.
                Example: breakglass logs scan SignInLogs.csv AuditLogs.json --config breakglass.yml --since 7d
                """
        )

        @Argument(help: "Log files: JSON, JSON Lines or CSV.", completion: .file())
        var files: [String]

        @OptionGroup var source: AccountSourceOptions

        @Option(help: "Leave out timeline entries before this time: ISO 8601, or an age such as 7d or 12h.")
        var since: String?

        @Option(name: .customLong("as-of"), help: "Measure the rotation grace period against this time instead of now (ISO 8601).")
        var asOf: String?

        @Option(help: "Output format: text, json or csv (the timeline).")
        var format: LogScanFormat = .text

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Give at least one log file.") }
            if let asOf, GraphDate.parse(asOf) == nil {
                throw ValidationError("--as-of '\(asOf)' is not an ISO 8601 date-time (for example 2026-11-20T09:00:00Z).")
            }
            if let since, Self.time(since, now: Date()) == nil {
                throw ValidationError("--since '\(since)' is neither an ISO 8601 date-time nor an age such as 7d or 12h.")
            }
        }

        /// An ISO 8601 time, or an age (`7d`, `12h`) before `now`.
        static func time(_ text: String, now: Date) -> Date? {
            if let date = GraphDate.parse(text) { return date }
            guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 else { return nil }
            switch unit {
            case "d": return now.addingTimeInterval(-amount * 86_400)
            case "h": return now.addingTimeInterval(-amount * 3600)
            default: return nil
            }
        }

        func run() async throws {
            let configuration = try source.loadConfiguration()
            let now = asOf.flatMap(GraphDate.parse) ?? Date()
            let context = try source.loadContext(configuration, asOf: now)
            let (input, warnings) = try MonitoringInput.make(configuration: configuration, context: context)
            for warning in warnings { Terminal.note("warning: \(warning)") }
            var known: [String: Date] = [:]
            for (_, user) in context?.resolvedAccounts ?? [] {
                if let changed = user.lastPasswordChangeDateTime { known[user.id.lowercased()] = changed }
            }
            let options = LogScanOptions(
                targets: LogScanTargets(accounts: input.accounts, groups: input.exclusionGroups),
                since: since.flatMap { Self.time($0, now: now) }, now: now,
                rotationGraceHours: configuration.guidance.rotationGraceHours, knownPasswordChanges: known)
            let report = try LogScanner(options: options).scan(paths: files) { Terminal.note("warning: \($0)") }
            FileHandle.standardOutput.write(Data(report.rendered(format).utf8))
            if report.needsRotation { throw ExitCode(1) }
        }
    }
}

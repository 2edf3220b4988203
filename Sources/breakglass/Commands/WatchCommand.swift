import ArgumentParser
import Dashboard
import Foundation
import Graph
import Logging
import Posture
import Watch

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch the emergency accounts: incidents for every use and change, notifications, and a web page.",
        discussion: """
            Polls each tenant's sign-in logs (interactive from v1.0, non-interactive from beta) and directory audits \
            for the emergency accounts and exclusion groups, accepts Azure Monitor alerts (common alert schema) on \
            /hooks/azure-monitor, and keeps an incident per use open until the password is changed after the last \
            sign-in. Notifications go through an outbox to a Standard Webhooks endpoint, Microsoft Teams, Slack and \
            PagerDuty. Serves the page on --host:--port (127.0.0.1 by default), with /api, /healthz and /metrics.
            Prints `listening on http://HOST:PORT` first, then runs until SIGTERM or SIGINT (graceful shutdown).
            State goes to --database: a SQLite file (default ./breakglass-watch.sqlite) or postgres://… shared by \
            several replicas, of which one polls at a time.
            A successful sign-in inside a drill recorded in the custody ledger (`breakglass drill start`; --ledger, \
            else custody.ledger in breakglass.yml) opens its incident already acknowledged, reason drill; it still \
            closes only when the password is rotated.
            A PostgreSQL URL with a password belongs in BREAKGLASS_DATABASE_URL, not on the command line (ps shows it).
            Exit codes: 2 configuration or usage error; 4 database or Graph unreachable at start.
            Example: breakglass watch --config breakglass.yml --database /var/lib/breakglass/watch.sqlite --port 8080
            """
    )

    @Option(name: .customLong("config"), help: "breakglass.yml (tenants, accounts, monitoring.notify, monitoring.watch).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?

    @Option(help: "A SQLite file, or postgres://user@host:port/db (several replicas); default BREAKGLASS_DATABASE_URL, else breakglass-watch.sqlite.")
    var database: String?

    @Option(name: .customLong("allow-credentials-to-host"),
            help: "Also send Graph credentials to this host (an emulator or a proxy you run); repeatable.")
    var allowCredentialsToHost: [String] = []

    @Option(help: "Address to listen on (127.0.0.1 unless you put a proxy in front).") var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one).") var port = 8080

    @Option(name: .customLong("poll-interval"), help: "Seconds between polls (default: monitoring.watch.pollIntervalSeconds, 60).")
    var pollInterval: Double?

    @Option(name: .customLong("graph-endpoint"), help: "Microsoft Graph base URL instead of the cloud's (single tenant; e.g. the emulator).")
    var graphEndpoint: String?

    @Option(help: "Sign-in authority base URL instead of the cloud's (single tenant; e.g. the emulator).")
    var authority: String?

    @Option(help: "The custody ledger whose drills acknowledge their sign-ins (default: custody.ledger in breakglass.yml).",
            completion: .file())
    var ledger: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535.") }
        if let pollInterval, pollInterval <= 0 { throw ValidationError("--poll-interval must be positive.") }
        for (flag, value) in [("--graph-endpoint", graphEndpoint), ("--authority", authority)] {
            if let value, URL(string: value)?.host == nil { throw ValidationError("\(flag) '\(value)' is not an absolute URL.") }
        }
    }

    func run() async throws {
        var configuration = try TenantOptions.configuration(at: configPath)
        // One ledger for the incidents and the periodic audits, named from wherever the service was started.
        let ledgerPath = drillLedgerPath(configuration)
        configuration.custody.ledger = ledgerPath
        let environment = ProcessInfo.processInfo.environment
        let transport = AsyncHTTPTransport()
        let store: any WatchStore
        let database = self.database ?? environment["BREAKGLASS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "breakglass-watch.sqlite"
        if let given = self.database, let url = URLComponents(string: given), url.password?.isEmpty == false {
            Terminal.note("warning: --database carries a password that any local user can read in the process list: put the URL in BREAKGLASS_DATABASE_URL")
        }
        do {
            store = database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
                ? try PostgresStore(url: database) : try SQLiteStore(path: database)
            var setup = try WatchSetup.make(configuration: configuration, environment: environment, transport: transport,
                                            graphEndpoint: graphEndpoint.flatMap(URL.init(string:)),
                                            authority: authority.flatMap(URL.init(string:)),
                                            allowedHosts: Set(allowCredentialsToHost.map { $0.lowercased() }))
            for warning in setup.warnings { Terminal.note("warning: \(warning)") }
            setup.tenants = try await WatchSetup.resolve(setup.tenants)
            var settings = WatchRuntime.Settings()
            let watch = configuration.monitoring.watch
            settings.host = host
            settings.port = port
            settings.pollInterval = .milliseconds(Int64((pollInterval ?? Double(watch.pollIntervalSeconds)) * 1000))
            settings.overlap = TimeInterval(watch.overlapMinutes * 60)
            settings.auditInterval = TimeInterval(watch.auditIntervalHours * 3600)
            settings.publicURL = watch.publicURL
            settings.version = Breakglass.version
            var drills: any DrillSource = NoPlannedDrills()
            if let path = ledgerPath {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw UsageError("the custody ledger \(path) does not exist (custody.ledger in breakglass.yml, or --ledger)")
                }
                drills = LedgerDrills(path: path, tenants: setup.tenants.map(\.tenant))
            }
            let runtime = WatchRuntime(store: store, tenants: setup.tenants, notifiers: setup.notifiers,
                                       security: setup.security, transport: transport, settings: settings, drills: drills)
            let shownHost = host.contains(":") ? "[\(host)]" : host
            try await runtime.run { port in
                FileHandle.standardOutput.write(Data("listening on http://\(shownHost):\(port)\n".utf8))
            }
            try await transport.shutdown()
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    /// `--ledger`, else `custody.ledger` relative to the configuration file; nil when neither names one.
    func drillLedgerPath(_ configuration: Configuration) -> String? {
        if let ledger { return ledger }
        guard let file = configuration.custody.ledger else { return nil }
        if file.hasPrefix("/") { return file }
        let folder = configPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return folder.appendingPathComponent(file).path
    }
}

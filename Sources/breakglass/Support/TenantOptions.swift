import ArgumentParser
import EntraModel
import Foundation
import Posture
import Watch

/// Where the tenant comes from, and the configuration and time to audit it with.
struct TenantOptions: ParsableArguments {
    @Flag(help: "Use the embedded demo tenant (Contoso).")
    var demo = false

    @Option(name: .customLong("snapshot"), help: "A snapshot folder (spec/snapshot.md).", completion: .directory)
    var snapshotPath: String?

    @Option(name: .customLong("config"), help: "breakglass.yml (default: ./breakglass.yml if present).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?

    @OptionGroup(title: "Live tenant") var live: LiveOptions

    @Option(name: .customLong("as-of"), help: "Measure ages against this time (ISO 8601) instead of the capture time.")
    var asOf: String?

    func validate() throws {
        guard [demo, snapshotPath != nil, live.tenant != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("Give exactly one of --demo, --snapshot DIR or --tenant ID.")
        }
        if let asOf, GraphDate.parse(asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not an ISO 8601 date-time (for example 2026-11-20T09:00:00Z).")
        }
    }

    func loadConfiguration() throws -> Configuration {
        if demo, configPath == nil { return try DemoTenant.configuration() }
        return try Self.configuration(at: configPath)
    }

    /// `--config FILE`, else ./breakglass.yml when present, else the defaults.
    static func configuration(at configPath: String?) throws -> Configuration {
        if let configPath { return try Configuration.load(URL(fileURLWithPath: configPath)) }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("breakglass.yml")
        if FileManager.default.fileExists(atPath: local.path) { return try Configuration.load(local) }
        return Configuration()
    }

    func loadSnapshot() throws -> (snapshot: Snapshot, source: String) {
        if demo { return (try DemoTenant.snapshot(), "demo") }
        guard let snapshotPath else {
            throw UsageError("--tenant reads a live tenant with audit only; capture it first with `breakglass snapshot --tenant ID --out DIR`.")
        }
        return (try SnapshotReader().read(URL(fileURLWithPath: snapshotPath)), "snapshot")
    }

    /// Configuration first (a usage error, exit 2, should not wait for a large snapshot to load), then the tenant.
    func loadContext() throws -> TenantContext {
        try loadContext(configuration: loadConfiguration())
    }

    func loadContext(configuration: Configuration) throws -> TenantContext {
        let (snapshot, source) = try loadSnapshot()
        let now = asOf.flatMap(GraphDate.parse) ?? snapshot.capturedAt ?? Date()
        return withRunbook(TenantContext(snapshot: snapshot, configuration: configuration, now: now, source: source))
    }

    /// Reads the runbook `runbook.file` names (relative to the configuration file) for BG064, and the drills
    /// recorded in the ledger `custody.ledger` names for BG062 and BG063.
    func withRunbook(_ context: TenantContext) -> TenantContext {
        let folder = configPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var context = context
        context.runbookOnFile = RunbookOnFile.read(context.configuration, relativeTo: folder)
        context.drillsOnFile = DrillsOnFile.read(context.configuration, relativeTo: folder)
        // The commands loading a tenant here run once and exit: the tenant is not freed piece by piece at the end.
        KeptUntilExit.keep(context)
        return context
    }

    /// As `loadContext()`, reading a live tenant when `--tenant` is given (`save` keeps the capture as a folder).
    func loadContext(save: String?) async throws -> TenantContext {
        guard live.tenant != nil else {
            if save != nil { throw UsageError("--save keeps a live capture: give it with --tenant ID.") }
            return try loadContext()
        }
        let configuration = try loadConfiguration()
        let files = try await live.capture(configuration: configuration)
        if let save { try SnapshotWriter.write(files, to: URL(fileURLWithPath: save)) }
        let snapshot = try SnapshotReader().read(from: MemorySource(files))
        let now = asOf.flatMap(GraphDate.parse) ?? snapshot.capturedAt ?? Date()
        return withRunbook(TenantContext(snapshot: snapshot, configuration: configuration, now: now, source: "live"))
    }
}

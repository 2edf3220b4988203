import ArgumentParser
import EntraModel
import Foundation
import Graph
import GraphEmulator
import Posture

extension BenchCommand {
    /// Serves a snapshot folder from the in-process emulator and times a full capture of it over loopback HTTP.
    struct Capture: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time a live capture: serve a snapshot (bench generate writes one) from the emulator and capture it over loopback.",
            discussion: "Example: breakglass bench capture --snapshot /tmp/syn200k --page-size 999")

        @Option(name: .customLong("snapshot"), help: "The snapshot folder to serve.") var snapshotPath: String
        @Option(name: .customLong("config"), help: "breakglass.yml (default: the one in the snapshot folder).") var configPath: String?
        @Option(name: .customLong("page-size"), help: "Items per page.") var pageSize = 999
        @Option(help: "Graph requests in flight at once.") var concurrency = 4
        @Option(help: "Also write the capture to this folder.") var out: String?

        func run() async throws {
            let folder = URL(fileURLWithPath: snapshotPath)
            let configURL = configPath.map(URL.init(fileURLWithPath:)) ?? folder.appendingPathComponent("breakglass.yml")
            let configuration = FileManager.default.fileExists(atPath: configURL.path) ? try Configuration.load(configURL) : Configuration()
            let loadStart = ContinuousClock.now
            let emulator = try GraphEmulator(snapshot: folder, options: EmulatorOptions(pageSize: pageSize))
            Terminal.note("emulator loaded the snapshot in \(Measure.format(ContinuousClock.now - loadStart))")
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await EmulatorServer(emulator: emulator, port: 0).run(gracefulShutdown: false) { continuation.yield($0) }
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next(), let base = URL(string: "http://127.0.0.1:\(port)") else { return }
                let endpoints = GraphEndpoints(graph: base, authority: base)
                let transport = AsyncHTTPTransport()
                let provider = ClientSecretProvider(tenant: "bench", clientID: "bench", secret: "bench", endpoints: endpoints,
                                                    transport: transport)
                let client = GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport,
                                         concurrency: concurrency)
                let requests = RequestCounter()
                let capture = SnapshotCapture(client: client, cloud: "global", capturedBy: "breakglass bench", progress: { event in
                    if case .items = event { requests.increment() }
                })
                let start = ContinuousClock.now
                do {
                    let files = try await capture.run(extraGroups: configuration.exclusionGroup.map { [$0] } ?? []) { snapshot in
                        TenantContext(snapshot: snapshot, configuration: configuration, now: Date()).emergencyAccounts
                            .compactMap { $0.user?.id.lowercased() }
                    }
                    let elapsed = ContinuousClock.now - start
                    let bytes = files.values.reduce(0) { $0 + $1.count }
                    Terminal.write("captured \(files.count) files (\(bytes / 1_048_576) MiB, \(requests.value) pages) "
                                   + "with \(pageSize)-item pages in \(Measure.format(elapsed))")
                    if let out { try SnapshotWriter.write(files, to: URL(fileURLWithPath: out)) }
                    try await transport.shutdown()
                } catch {
                    try? await transport.shutdown()
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }
    }
}

/// Counts pages for the benchmark's summary.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

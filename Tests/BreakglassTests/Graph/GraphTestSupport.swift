import Foundation
import Graph
import GraphEmulator
import Testing

/// A clock that never sleeps and records what it was asked to wait.
final class RecordingClock: Clock, @unchecked Sendable {
    typealias Instant = ContinuousClock.Instant
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var now: Instant { .now }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        lock.withLock { recorded.append(deadline - .now) }
    }

    var sleeps: [Duration] { lock.withLock { recorded } }
}

/// A transport answering from a script, recording requests.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [@Sendable (GraphRequest) throws -> GraphResponse]
    private(set) var requests: [GraphRequest] = []

    init(_ script: [@Sendable (GraphRequest) throws -> GraphResponse]) { self.script = script }

    func send(_ request: GraphRequest, timeout: Duration) async throws -> GraphResponse {
        let next: (@Sendable (GraphRequest) throws -> GraphResponse)? = lock.withLock {
            requests.append(request)
            return script.isEmpty ? nil : script.removeFirst()
        }
        guard let next else { return GraphResponse(status: 500, body: Data("{}".utf8)) }
        return try next(request)
    }

    var sent: [GraphRequest] { lock.withLock { requests } }
}

func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> @Sendable (GraphRequest) throws -> GraphResponse {
    { _ in GraphResponse(status: status, headers: headers, body: Data(text.utf8)) }
}

extension GraphClient {
    /// A client over `transport` with a fixed token and a clock that never sleeps.
    static func testing(_ transport: any HTTPTransport, clock: RecordingClock = RecordingClock(),
                        retry: RetryPolicy = RetryPolicy(), graph: String = "https://graph.microsoft.com") -> GraphClient {
        GraphClient(endpoints: GraphEndpoints(graph: URL(string: graph)),
                    tokens: TokenCache(provider: StaticTokenProvider(token: "test-token")),
                    transport: transport, clock: clock, retry: retry)
    }
}

/// The emulator in this process on a free loopback port, for the duration of `body`.
enum InProcessEmulator {
    static func with<T: Sendable>(_ snapshot: URL, options: EmulatorOptions = EmulatorOptions(),
                                  _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let server = EmulatorServer(emulator: try GraphEmulator(snapshot: snapshot, options: options), port: 0)
        return try await server.serving(body)
    }
}

extension CLI {
    /// Runs the CLI on its own thread, so a blocked wait never starves the in-process emulator.
    static func runDetached(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try CLI.run(arguments, environment: environment) })
            }
        }
    }
}

/// Environment for the CLI with no ambient credentials, plus `extra`.
func cleanEnvironment(_ extra: [String: String]) -> [String: String] {
    var env: [String: String] = [
        "AZURE_TENANT_ID": "", "AZURE_CLIENT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_CERTIFICATE_PATH": "",
        "BREAKGLASS_GRAPH_TOKEN": "",
    ]
    env.merge(extra) { _, new in new }
    return env
}

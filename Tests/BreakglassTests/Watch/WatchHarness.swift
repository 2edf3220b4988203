import Custody
import Dashboard
import Foundation
import Graph
import Logging
import GraphEmulator
import Posture
import Synchronization
import Testing
import Watch

/// A whole watch service in this process, polling the in-process emulator, for the duration of a test.
struct WatchHarness: Sendable {
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let routingKey = "R0123456789ABCDEF0123456789ABCDE"

    let baseURL: URL
    let store: any WatchStore
    let rounds: RoundCounter

    /// Poll rounds this replica started so far.
    var roundsStarted: Int { rounds.value }

    /// Runs the service (webhook and PagerDuty notifiers posting to `receiver`) until `body` returns.
    static func with<T: Sendable>(store: any WatchStore, emulator: URL, receiver: URL, clock: ManualClock,
                                  pollInterval: Duration = .milliseconds(200),
                                  drills: @Sendable ([WatchedTenant]) -> any DrillSource = { _ in NoPlannedDrills() },
                                  _ body: @Sendable (WatchHarness) async throws -> T) async throws -> T {
        let transport = AsyncHTTPTransport()
        let notifiers: [any Notifier] = [
            try StandardWebhookNotifier(name: "webhook-1", url: receiver.appendingPathComponent("webhook").absoluteString,
                                        secret: Secret(utf8: webhookSecret)),
            try PagerDutyNotifier(name: "pagerduty-1", url: receiver.appendingPathComponent("pagerduty").absoluteString,
                                  routingKey: Secret(utf8: routingKey)),
        ]
        var settings = WatchRuntime.Settings()
        settings.port = 0
        settings.pollInterval = pollInterval
        settings.outbox = OutboxDispatcher.Settings(interval: .milliseconds(100), lease: 30, timeout: .seconds(5))
        settings.publicURL = "https://watch.example.net"
        let rounds = RoundCounter()
        let runtime = WatchRuntime(
            store: store,
            tenants: [WatchRuntime.TenantSetup(tenant: WatchFixture.tenant, client: WatchFixture.client(emulator, transport: transport),
                                               configuration: try Fixture.configuration("good"))],
            notifiers: notifiers,
            security: DashboardSecurity(token: Secret(utf8: DashboardHarness.token),
                                        webhookSecret: Secret(utf8: DashboardHarness.webhookSecret)),
            transport: transport, settings: settings, drills: drills([WatchFixture.tenant]), now: clock.read,
            onLease: { event in if case .attempted = event { rounds.increment() } },
            logger: { var logger = Logger(label: "watch-tests"); logger.logLevel = .critical; return logger }())
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        do {
            let result = try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await runtime.run(gracefulShutdown: false) { continuation.yield($0) }
                    return nil
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next(), let url = URL(string: "http://127.0.0.1:\(port)") else {
                    throw CancellationError()
                }
                defer { group.cancelAll() }
                return try await body(WatchHarness(baseURL: url, store: store, rounds: rounds))
            }
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    func get(_ path: String) async throws -> GraphResponse {
        try await http("GET", URL(string: path, relativeTo: baseURL) ?? baseURL,
                       headers: [("Authorization", "Bearer \(DashboardHarness.token)")])
    }
}

extension WatchFixture {
    /// A timeline: a sign-in of bg-01 at 10 s, then its password reset (audit and lastPasswordChangeDateTime) at 20 s.
    static func useThenRotation(signInAt: TimeInterval = 10, rotationAt: TimeInterval = 20) -> EmulatorTimeline {
        EmulatorTimeline(entries: [
            .init(at: signInAt, lag: 5, change: .add(file: "sign-ins.json", item: signIn(id: "e2e-signin-1"))),
            .init(at: rotationAt, change: .add(file: "directory-audits.json", item: passwordReset(id: "e2e-reset-1"))),
            .init(at: rotationAt, change: .update(file: "users.json", id: bg01, set: ["lastPasswordChangeDateTime": "$now"])),
        ])
    }
}

/// A count shared across tasks.
final class RoundCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

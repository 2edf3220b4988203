import Foundation
import Graph
import GraphEmulator
import Logging
import PostgresNIO
import Synchronization
import Testing
import Watch

@Suite("Two replicas on PostgreSQL: one polls; when it dies the other takes over")
struct ReplicaTakeoverTests {
    /// Terminates the backend holding the poller's advisory lock, from a connection of the test's own, and waits
    /// until it has exited (so the lock is free): to the replica, its connection just died.
    static func killLockHolder(url: String, key: Int64) async throws -> Int {
        let components = try #require(URLComponents(string: url))
        let configuration = PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "",
            password: components.password, database: String(components.path.dropFirst()), tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 99, logger: Logger(label: "test"))
        var killed = 0
        do {
            let rows = try await connection.query("""
                SELECT pg_terminate_backend(pid, 10000) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND ((classid::BIGINT << 32) | objid::BIGINT) = \(key)
                """, logger: Logger(label: "test"))
            for try await terminated in rows.decode(Bool.self) where terminated { killed += 1 }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return killed
    }

    final class Replica: Sendable {
        let events = Mutex<[PollingService.LeaseEvent]>([])
        var attempts: [Bool] {
            events.withLock { $0.compactMap { if case .attempted(let acquired) = $0 { acquired } else { nil } } }
        }
    }

    @Test("The polling replica's connection is killed; the other takes the lease at its next attempt (within one interval); no sign-in missed or doubled",
          .enabled(if: TestStores.postgresURL != nil))
    func takeover() async throws {
        let url = try #require(TestStores.postgresURL)
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let clock = ManualClock()
        let timeline = EmulatorTimeline(entries: [
            .init(at: 10, change: .add(file: "sign-ins.json", item: WatchFixture.signIn(id: "ha-1"))),
            .init(at: 20, change: .add(file: "sign-ins.json", item: WatchFixture.signIn(id: "ha-2", ip: "198.51.100.20"))),
        ])
        let storeA = try await TestStores.make("postgres", schema: String(schema))
        let storeB = try await TestStores.make("postgres", schema: String(schema))
        let a = Replica()
        let b = Replica()
        try await InProcessEmulator.with(Fixture.url("good"), options: EmulatorOptions(timeline: timeline, now: clock.read)) { emulator in
            let transport = AsyncHTTPTransport()
            func service(_ store: any WatchStore, _ replica: Replica) -> PollingService {
                let engine = IncidentEngine(store: store, notifiers: [EchoNotifier(name: "echo-1")], now: clock.read)
                let poller = TenantPoller(tenant: WatchFixture.tenant, client: WatchFixture.client(emulator, transport: transport),
                                          engine: engine, now: clock.read)
                return PollingService(jobs: [.init(tenant: WatchFixture.tenant, poller: poller, auditor: nil)], store: store,
                                      lease: store.makePollerLease(), interval: .milliseconds(300),
                                      onLease: { event in replica.events.withLock { $0.append(event) } }, now: clock.read)
            }
            // Replica A runs apart, to be killed: its lock connection terminated and its tasks stopped.
            let replicaA = Task { try await service(storeA, a).run() }
            defer { replicaA.cancel() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                try await eventually("replica A to poll") { a.attempts.first == true }
                FileHandle.standardError.write(Data("STEP 1\n".utf8))
                group.addTask { try await service(storeB, b).run() }
                try await eventually("replica B to try and fail") { b.attempts.count >= 2 }
                FileHandle.standardError.write(Data("STEP 2\n".utf8))
                #expect(!b.attempts.contains(true))

                clock.advance(10)  // ha-1 appears: A records it
                try await eventually("the first sign-in recorded") {
                    try await storeB.incidents(tenant: nil, activeOnly: true, limit: 5).first?.eventCount ?? 0 >= 2
                }
                let key = try #require((storeA as? PostgresStore)?.pollerLockKey)
                let attemptsBefore = b.attempts.count
                #expect(try await Self.killLockHolder(url: url, key: key) == 1)
                FileHandle.standardError.write(Data("STEP 3\n".utf8))
                replicaA.cancel()
                FileHandle.standardError.write(Data("STEP 4\n".utf8))
                try await eventually("replica B to take the lease") { b.attempts.contains(true) }
                FileHandle.standardError.write(Data("STEP 5\n".utf8))
                // B takes it at its first attempt that starts after the kill: one interval later at most (an attempt
                // already under way when the lock fell may still have failed).
                #expect(Array(b.attempts.dropFirst(attemptsBefore).prefix(2)).contains(true))

                clock.advance(10)  // ha-2 appears: B records it
                try await eventually("the second sign-in recorded") {
                    try await storeA.incidents(tenant: nil, activeOnly: true, limit: 5).first?.eventCount ?? 0 >= 3
                }
                // Let both run a few more rounds over the overlapping window.
                let rounds = b.attempts.count
                try await eventually("more rounds") { b.attempts.count >= rounds + 3 }
                FileHandle.standardError.write(Data("STEP 6\n".utf8))
                group.cancelAll()
                FileHandle.standardError.write(Data("STEP 7\n".utf8))
            }
            replicaA.cancel()
            FileHandle.standardError.write(Data("STEP 8\n".utf8))
            _ = await replicaA.result
            FileHandle.standardError.write(Data("STEP 9\n".utf8))
            try await transport.shutdown()
            FileHandle.standardError.write(Data("STEP 10\n".utf8))
        }
        let incidents = try await storeA.incidents(tenant: nil, activeOnly: false, limit: 10)
        #expect(incidents.count == 1)
        let timelineEntries = try await storeA.timeline(incidentID: try #require(incidents.first).id)
        let signIns = timelineEntries.filter { $0.kind == .signIn }.map(\.summary)
        #expect(signIns.count == 2)
        #expect(signIns.contains { $0.contains("203.0.113.7") } && signIns.contains { $0.contains("198.51.100.20") })
        try await storeA.close()
        FileHandle.standardError.write(Data("STEP 11\n".utf8))
        try await storeB.close()
        FileHandle.standardError.write(Data("STEP 12\n".utf8))
    }
}

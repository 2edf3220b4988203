import Foundation
import Testing
import Watch

@Suite("Watch store: the same schema and behaviour on SQLite and PostgreSQL")
struct WatchStoreTests {
    @Test("Migrating twice changes nothing; a file store keeps its state across reopening")
    func migrations() async throws {
        let path = Fixture.temporaryDirectory().appendingPathComponent("watch.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        try await store.migrate()
        try await store.setCursor(Date(timeIntervalSince1970: 100), tenant: "t", stream: "s")
        try await store.close()
        let reopened = try SQLiteStore(path: path)
        try await reopened.migrate()
        #expect(try await reopened.cursor(tenant: "t", stream: "s") == Date(timeIntervalSince1970: 100))
        try await reopened.close()
    }

    @Test("Cursors only move forward; seen keys are remembered across transactions", arguments: TestStores.kinds)
    func cursorsAndSeenKeys(kind: String) async throws {
        let store = try await TestStores.make(kind)
        try await store.setCursor(Date(timeIntervalSince1970: 200), tenant: "t", stream: "sign-ins")
        try await store.setCursor(Date(timeIntervalSince1970: 100), tenant: "t", stream: "sign-ins")
        #expect(try await store.cursor(tenant: "t", stream: "sign-ins") == Date(timeIntervalSince1970: 200))
        #expect(try await store.cursor(tenant: "t", stream: "audits") == nil)
        try await store.update(tenant: "t", keys: ["a", "b"]) { book in
            #expect(book.alreadySeen.isEmpty)
            book.markSeen("a")
        }
        let seen = try await store.update(tenant: "t", keys: ["a", "b"]) { book in book.alreadySeen }
        #expect(seen == ["a"])
        // Another tenant's keys are its own.
        #expect(try await store.update(tenant: "u", keys: ["a"]) { $0.alreadySeen }.isEmpty)
        try await store.close()
    }

    @Test("A failing body writes nothing: incident, timeline, outbox and seen keys go together", arguments: TestStores.kinds)
    func transactionsAreAtomic(kind: String) async throws {
        struct Boom: Error {}
        let store = try await TestStores.make(kind)
        await #expect(throws: (any Error).self) {
            try await store.update(tenant: "t", keys: ["k"]) { book in
                let incident = Incident(id: "i1", tenantID: "t", kind: .signIn, subject: "x", subjectName: "x",
                                        openedAt: Date(), summary: "s")
                book.add(incident)
                book.markSeen("k")
                book.enqueue(OutboxMessage(id: "m1", tenantID: "t", incidentID: "i1", notifier: "n", event: "e",
                                           payload: "{}", createdAt: Date()))
                throw Boom()
            }
        }
        #expect(try await store.incident(id: "i1") == nil)
        #expect(try await store.outboxSummary().pending == 0)
        #expect(try await store.update(tenant: "t", keys: ["k"]) { $0.alreadySeen }.isEmpty)
        try await store.close()
    }

    func enqueue(_ store: any WatchStore, _ messages: [(id: String, incident: String, notifier: String, at: Date)]) async throws {
        try await store.update(tenant: "t", keys: []) { book in
            for message in messages {
                book.enqueue(OutboxMessage(id: message.id, tenantID: "t", incidentID: message.incident, notifier: message.notifier,
                                           event: "incident.opened", payload: "{}", createdAt: message.at))
            }
        }
    }

    @Test("Outbox: oldest first per incident and notifier; a claim is a lease; failures wait their backoff", arguments: TestStores.kinds)
    func outboxClaims(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try await enqueue(store, [("m1", "i1", "pd", t0), ("m2", "i1", "pd", t0.addingTimeInterval(1)),
                                  ("m3", "i1", "hook", t0.addingTimeInterval(2)), ("m4", "i2", "pd", t0.addingTimeInterval(3))])
        let first = try await store.claimOutbox(owner: "a", now: t0.addingTimeInterval(10), lease: 60, limit: 10)
        // m2 waits for m1 (same incident and notifier): a resolve never overtakes its trigger.
        #expect(first.map(\.id) == ["m1", "m3", "m4"])
        #expect(first.allSatisfy { $0.attempts == 1 })
        // Claimed: another replica gets nothing until the lease ends.
        #expect(try await store.claimOutbox(owner: "b", now: t0.addingTimeInterval(20), lease: 60, limit: 10).isEmpty)
        try await store.outboxDelivered(id: "m1", at: t0.addingTimeInterval(21))
        try await store.outboxFailed(id: "m3", error: "HTTP 503", retryAt: t0.addingTimeInterval(300))
        let second = try await store.claimOutbox(owner: "b", now: t0.addingTimeInterval(22), lease: 60, limit: 10)
        #expect(second.map(\.id) == ["m2"])
        // m4's lease (claimed by a) ran out: a dead replica's message goes to another.
        let third = try await store.claimOutbox(owner: "b", now: t0.addingTimeInterval(80), lease: 60, limit: 10)
        #expect(third.map(\.id) == ["m4"])
        #expect(third.first?.attempts == 2)
        try await store.outboxDelivered(id: "m2", at: t0.addingTimeInterval(81))
        try await store.outboxDelivered(id: "m4", at: t0.addingTimeInterval(81))
        let later = try await store.claimOutbox(owner: "b", now: t0.addingTimeInterval(301), lease: 60, limit: 10)
        #expect(later.map(\.id) == ["m3"])
        let summary = try await store.outboxSummary()
        #expect(summary.delivered == 3 && summary.pending == 1 && summary.failing == 1)
        try await store.close()
    }

    @Test("Alerts are kept once per id; processed ones leave the queue", arguments: TestStores.kinds)
    func alerts(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let now = Date()
        let inserted = try await store.insertAlerts([
            ReceivedAlert(id: "a|fired", receivedAt: now, payload: "{}"),
            ReceivedAlert(id: "b|fired", receivedAt: now, payload: "{}"),
            ReceivedAlert(id: "a|fired", receivedAt: now, payload: "{}"),
        ])
        #expect(inserted == 2)
        #expect(try await store.insertAlerts([ReceivedAlert(id: "a|fired", receivedAt: now, payload: "{}")]) == 0)
        #expect(try await store.alertCount() == 2)
        try await store.markAlertsProcessed(["a|fired"], at: now)
        #expect(try await store.pendingAlerts(limit: 10).map(\.id) == ["b|fired"])
        try await store.close()
    }

    @Test("Account state, tenant status and posture round-trip", arguments: TestStores.kinds)
    func stateRoundTrips(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let when = Date(timeIntervalSince1970: 1_800_000_000)
        let account = AccountState(tenantID: "t", accountID: "a", name: "bg-01", lastPasswordChangeAt: when,
                                   lastSignInAt: nil, lastDrillAt: when, accountEnabled: true)
        try await store.saveAccount(account)
        #expect(try await store.accounts(tenant: "t") == [account])
        let status = TenantStatus(tenantID: "t", name: "T", lastPollAt: when, lastPollSucceeded: true,
                                  signInLogs: "read", lagSeconds: 1.5)
        try await store.saveTenantStatus(status)
        #expect(try await store.tenantStatuses() == [status])
        try await store.savePosture(tenant: "t", auditedAt: when, body: "{\"x\":1}")
        let posture = try #require(try await store.posture(tenant: "t"))
        #expect(posture.auditedAt == when && posture.body == "{\"x\":1}")
        try await store.close()
    }
}

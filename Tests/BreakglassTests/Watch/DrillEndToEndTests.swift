import Custody
import EntraModel
import Foundation
import Graph
import GraphEmulator
import Testing
import Watch

@testable import Posture

@Suite("Drills end to end over loopback: recorded in the ledger, then the emulated sign-in")
struct DrillEndToEndTests {
    /// breakglass.yml of the good tenant with a custodian key and the ledger beside it.
    static func setUp() throws -> (folder: URL, ledger: Ledger, configuration: Configuration, alice: CustodianKey) {
        let folder = Fixture.temporaryDirectory()
        let ledger = try Ledger(path: folder.appendingPathComponent("custody.db").path)
        let alice = CustodianKey(name: "alice")
        var configuration = try Fixture.configuration("good")
        configuration.custody.custodians = [.init(name: "alice", publicKey: alice.publicKey.description)]
        configuration.custody.ledger = "custody.db"
        return (folder, ledger, configuration, alice)
    }

    @Test("A drill recorded, then the emulated sign-in: watch opens an acknowledged drill incident; BG062 passes and BG063 ignores it; without rotation BG060 still fails",
          arguments: TestStores.kinds)
    func drillThenSignIn(kind: String) async throws {
        let clock = ManualClock()
        let (folder, ledger, configuration, alice) = try Self.setUp()
        var plan = DrillPlan(account: WatchFixture.bg01, tenant: "fabrikam.onmicrosoft.com", windowStart: clock.now,
                             windowEnd: clock.now.addingTimeInterval(3600), plannedBy: "alice", reason: "Q4 drill")
        try plan.approve(with: alice)
        try ledger.recordDrillStart(plan, actor: "alice")
        let drillID = plan.id
        // Three sign-ins in the drill (more than maxRoutineSignIns, 2), and no password change after them.
        let timeline = EmulatorTimeline(entries: (1...3).map { number in
            .init(at: TimeInterval(9 + number), lag: 5,
                  change: .add(file: "sign-ins.json", item: WatchFixture.signIn(id: "drill-signin-\(number)")))
        })
        let store = try await TestStores.make(kind)
        let ledgerPath = folder.appendingPathComponent("custody.db").path
        try await InProcessEmulator.with(Fixture.url("good"), options: EmulatorOptions(timeline: timeline, now: clock.read)) { emulator in
            try await Recorder.with(Recorder()) { hooks in
                try await WatchHarness.with(store: store, emulator: emulator, receiver: hooks, clock: clock,
                                            drills: { LedgerDrills(path: ledgerPath, tenants: $0) }) { _ in
                    try await eventually("a first successful poll") {
                        try await store.tenantStatuses().first?.lastPollSucceeded == true
                    }
                    clock.advance(12)  // the drill's sign-ins are in Graph's log now
                    try await eventually("the drill's incident") {
                        try await store.incidents(tenant: nil, activeOnly: true, limit: 10).contains { $0.kind == .signIn }
                    }
                    let incident = try #require(try await store.incidents(tenant: nil, activeOnly: true, limit: 10)
                        .first { $0.kind == .signIn })
                    #expect(incident.subject == WatchFixture.bg01)
                    #expect(incident.state == .acknowledged)
                    #expect(incident.reason == .drill)
                    #expect(incident.acknowledgedBy == "alice")
                    #expect(incident.note?.contains("drill \(drillID)") == true)
                    #expect(incident.note?.contains("approved by alice") == true)
                    #expect(incident.closedAt == nil)  // acknowledged is not closed: rotation closes it
                }
            }

            // The same tenant read through Graph afterwards, audited with the drills in the ledger.
            let transport = AsyncHTTPTransport()
            let files: [String: Data]
            do {
                let capture = SnapshotCapture(client: WatchFixture.client(emulator, transport: transport), cloud: "global",
                                              capturedBy: "drill-tests", now: clock.read)
                files = try await capture.run(extraGroups: [WatchFixture.group]) { _ in [WatchFixture.bg01, WatchFixture.bg02] }
                try await transport.shutdown()
            } catch {
                try? await transport.shutdown()
                throw error
            }
            let snapshot = try SnapshotReader().read(from: MemorySource(files))
            // A day and an hour later: past the 24-hour rotation grace.
            var context = TenantContext(snapshot: snapshot, configuration: configuration,
                                        now: clock.now.addingTimeInterval(25 * 3600), source: "live")
            let drills = try #require(DrillsOnFile.read(configuration, relativeTo: folder))
            guard case .read(_, let recorded) = drills else {
                Issue.record("the ledger was not usable: \(drills)")
                return
            }
            #expect(recorded.map(\.approvedBy) == [["alice"]])
            let undrilled = context
            context.drillsOnFile = drills
            func status(_ check: some Check, _ context: TenantContext) -> Status? {
                check.run(in: context).first { $0.subject.id == WatchFixture.bg01 }?.status
            }
            #expect(status(BG062RecentDrill(), context) == .pass)
            #expect(status(BG063RoutineUse(), context) == .pass)
            #expect(status(BG063RoutineUse(), undrilled) == .fail)  // the same three sign-ins, without the ledger
            #expect(status(BG060RotatedAfterUse(), context) == .fail)
        }
        try await store.close()
    }

    @Test("watch does not take a drill from a ledger that fails verification: the sign-in stays an open incident")
    func tamperedLedgerPlansNoDrill() async throws {
        let (folder, ledger, _, _) = try Self.setUp()
        let start = Date()
        try ledger.recordDrillStart(DrillPlan(account: WatchFixture.bg01, tenant: nil, windowStart: start,
                                              windowEnd: start.addingTimeInterval(3600), plannedBy: "alice", reason: nil),
                                    actor: "alice")
        let path = folder.appendingPathComponent("custody.db").path
        let source = LedgerDrills(path: path, tenants: [WatchFixture.tenant])
        // Matched by UPN too: bg-02 is recorded by UPN, the sign-in carries its object id.
        try ledger.recordDrillStart(DrillPlan(account: "bg-02@fabrikam.onmicrosoft.com", tenant: nil, windowStart: start,
                                              windowEnd: start.addingTimeInterval(3600), plannedBy: "bob", reason: nil),
                                    actor: "bob")
        let at = start.addingTimeInterval(60)
        #expect(try await source.plannedDrill(tenantID: "fabrikam.onmicrosoft.com", accountID: WatchFixture.bg01, at: at)?.plannedBy == "alice")
        #expect(try await source.plannedDrill(tenantID: "fabrikam.onmicrosoft.com", accountID: WatchFixture.bg02, at: at)?.plannedBy == "bob")
        #expect(try await source.plannedDrill(tenantID: "fabrikam.onmicrosoft.com", accountID: WatchFixture.bg01,
                                              at: start.addingTimeInterval(7200)) == nil)
        try tamperLedgerFile(path, "UPDATE ledgerEntry SET actor = 'mallory' WHERE sequence = 1;")
        #expect(try await source.plannedDrill(tenantID: "fabrikam.onmicrosoft.com", accountID: WatchFixture.bg01, at: at) == nil)
    }
}

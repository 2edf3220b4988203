import Foundation
import GRDB
import Testing

@testable import Custody

@Suite("Custody ledger: drills")
struct DrillLedgerTests {
    static let start = Date(timeIntervalSince1970: 1_794_295_200)  // 2026-11-10T07:20:00Z
    static let bg01 = "b9000001-0000-4000-8000-000000000001"

    static func plan(signedBy keys: [CustodianKey] = []) throws -> DrillPlan {
        var plan = DrillPlan(account: bg01, tenant: "fabrikam.onmicrosoft.com", windowStart: start,
                             windowEnd: start.addingTimeInterval(4 * 3600), plannedBy: "alice", reason: "Q4 drill")
        for key in keys { try plan.approve(with: key) }
        return plan
    }

    @Test("drill start and finish are entries whose detail pairs up: the plan with its latest outcome")
    func startAndFinishPairUp() throws {
        let ledger = try Ledger(database: DatabaseQueue())
        try ledger.append(.split, actor: "alice", setID: nil, outcome: "3 sheets", at: Self.start.addingTimeInterval(-60))
        let plan = try Self.plan()
        try ledger.recordDrillStart(plan, actor: "alice", at: Self.start)
        let signIn = Self.start.addingTimeInterval(600)
        try ledger.recordDrillFinish(DrillOutcome(drillID: plan.id, account: plan.account, signedInAt: signIn,
                                                  passwordChangedAt: nil, checkedIn: "logs a.json"),
                                     actor: "bob", at: Self.start.addingTimeInterval(700))
        try ledger.recordDrillFinish(DrillOutcome(drillID: plan.id, account: plan.account, signedInAt: signIn,
                                                  passwordChangedAt: signIn.addingTimeInterval(60), checkedIn: "logs a.json"),
                                     actor: "bob", at: Self.start.addingTimeInterval(800))
        let drills = try ledger.verifiedDrills()
        #expect(drills.count == 1)
        let drill = try #require(drills.first)
        #expect(drill.plan == plan)
        #expect(drill.sequence == 2)
        #expect(drill.outcome?.isComplete == true)
        #expect(drill.finishedAt == Self.start.addingTimeInterval(800))
        let entries = try ledger.entries()
        #expect(entries.map(\.action) == [.split, .drill, .drill, .drill])
        #expect(entries[1].outcome.hasPrefix("drill start: account \(Self.bg01), sign-in expected 2026-11-10T07:20:00Z to 2026-11-10T11:20:00Z"))
        #expect(entries[2].outcome.hasSuffix("signed in yes (2026-11-10T07:30:00Z), rotated no"))
        #expect(entries[0].detail == nil)
    }

    @Test("a drill entry's detail is covered by the hash: editing the window is caught, and its drills are refused")
    func editedDetailIsCaught() throws {
        let directory = try CustodyTemporaryDirectory()
        let path = directory.path + "/custody.db"
        let ledger = try Ledger(path: path)
        try ledger.recordDrillStart(try Self.plan(), actor: "alice", at: Self.start)
        try ledger.append(.rotation, actor: "bob", setID: nil, outcome: "rotated", at: Self.start.addingTimeInterval(60))
        let detail = try #require(try ledger.entries().first?.detail)
        let widened = detail.replacingOccurrences(of: "2026-11-10T11:20:00Z", with: "2027-11-10T11:20:00Z")
        #expect(widened != detail)
        try CustodyLedgerTests.tamper(ledger, "UPDATE ledgerEntry SET detail = '\(widened)' WHERE sequence = 1;")
        #expect(try Ledger(readingAt: path).verify().firstBreak == .edited(sequence: 1))
        #expect(throws: CustodyError.self) { try Ledger(readingAt: path).verifiedDrills() }
        // The unverified read shows what the editor wanted believed.
        #expect(try Ledger(readingAt: path).drills().first?.plan.windowEnd == Date(timeIntervalSince1970: 1_825_845_600))
    }

    @Test("a ledger written before drills had details still reads, verifies and takes drill entries afterwards")
    func ledgerFromBeforeDetails() throws {
        let directory = try CustodyTemporaryDirectory()
        let path = directory.path + "/custody.db"
        let written = try CustodyLedgerTests.filledLedger(4, in: Ledger(path: path)).entries()
        // As the previous version left it: no detail column, the second migration never run.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE ledgerEntry DROP COLUMN detail")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2 ledger detail'")
        }
        try queue.close()
        let old = try Ledger(readingAt: path)
        #expect(try old.entries() == written)
        #expect(try old.verify().isIntact)
        let upgraded = try Ledger(path: path, mustExist: true)
        try upgraded.recordDrillStart(try Self.plan(), actor: "alice", at: Self.start.addingTimeInterval(100))
        let verification = try Ledger(readingAt: path).verify()
        #expect(verification.isIntact && verification.entryCount == 5)
        #expect(try upgraded.verifiedDrills().count == 1)
    }

    @Test("approvals verify against the custodians' listed keys, and name what does not")
    func approvals() throws {
        let alice = CustodianKey(name: "alice")
        let bob = CustodianKey(name: "bob")
        let mallory = CustodianKey(name: "mallory")
        let listed = [(name: "alice", publicKey: Optional(alice.publicKey.description)),
                      (name: "bob", publicKey: Optional(CustodianKey(name: "bob").publicKey.description)),
                      (name: "carol", publicKey: String?.none)]
        let plan = try Self.plan(signedBy: [alice, bob, mallory])
        let (valid, problems) = plan.verifyApprovals(custodians: listed)
        #expect(valid == ["alice"])
        #expect(problems == ["bob signed with a key that is not the one in breakglass.yml",
                             "mallory is not a custodian in breakglass.yml"])

        var widened = try Self.plan(signedBy: [alice])
        widened.windowEnd = widened.windowEnd.addingTimeInterval(86_400)
        #expect(widened.verifyApprovals(custodians: listed).valid.isEmpty)
        #expect(widened.verifyApprovals(custodians: listed).problems
            == ["alice's signature does not match this drill (it was changed after signing)"])
    }

    @Test("the window covers its two ends and nothing outside")
    func window() throws {
        let plan = try Self.plan()
        #expect(plan.covers(Self.start) && plan.covers(Self.start.addingTimeInterval(4 * 3600)))
        #expect(!plan.covers(Self.start.addingTimeInterval(-1)) && !plan.covers(Self.start.addingTimeInterval(4 * 3600 + 1)))
    }
}

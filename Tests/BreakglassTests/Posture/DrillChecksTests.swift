import EntraModel
import Foundation
import Testing

@testable import Posture

@Suite("BG060, BG062 and BG063 with the drills recorded in the custody ledger")
struct DrillChecksTests {
    static let bg01 = "b9000001-0000-4000-8000-000000000001"
    static let bg02 = "b9000001-0000-4000-8000-000000000002"
    static let bg02UPN = "bg-02@fabrikam.onmicrosoft.com"

    static func date(_ text: String) throws -> Date { try #require(GraphDate.parse(text)) }

    /// The good tenant (captured 2026-11-01) where bg-01 signed in three times on 2026-10-30 — more than
    /// maxRoutineSignIns (2) — and its password was last changed 2026-10-22.
    static func context(drills: DrillsOnFile?) throws -> TenantContext {
        let folder = try Fixture.copy("good")
        let signIns = ["08:10", "08:20", "08:30"].enumerated().map { index, time in
            """
            {"id": "drill-\(index)", "createdDateTime": "2026-10-30T\(time):00Z", "userId": "\(bg01)",
             "userPrincipalName": "bg-01@fabrikam.onmicrosoft.com", "appDisplayName": "Azure Portal", "isInteractive": true,
             "status": {"errorCode": 0}}
            """
        } + ["""
            {"id": "old-2", "createdDateTime": "2026-10-21T09:00:00Z", "userId": "\(bg02)", "isInteractive": true,
             "status": {"errorCode": 0}}
            """]
        try Data("{\"value\": [\(signIns.joined(separator: ","))]}".utf8)
            .write(to: folder.appendingPathComponent("sign-ins.json"))
        let snapshot = try SnapshotReader().read(folder)
        var context = TenantContext(snapshot: snapshot, configuration: try Fixture.configuration("good"),
                                    now: try date("2026-11-01T09:00:00Z"))
        context.drillsOnFile = drills
        return context
    }

    static func drill(_ account: String = bg01, from: String = "2026-10-30T08:00:00Z", to: String = "2026-10-30T12:00:00Z",
                      finished: Bool = false, signedIn: String? = nil) throws -> RecordedDrill {
        RecordedDrill(account: account, windowStart: try date(from), windowEnd: try date(to), plannedBy: "alice",
                      isFinished: finished, signedInAt: try signedIn.map(date))
    }

    func result(_ check: some Check, _ context: TenantContext, _ account: String = bg01) throws -> Finding {
        try #require(check.run(in: context).first { $0.subject.id == account })
    }

    @Test("BG063 does not count sign-ins inside a recorded drill window as routine use; outside one they count")
    func routineUseIgnoresDrills() throws {
        let without = try result(BG063RoutineUse(), Self.context(drills: nil))
        #expect(without.status == .fail)
        let with = try result(BG063RoutineUse(), Self.context(drills: .read(path: "custody.db", [Self.drill()])))
        #expect(with.status == .pass)
        #expect(with.message.contains("besides 3 in recorded drills"))
        #expect(with.evidence["drillSignInsNotCounted"] == .number(3))
        // A window that ends before the last sign-in leaves that one counted; one more would still be within 2.
        let partial = try result(BG063RoutineUse(), Self.context(drills: .read(path: "custody.db", [
            Self.drill(to: "2026-10-30T08:15:00Z"),
        ])))
        #expect(partial.evidence["signInsLast30Days"] == .number(2))
        // Another account's drill does not cover bg-01.
        let other = try result(BG063RoutineUse(), Self.context(drills: .read(path: "custody.db", [Self.drill(Self.bg02UPN)])))
        #expect(other.status == .fail)
    }

    @Test("With a ledger, BG062 counts recorded drills only: an unrecorded sign-in is not a test")
    func recentDrillFromLedger() throws {
        #expect(try result(BG062RecentDrill(), Self.context(drills: nil)).status == .pass)
        let none = try result(BG062RecentDrill(), Self.context(drills: .read(path: "custody.db", [])))
        #expect(none.status == .fail)
        #expect(none.message.contains("No drill of bg-01@fabrikam.onmicrosoft.com is recorded in custody.db"))

        let started = try result(BG062RecentDrill(), Self.context(drills: .read(path: "custody.db", [Self.drill()])))
        #expect(started.status == .pass)
        #expect(started.message.contains("recorded (not finished yet) in custody.db"))
        #expect(started.evidence["lastDrillSignIn"] == .string("2026-10-30T08:30:00Z"))

        // A drill whose window saw no sign-in tested nothing.
        let missed = try result(BG062RecentDrill(), Self.context(drills: .read(path: "custody.db", [
            Self.drill(from: "2026-10-31T08:00:00Z", to: "2026-10-31T12:00:00Z"),
        ])))
        #expect(missed.status == .fail)
        #expect(missed.message.contains("no sign-in was seen in that window"))

        // bg-02 is configured by UPN and its drill recorded so; finish found a sign-in the snapshot does not hold.
        let finished = try result(BG062RecentDrill(), Self.context(drills: .read(path: "custody.db", [
            Self.drill(Self.bg02UPN, from: "2026-10-29T08:00:00Z", to: "2026-10-29T12:00:00Z", finished: true,
                       signedIn: "2026-10-29T09:00:00Z"),
        ])), Self.bg02)
        #expect(finished.status == .pass)
        #expect(finished.message.contains("recorded and finished"))

        let old = try result(BG062RecentDrill(), Self.context(drills: .read(path: "custody.db", [
            Self.drill(from: "2026-06-01T08:00:00Z", to: "2026-06-01T12:00:00Z", finished: true, signedIn: "2026-06-01T09:00:00Z"),
        ])))
        #expect(old.status == .fail)

        let unusable = try result(BG062RecentDrill(), Self.context(drills: .unusable(path: "custody.db", reason: "entry 2 was changed")))
        #expect(unusable.status == .unknown)
        #expect(unusable.message.contains("entry 2 was changed"))
    }

    @Test("BG060 is unchanged by a drill: the drill's sign-in still needs rotation")
    func drillStillNeedsRotation() throws {
        let context = try Self.context(drills: .read(path: "custody.db", [Self.drill()]))
        let rotation = try result(BG060RotatedAfterUse(), context)
        #expect(rotation.status == .fail)
        #expect(rotation.status == (try result(BG060RotatedAfterUse(), Self.context(drills: nil))).status)
    }
}

import EntraModel
import Foundation
import Graph
import GraphEmulator
import Testing

@Suite("Emulator: a scripted timeline and the $filter subset the watch service sends")
struct EmulatorTimelineTests {
    static let bg01 = "b9000001-0000-4000-8000-000000000001"

    func emulator(_ clock: ManualClock, timeline: EmulatorTimeline) throws -> GraphEmulator {
        try GraphEmulator(snapshot: Fixture.url("good"), options: EmulatorOptions(timeline: timeline, now: clock.read))
    }

    func get(_ emulator: GraphEmulator, _ path: String, filter: String? = nil, select: String? = nil) async throws
        -> (status: Int, items: [[String: Any]], object: [String: Any]) {
        let token = String(decoding: (await emulator.handle(EmulatorRequest(
            method: "POST", path: "/t/oauth2/v2.0/token", query: [:], headers: [:],
            body: Data("grant_type=client_credentials&client_id=a&client_secret=b".utf8), baseURL: "http://e"))).body, as: UTF8.self)
        let access = try #require((try JSONSerialization.jsonObject(with: Data(token.utf8)) as? [String: Any])?["access_token"] as? String)
        var query: [String: String] = [:]
        if let filter { query["$filter"] = filter }
        if let select { query["$select"] = select }
        let response = await emulator.handle(EmulatorRequest(method: "GET", path: path, query: query,
                                                             headers: ["Authorization": "Bearer \(access)"], body: Data(),
                                                             baseURL: "http://e"))
        let object = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
        return (response.status, object["value"] as? [[String: Any]] ?? [], object)
    }

    @Test("Records appear at their time, stamped with it (minus their lag); updates apply from their time")
    func recordsAppear() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let timeline = try EmulatorTimeline(json: Data("""
            {"events": [
              {"at": 10, "lag": 120, "add": "sign-ins.json", "item": {"id": "new-1", "userId": "\(Self.bg01)", "isInteractive": true, "status": {"errorCode": 0}}},
              {"at": 20, "add": "sign-ins.json", "item": {"id": "new-2", "userId": "\(Self.bg01)", "isInteractive": false, "status": {"errorCode": 0}}},
              {"at": 30, "update": "users.json", "id": "\(Self.bg01)", "set": {"lastPasswordChangeDateTime": "$now"}}
            ]}
            """.utf8))
        let emulator = try emulator(clock, timeline: timeline)
        let since = "createdDateTime ge \(GraphDate.format(clock.now.addingTimeInterval(-3600)))"
        #expect(try await get(emulator, "/v1.0/auditLogs/signIns", filter: since).items.isEmpty)
        clock.advance(10)
        let first = try await get(emulator, "/v1.0/auditLogs/signIns", filter: "\(since) and userId eq '\(Self.bg01)'").items
        #expect(first.map { $0["id"] as? String } == ["new-1"])
        #expect(first.first?["createdDateTime"] as? String == GraphDate.format(clock.now.addingTimeInterval(-120)))
        clock.advance(10)
        // v1.0 lists interactive sign-ins only; the non-interactive one is on beta with signInEventTypes.
        #expect(try await get(emulator, "/v1.0/auditLogs/signIns", filter: since).items.count == 1)
        let beta = try await get(emulator, "/beta/auditLogs/signIns",
                                 filter: "\(since) and signInEventTypes/any(t: t eq 'nonInteractiveUser') and (userId eq '\(Self.bg01)')")
        #expect(beta.items.map { $0["id"] as? String } == ["new-2"])
        let before = try await get(emulator, "/v1.0/users/\(Self.bg01)", select: "id,lastPasswordChangeDateTime").object
        #expect(before["lastPasswordChangeDateTime"] as? String == "2026-10-22T09:00:00Z")
        clock.advance(10)
        let after = try await get(emulator, "/v1.0/users/\(Self.bg01)", select: "id,lastPasswordChangeDateTime").object
        #expect(after["lastPasswordChangeDateTime"] as? String == GraphDate.format(clock.now))
        #expect(after["displayName"] == nil)
    }

    @Test("Filters: ge/le on date-times, and/or with parentheses, any() over objects; a filter outside the subset is a 400")
    func filters() async throws {
        let emulator = try emulator(ManualClock(), timeline: EmulatorTimeline(entries: []))
        let audits = try await get(emulator, "/v1.0/auditLogs/directoryAudits",
                                   filter: "activityDateTime ge 2026-10-21T00:00:00Z and (initiatedBy/user/id eq '\(Self.bg01)' or targetResources/any(t: t/id eq 'b9000001-0000-4000-8000-000000000002'))")
        #expect(Set(audits.items.compactMap { $0["id"] as? String }) == ["audit-1", "audit-2"])
        let older = try await get(emulator, "/v1.0/auditLogs/directoryAudits", filter: "activityDateTime le 2026-10-20T23:59:59Z")
        #expect(older.items.compactMap { $0["id"] as? String } == ["audit-3"])
        #expect(try await get(emulator, "/v1.0/auditLogs/directoryAudits", filter: "startswith(activityDisplayName,'x')").status == 400)
    }

    @Test("A timeline file that is not one is a clear error")
    func badTimeline() {
        #expect(throws: EmulatorError.self) { try EmulatorTimeline(json: Data("[]".utf8)) }
        #expect(throws: EmulatorError.self) { try EmulatorTimeline(json: Data(#"{"events":[{"at":1}]}"#.utf8)) }
    }
}

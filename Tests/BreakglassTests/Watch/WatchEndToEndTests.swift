import Foundation
import GraphEmulator
import Testing
import Watch

@Suite("Watch end to end over loopback: emulated sign-in → incident → signed notification → rotation → resolve")
struct WatchEndToEndTests {
    @Test("A sign-in opens an incident notified by the first poll after it appears; it closes on the password change and PagerDuty gets resolve",
          arguments: TestStores.kinds)
    func signInToResolve(kind: String) async throws {
        let clock = ManualClock()
        let options = EmulatorOptions(timeline: WatchFixture.useThenRotation(), now: clock.read)
        let store = try await TestStores.make(kind)
        let receiver = Recorder()
        try await InProcessEmulator.with(Fixture.url("good"), options: options) { emulator in
            try await Recorder.with(receiver) { hooks in
                try await WatchHarness.with(store: store, emulator: emulator, receiver: hooks, clock: clock) { watch in
                    // Quiet at first: the fixture's old sign-ins are before the first poll's look-back.
                    try await eventually("a first successful poll") {
                        try await store.tenantStatuses().first?.lastPollSucceeded == true
                    }
                    #expect(try await store.incidents(tenant: nil, activeOnly: false, limit: 10).isEmpty)

                    clock.advance(10)  // the sign-in is in Graph's log now
                    let roundsAtSignIn = watch.roundsStarted
                    try await receiver.wait { received in
                        received.contains { $0.path == "/webhook" } && received.contains { $0.path == "/pagerduty" }
                    }
                    // The round running when it appeared may have read the log before it; the next one cannot miss it.
                    #expect(watch.roundsStarted <= roundsAtSignIn + 2)

                    let webhook = try #require(await receiver.requests(to: "/webhook").first)
                    #expect(verifyStandardWebhook(webhook, secret: WatchHarness.webhookSecret))
                    #expect(webhook.json["type"] as? String == "incident.opened")
                    let incidentID = try #require(((webhook.json["data"] as? [String: Any])?["incident"] as? [String: Any])?["id"] as? String)
                    let trigger = try #require(await receiver.requests(to: "/pagerduty").first).json
                    #expect(trigger["event_action"] as? String == "trigger")
                    #expect(trigger["dedup_key"] as? String == "breakglass-\(incidentID)")
                    #expect(trigger["routing_key"] as? String == WatchHarness.routingKey)

                    // It stays open while the password is unchanged, poll after poll.
                    let rounds = watch.roundsStarted
                    try await eventually("three more polls") { watch.roundsStarted >= rounds + 3 }
                    #expect(try await store.incident(id: incidentID)?.state == .open)

                    clock.advance(10)  // the password reset appears (audit and lastPasswordChangeDateTime)
                    try await receiver.wait { received in
                        received.contains { $0.path == "/pagerduty" && $0.json["event_action"] as? String == "resolve" }
                    }
                    let resolve = try #require(await receiver.requests(to: "/pagerduty").last).json
                    #expect(resolve["dedup_key"] as? String == "breakglass-\(incidentID)")
                    let closed = try #require(try await store.incident(id: incidentID))
                    #expect(closed.state == .closed)
                    #expect(closed.closedBecause?.contains("after the last successful sign-in") == true)
                    try await receiver.wait { $0.contains { $0.path == "/webhook" && $0.json["type"] as? String == "incident.closed" } }
                    for request in await receiver.requests(to: "/webhook") {
                        #expect(verifyStandardWebhook(request, secret: WatchHarness.webhookSecret))
                    }
                    let timeline = try await store.timeline(incidentID: incidentID)
                    // The change is its own entry when the poll sees the audit record first; when a poll sees the
                    // user's lastPasswordChangeDateTime first, the closing entry carries it (both are BG060's rule).
                    let kinds = timeline.map(\.kind).filter { $0 != .passwordChange }
                    #expect(kinds == [.opened, .signIn, .closed], "\(timeline.map(\.kind))")
                    #expect(timeline.last?.summary.contains("after the last successful sign-in") == true)
                }
            }
        }
        try await store.close()
    }
}

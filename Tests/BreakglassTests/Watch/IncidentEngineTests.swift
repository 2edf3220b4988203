import Custody
import EntraModel
import Foundation
import Graph
import Monitoring
import Testing
import Watch

/// A notifier that renders the notice as JSON, to see what the outbox holds.
struct EchoNotifier: Notifier {
    let name: String
    func render(_ notice: Notice) throws -> String {
        "{\"event\":\"\(notice.event.rawValue)\",\"incident\":\"\(notice.incident.id)\",\"state\":\"\(notice.incident.state.rawValue)\"}"
    }
    func request(for message: OutboxMessage, now: Date) throws -> GraphRequest {
        GraphRequest(method: "POST", url: URL(fileURLWithPath: "/"), body: Data(message.payload.utf8))
    }
}

@Suite("Incidents: uses, changes, rotation and acknowledgement, on each store")
struct IncidentEngineTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_795_000_000))

    func engine(_ store: any WatchStore, drills: any DrillSource = NoPlannedDrills()) -> IncidentEngine {
        IncidentEngine(store: store, notifiers: [EchoNotifier(name: "echo-1")], drills: drills, now: clock.read)
    }

    @Test("A sign-in opens a use; more sign-ins join it; a record seen twice (overlap) counts once", arguments: TestStores.kinds)
    func signInsJoinOneUse(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let engine = engine(store)
        let t0 = clock.now.addingTimeInterval(-600)
        let first = try WatchFixture.events([WatchFixture.signIn(id: "s1", at: t0)])
        let outcome = try await engine.record(first, tenant: WatchFixture.tenant, passwordChanges: [:])
        #expect(outcome.opened.count == 1)
        // The next poll overlaps: s1 again, plus s2 (non-interactive) and a failed attempt.
        let second = try WatchFixture.events([
            WatchFixture.signIn(id: "s1", at: t0),
            WatchFixture.signIn(id: "s2", at: t0.addingTimeInterval(60), interactive: false),
            WatchFixture.signIn(id: "s3", at: t0.addingTimeInterval(90), errorCode: 50126),
        ])
        let again = try await engine.record(second, tenant: WatchFixture.tenant, passwordChanges: [:])
        #expect(again.duplicates == 1)
        #expect(again.opened.isEmpty)
        let incidents = try await store.incidents(tenant: WatchFixture.tenant.id, activeOnly: true, limit: 10)
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(incident.kind == .signIn && incident.subject == WatchFixture.bg01 && incident.state == .open)
        #expect(incident.lastUseAt == t0.addingTimeInterval(60))
        let timeline = try await store.timeline(incidentID: incident.id)
        #expect(timeline.filter { $0.kind == .signIn }.count == 3)
        #expect(timeline.contains { $0.summary.contains("failed sign-in (50126") })
        // One "opened" then one "updated" notification for the echo notifier.
        let outbox = try await store.outbox(incidentID: incident.id)
        #expect(outbox.map(\.event) == ["incident.opened", "incident.updated"])
        try await store.close()
    }

    @Test("A use closes only when the password changes after its last sign-in (BG060), then notifies in order", arguments: TestStores.kinds)
    func rotationCloses(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let engine = engine(store)
        let used = clock.now.addingTimeInterval(-600)
        try await engine.record(try WatchFixture.events([WatchFixture.signIn(id: "s1", at: used)]),
                                tenant: WatchFixture.tenant, passwordChanges: [:])
        // A change before the sign-in proves nothing.
        let stale = try await engine.closeRotated(tenant: WatchFixture.tenant, passwordChanges: [
            WatchFixture.bg01: PasswordChange(at: used.addingTimeInterval(-3600), source: "lastPasswordChangeDateTime"),
        ])
        #expect(stale.closed.isEmpty)
        // Another account's change neither.
        let other = try await engine.closeRotated(tenant: WatchFixture.tenant, passwordChanges: [
            WatchFixture.bg02: PasswordChange(at: used.addingTimeInterval(60), source: "lastPasswordChangeDateTime"),
        ])
        #expect(other.closed.isEmpty)
        // The audit of a reset after the sign-in closes it, in the same batch that records the reset.
        var reset = WatchFixture.passwordReset(id: "a1")
        reset["activityDateTime"] = GraphDate.format(used.addingTimeInterval(120))
        let audits = try WatchFixture.events([reset], source: "directoryAudits")
        #expect(audits.first?.isPasswordChange == true)
        let closed = try await engine.record(audits, tenant: WatchFixture.tenant, passwordChanges: [
            WatchFixture.bg01: PasswordChange(at: used.addingTimeInterval(120), source: "Reset password (by admin) (directory audit)"),
        ])
        #expect(closed.closed.count == 1)
        let closedID = try #require(closed.closed.first)
        let incident = try #require(try await store.incident(id: closedID))
        #expect(incident.state == .closed)
        #expect(incident.closedBecause?.contains("after the last successful sign-in") == true)
        let outbox = try await store.outbox(incidentID: incident.id)
        #expect(outbox.map(\.event) == ["incident.opened", "incident.closed"])
        // A later sign-in is a new use.
        let next = try await engine.record(try WatchFixture.events([WatchFixture.signIn(id: "s9", at: clock.now)]),
                                           tenant: WatchFixture.tenant, passwordChanges: [:])
        #expect(next.opened.count == 1 && next.opened.first != incident.id)
        try await store.close()
    }

    struct Drill: DrillSource {
        func plannedDrill(tenantID: String, accountID: String, at: Date) async throws -> PlannedDrill? {
            accountID == WatchFixture.bg02 ? PlannedDrill(plannedBy: "carol@fabrikam.com", note: "quarterly drill") : nil
        }
    }

    @Test("A planned drill opens acknowledged (reason drill) and still waits for rotation", arguments: TestStores.kinds)
    func drillOpensAcknowledged(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let engine = engine(store, drills: Drill())
        let outcome = try await engine.record(
            try WatchFixture.events([WatchFixture.signIn(id: "d1", user: WatchFixture.bg02, at: clock.now)]),
            tenant: WatchFixture.tenant, passwordChanges: [:])
        let openedID = try #require(outcome.opened.first)
        let incident = try #require(try await store.incident(id: openedID))
        #expect(incident.state == .acknowledged)
        #expect(incident.reason == .drill && incident.acknowledgedBy == "carol@fabrikam.com")
        #expect(incident.kind.closesOnRotation)
        try await store.close()
    }

    @Test("Acknowledging: who and why; a use stays open, a change closes; twice is a conflict", arguments: TestStores.kinds)
    func acknowledgement(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let engine = engine(store)
        let use = try await engine.record(try WatchFixture.events([WatchFixture.signIn(id: "s1", at: clock.now)]),
                                          tenant: WatchFixture.tenant, passwordChanges: [:])
        let useID = try #require(use.opened.first)
        let acknowledged = try await engine.acknowledge(incidentID: useID, by: "alice@fabrikam.com", reason: .emergency,
                                                        note: "AD FS down", tenant: WatchFixture.tenant)
        #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedBy == "alice@fabrikam.com")
        #expect(acknowledged.reason == .emergency && acknowledged.note == "AD FS down")
        await #expect(throws: IncidentError.alreadyAcknowledged(useID)) {
            try await engine.acknowledge(incidentID: useID, by: "bob", reason: .misuse, note: nil, tenant: WatchFixture.tenant)
        }
        await #expect(throws: IncidentError.notFound("nope")) {
            try await engine.acknowledge(incidentID: "nope", by: "bob", reason: .misuse, note: nil, tenant: WatchFixture.tenant)
        }
        let change = try await engine.record(try WatchFixture.events([
            WatchFixture.audit(id: "m1", activity: "Remove member from role", category: "RoleManagement",
                               target: ["id": WatchFixture.bg01, "type": "User"], at: clock.now),
        ], source: "directoryAudits"), tenant: WatchFixture.tenant, passwordChanges: [:])
        let changeID = try #require(change.opened.first)
        let closed = try await engine.acknowledge(incidentID: changeID, by: "alice@fabrikam.com", reason: .misuse, note: nil,
                                                  tenant: WatchFixture.tenant)
        #expect(closed.state == .closed)
        await #expect(throws: IncidentError.alreadyClosed(changeID)) {
            try await engine.acknowledge(incidentID: changeID, by: "bob", reason: .drill, note: nil, tenant: WatchFixture.tenant)
        }
        #expect(try await store.outbox(incidentID: useID).map(\.event) == ["incident.opened", "incident.acknowledged"])
        #expect(try await store.outbox(incidentID: changeID).map(\.event)
            == ["incident.opened", "incident.acknowledged", "incident.closed"])
        try await store.close()
    }

    @Test("Changes to the accounts and their protection raise incidents of their own kind (the export's detections)",
          arguments: TestStores.kinds)
    func changesRaiseTheirOwn(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let engine = engine(store)
        let bg01: [String: Any] = ["id": WatchFixture.bg01, "type": "User", "userPrincipalName": "bg-01@fabrikam.onmicrosoft.com"]
        let items: [[String: Any]] = [
            WatchFixture.audit(id: "c1", activity: "User registered security info", category: "UserManagement", target: bg01),
            WatchFixture.audit(id: "c2", activity: "Remove member from role", category: "RoleManagement", target: bg01),
            WatchFixture.audit(id: "c3", activity: "Update user", category: "UserManagement", target: bg01,
                               modified: ["AccountEnabled"]),
            WatchFixture.audit(id: "c4", activity: "Add member to group", category: "GroupManagement",
                               target: ["id": WatchFixture.group, "type": "Group", "displayName": "Emergency access exclusion"]),
            WatchFixture.audit(id: "c5", activity: "Update conditional access policy", category: "Policy",
                               target: ["id": "p1", "type": "Policy", "displayName": "CA001 Require MFA",
                                        "modifiedProperties": [["displayName": "ConditionalAccessPolicy",
                                                                "oldValue": "excludeUsers: \(WatchFixture.bg01)", "newValue": "[]"]]]),
            // Not an incident: a display name edited.
            WatchFixture.audit(id: "c6", activity: "Update user", category: "UserManagement", target: bg01,
                               modified: ["DisplayName"]),
        ].map { item in
            var item = item
            item["activityDateTime"] = GraphDate.format(clock.now)
            return item
        }
        let events = try WatchFixture.events(items, source: "directoryAudits")
        #expect(events.count == 6)
        try await engine.record(events, tenant: WatchFixture.tenant, passwordChanges: [:])
        let kinds = Set(try await store.incidents(tenant: WatchFixture.tenant.id, activeOnly: true, limit: 20).map(\.kind))
        #expect(kinds == [.credentialChange, .membershipChange, .accountDisabledOrDeleted, .exclusionGroupChange, .policyChange])
        try await store.close()
    }

    @Test("An Azure Monitor alert opens a use for the account its dimension names, or for every account", arguments: TestStores.kinds)
    func alertsOpenUses(kind: String) async throws {
        let store = try await TestStores.make(kind)
        let engine = engine(store)
        let named = try AzureMonitorAlert(json: AlertSamples.logAlert(id: "a-1", dimensions: [("AccountObjectId", WatchFixture.bg02)]))
        let anonymous = try AzureMonitorAlert(json: AlertSamples.logAlert(id: "a-2", dimensions: []))
        let outcome = try await engine.record(alerts: [named, anonymous, named], tenant: WatchFixture.tenant)
        #expect(outcome.opened.count == 2 && outcome.duplicates == 1)
        let incidents = try await store.incidents(tenant: WatchFixture.tenant.id, activeOnly: true, limit: 10)
        #expect(Set(incidents.map(\.subject)) == [WatchFixture.bg02, "*"])
        // The anonymous use closes only once both accounts' passwords changed after the alert window.
        // The alert window ended 2026-11-20T02:17:00Z: changes after it rotate.
        let after = try #require(GraphDate.parse("2026-11-20T03:00:00Z"))
        let one = try await engine.closeRotated(tenant: WatchFixture.tenant, passwordChanges: [
            WatchFixture.bg02: PasswordChange(at: after, source: "test"),
        ])
        #expect(one.closed.count == 1)
        let both = try await engine.closeRotated(tenant: WatchFixture.tenant, passwordChanges: [
            WatchFixture.bg01: PasswordChange(at: after, source: "test"), WatchFixture.bg02: PasswordChange(at: after, source: "test"),
        ])
        #expect(both.closed.count == 1)
        try await store.close()
    }
}

/// Common alert schema payloads shaped like Learn's "Sample alert payloads" (Log Alerts V2) with the custom
/// properties `breakglass export arm` puts on its rules.
enum AlertSamples {
    static func logAlert(id: String, condition: String = "Fired", rule: String = "breakglass-signin",
                         tenant: String = WatchFixture.tenantID, dimensions: [(String, String)]) -> Data {
        let body: [String: Any] = [
            "schemaId": "azureMonitorCommonAlertSchema",
            "data": [
                "essentials": [
                    "alertId": "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.AlertsManagement/alerts/\(id)",
                    "alertRule": rule, "severity": "Sev0", "signalType": "Log", "monitorCondition": condition,
                    "monitoringService": "Log Alerts V2", "firedDateTime": "2026-11-20T02:17:41.512Z",
                    "essentialsVersion": "1.0", "alertContextVersion": "1.0",
                ],
                "alertContext": [
                    "properties": ["breakglass.detection": "signin", "breakglass.tenant": tenant],
                    "conditionType": "LogQueryCriteria",
                    "condition": [
                        "windowSize": "PT5M",
                        "allOf": [[
                            "searchQuery": "union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs", "operator": "GreaterThan",
                            "threshold": "0", "timeAggregation": "Count", "metricValue": 1.0,
                            "dimensions": dimensions.map { ["name": $0.0, "value": $0.1] },
                        ] as [String: Any]],
                        "windowStartTime": "2026-11-20T02:12:00Z", "windowEndTime": "2026-11-20T02:17:00Z",
                    ] as [String: Any],
                ] as [String: Any],
                "customProperties": ["breakglass.detection": "signin", "breakglass.tenant": tenant],
            ] as [String: Any],
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }
}

import EntraModel
import Foundation
import Graph
import Logging
import Monitoring

/// What one poll of a tenant read and did.
public struct PollReport: Sendable {
    public var tenantID: String
    public var signIns = 0
    public var audits = 0
    public var outcome = RecordOutcome()
    /// Sign-in logs could not be read (no Entra ID P1, or no permission): why.
    public var signInLogsUnavailable: String?
}

/// Polls one tenant's sign-in and directory-audit logs for its emergency accounts and exclusion groups through the
/// Graph client (authentication, paging, Retry-After and typed errors are the client's), incrementally by time
/// with an overlap window; records are deduplicated by id in the store, so the overlap never doubles anything.
public struct TenantPoller: Sendable {
    public let tenant: WatchedTenant
    let client: GraphClient
    let engine: IncidentEngine
    /// Records may reach Graph's logs minutes after they happened: each poll reads again this far behind its cursor.
    let overlap: TimeInterval
    /// How far back the first poll of a tenant reads.
    let initialLookback: TimeInterval
    let now: @Sendable () -> Date
    let logger: Logger

    public init(tenant: WatchedTenant, client: GraphClient, engine: IncidentEngine, overlap: TimeInterval = 1800,
                initialLookback: TimeInterval = 86_400, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "breakglass.watch.poller")) {
        self.tenant = tenant
        self.client = client
        self.engine = engine
        self.overlap = overlap
        self.initialLookback = initialLookback
        self.now = now
        self.logger = logger
    }

    var store: any WatchStore { engine.store }

    static let signInStream = "sign-ins"
    static let auditStream = "directory-audits"
    static let userSelect = ["id", "userPrincipalName", "displayName", "accountEnabled", "lastPasswordChangeDateTime"]

    /// `2026-11-20T09:00:00Z`, as `$filter` takes a DateTimeOffset (unquoted).
    static func literal(_ date: Date) -> String { GraphDate.format(date) }

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    public func poll() async throws -> PollReport {
        let started = now()
        var report = PollReport(tenantID: tenant.id)
        let reader = GraphLogReader(targets: tenant.targets)
        let ids = tenant.accounts.compactMap(\.objectID)

        // Sign-ins: v1.0 lists interactive sign-ins only; non-interactive ones come from beta with the
        // signInEventTypes filter (Learn, "signIn resource type" (beta): "This API returns only interactive sign-ins
        // unless you set an explicit filter … signInEventTypes/any(t: t eq 'nonInteractiveUser')"). createdDateTime
        // supports ge and userId eq (Learn, "signIn resource type" v1.0).
        let signInCursor = try await store.cursor(tenant: tenant.id, stream: Self.signInStream)
        let signInSince = (signInCursor ?? started.addingTimeInterval(-initialLookback)).addingTimeInterval(-overlap)
        var events: [Monitoring.LogEvent] = []
        if !ids.isEmpty {
            let users = "(" + ids.map { "userId eq \(Self.quoted($0))" }.joined(separator: " or ") + ")"
            let since = "createdDateTime ge \(Self.literal(signInSince))"
            do {
                let interactive = try await client.list(
                    "/auditLogs/signIns", query: GraphQuery(filter: "\(since) and \(users)", top: 999))
                let nonInteractive = try await client.list(
                    "/auditLogs/signIns", version: "beta",
                    query: GraphQuery(filter: "\(since) and signInEventTypes/any(t: t eq 'nonInteractiveUser') and \(users)", top: 999))
                let read = try reader.events(page: interactive, source: "signIns")
                    + reader.events(page: nonInteractive, source: "signIns (beta, non-interactive)")
                report.signIns = read.count
                events += read
            } catch let error as GraphError {
                // Without Entra ID P1 Graph refuses sign-in logs (graph.md §1): say so and rely on the webhook.
                guard let refusal = SnapshotCapture.refusal(error), refusal.status != "error" else { throw error }
                report.signInLogsUnavailable = refusal.status == "notLicensed"
                    ? "not licensed: sign-in logs need Entra ID P1; sign-ins arrive only through the Azure Monitor webhook"
                    : "forbidden: the app needs AuditLog.Read.All; sign-ins arrive only through the Azure Monitor webhook"
            }
        }

        // Directory audits: what the accounts did, what was done to them or to the exclusion groups, and
        // Conditional Access policy changes (activityDateTime ge, initiatedBy/user/id eq, loggedByService eq:
        // Learn, "directoryAudit resource type").
        let auditCursor = try await store.cursor(tenant: tenant.id, stream: Self.auditStream)
        let auditSince = (auditCursor ?? started.addingTimeInterval(-initialLookback)).addingTimeInterval(-overlap)
        let filters = ids.map { "initiatedBy/user/id eq \(Self.quoted($0))" }
            + (ids + tenant.groups.map(\.id)).map { "targetResources/any(t: t/id eq \(Self.quoted($0)))" }
            + ["loggedByService eq 'Conditional Access'"]
        var audits: [Monitoring.LogEvent] = []
        for filter in filters {
            let page = try await client.list(
                "/auditLogs/directoryAudits",
                query: GraphQuery(filter: "activityDateTime ge \(Self.literal(auditSince)) and \(filter)", top: 999))
            audits += try reader.events(page: page, source: "directoryAudits")
        }
        var seen = Set<String>()
        audits = audits.filter { seen.insert(IncidentEngine.key($0)).inserted }
        report.audits = audits.count
        events += audits
        events.sort { ($0.time, IncidentEngine.key($0)) < ($1.time, IncidentEngine.key($1)) }

        let changes = try await passwordChanges(audits: audits, signIns: events.filter { $0.kind == .signIn })
        report.outcome = try await engine.record(events, tenant: tenant, passwordChanges: changes)

        try await store.setCursor(started, tenant: tenant.id, stream: Self.signInStream)
        try await store.setCursor(started, tenant: tenant.id, stream: Self.auditStream)
        return report
    }

    /// The newest password change known per account: the user's `lastPasswordChangeDateTime`, a rotation in the
    /// audits, or what an earlier poll saved. Saves what is known about each account for the page.
    func passwordChanges(audits: [Monitoring.LogEvent], signIns: [Monitoring.LogEvent]) async throws -> [String: PasswordChange] {
        var known: [String: AccountState] = [:]
        for state in try await store.accounts(tenant: tenant.id) { known[state.accountID] = state }
        var changes: [String: PasswordChange] = [:]
        for account in tenant.accounts {
            guard let id = account.objectID else { continue }
            var state = known[id] ?? AccountState(tenantID: tenant.id, accountID: id, name: account.label)
            var candidates: [PasswordChange] = []
            if let saved = state.lastPasswordChangeAt { candidates.append(PasswordChange(at: saved, source: "an earlier poll")) }
            let body = try await client.object("/users/\(id)", query: GraphQuery(select: Self.userSelect))
            if let user = try? JSONDecoder.graph().decode(User.self, from: body) {
                state.name = user.userPrincipalName ?? state.name
                state.accountEnabled = user.accountEnabled
                if let changed = user.lastPasswordChangeDateTime {
                    candidates.append(PasswordChange(at: changed, source: "the user's lastPasswordChangeDateTime"))
                }
            }
            for event in audits where event.accountID == id && event.isPasswordChange == true {
                candidates.append(PasswordChange(at: event.time, source: "\(event.activity ?? "password change") (directory audit)"))
            }
            if let newest = candidates.max(by: { $0.at < $1.at }) {
                changes[id] = newest
                state.lastPasswordChangeAt = newest.at
            }
            let lastSignIn = signIns.filter { $0.accountID == id && $0.succeeded == true }.map(\.time).max()
            if let lastSignIn { state.lastSignInAt = max(state.lastSignInAt ?? lastSignIn, lastSignIn) }
            if state != known[id] { try await store.saveAccount(state) }
        }
        return changes
    }
}

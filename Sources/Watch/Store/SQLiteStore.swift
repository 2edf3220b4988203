import Foundation
import GRDB

/// The embedded store: one SQLite file (WAL), zero set-up. One replica: its poller lease is always held.
public final class SQLiteStore: WatchStore {
    public let backend = "sqlite"
    let database: any DatabaseWriter

    /// A file (created if missing), or in memory when `path` is nil (tests).
    public init(path: String?) throws {
        do {
            if let path {
                var configuration = Configuration()
                configuration.busyMode = .timeout(10)
                configuration.prepareDatabase { db in
                    // WAL with NORMAL sync survives a crash of the process (kill -9): only a power loss can lose the
                    // last transactions.
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
                database = try DatabasePool(path: path, configuration: configuration)
            } else {
                database = try DatabaseQueue()
            }
        } catch {
            throw WatchStoreError.unreachable("cannot open the SQLite database \(path ?? ":memory:"): \(error)")
        }
    }

    public func migrate() async throws {
        var migrator = DatabaseMigrator()
        for migration in WatchSchema.migrations {
            migrator.registerMigration(migration.name) { db in
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        try migrator.migrate(database)
        try await database.write { db in
            // One process serves a SQLite file: claims left by a process that died mid-delivery are released now
            // rather than when their lease would end.
            try db.execute(sql: "UPDATE watch_outbox SET claimed_by = NULL, claimed_until = NULL WHERE delivered_at IS NULL")
        }
    }

    public func ping() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        if let pool = database as? DatabasePool { try pool.close() }
    }

    // MARK: Incidents

    public func update<T: Sendable>(tenant: String, keys: [String], _ body: @Sendable (inout IncidentBook) throws -> T)
        async throws -> T {
        try await database.write { db in
            let incidents = try Row.fetchAll(
                db, sql: "SELECT * FROM watch_incidents WHERE tenant_id = ? AND state <> 'closed' ORDER BY opened_at, id",
                arguments: [tenant]
            ).map(Self.incident)
            var seen = Set<String>()
            for chunk in keys.chunked(500) where !chunk.isEmpty {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let found = try String.fetchAll(
                    db, sql: "SELECT record_key FROM watch_seen WHERE tenant_id = ? AND record_key IN (\(marks))",
                    arguments: StatementArguments([tenant] + chunk))
                seen.formUnion(found)
            }
            var book = IncidentBook(tenantID: tenant, incidents: incidents, alreadySeen: seen)
            let result = try body(&book)
            try Self.write(book, db: db)
            return result
        }
    }

    static func write(_ book: IncidentBook, db: Database) throws {
        let now = StoreTime.millis(Date())
        let seen = try db.cachedStatement(
            sql: "INSERT INTO watch_seen (tenant_id, record_key, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        for key in book.newlySeen { try seen.execute(arguments: [book.tenantID, key, now]) }
        for incident in book.changed.values.sorted(by: { $0.id < $1.id }) {
            try db.execute(sql: """
                INSERT INTO watch_incidents (id, tenant_id, kind, subject, subject_name, state, opened_at, updated_at,
                    last_use_at, acknowledged_at, acknowledged_by, reason, note, closed_at, closed_because, summary, event_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
                    subject_name = excluded.subject_name, last_use_at = excluded.last_use_at,
                    acknowledged_at = excluded.acknowledged_at, acknowledged_by = excluded.acknowledged_by,
                    reason = excluded.reason, note = excluded.note, closed_at = excluded.closed_at,
                    closed_because = excluded.closed_because, summary = excluded.summary, event_count = excluded.event_count
                """, arguments: StatementArguments(Self.arguments(incident)))
        }
        let events = try db.cachedStatement(
            sql: "INSERT INTO watch_incident_events (id, incident_id, at, kind, summary, detail) VALUES (?, ?, ?, ?, ?, ?)")
        for event in book.events {
            try events.execute(arguments: [event.id, event.incidentID, StoreTime.millis(event.at), event.kind.rawValue,
                                           event.summary, event.detail])
        }
        let outbox = try db.cachedStatement(sql: """
            INSERT INTO watch_outbox (id, tenant_id, incident_id, notifier, event, payload, created_at, attempts,
                next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
            """)
        for message in book.outbox {
            try outbox.execute(arguments: [message.id, message.tenantID, message.incidentID, message.notifier, message.event,
                                           message.payload, StoreTime.millis(message.createdAt),
                                           StoreTime.millis(message.nextAttemptAt)])
        }
    }

    static func arguments(_ incident: Incident) -> [(any DatabaseValueConvertible)?] {
        [incident.id, incident.tenantID, incident.kind.rawValue, incident.subject, incident.subjectName,
         incident.state.rawValue, StoreTime.millis(incident.openedAt), StoreTime.millis(incident.updatedAt),
         incident.lastUseAt.map(StoreTime.millis), incident.acknowledgedAt.map(StoreTime.millis), incident.acknowledgedBy,
         incident.reason?.rawValue, incident.note, incident.closedAt.map(StoreTime.millis), incident.closedBecause,
         incident.summary, Int64(incident.eventCount)]
    }

    static func incident(_ row: Row) -> Incident {
        var incident = Incident(
            id: row["id"], tenantID: row["tenant_id"], kind: IncidentKind(rawValue: row["kind"]) ?? .signIn,
            subject: row["subject"], subjectName: row["subject_name"], openedAt: StoreTime.date(row["opened_at"] as Int64),
            summary: row["summary"])
        incident.state = IncidentState(rawValue: row["state"]) ?? .open
        incident.updatedAt = StoreTime.date(row["updated_at"] as Int64)
        incident.lastUseAt = StoreTime.date(row["last_use_at"] as Int64?)
        incident.acknowledgedAt = StoreTime.date(row["acknowledged_at"] as Int64?)
        incident.acknowledgedBy = row["acknowledged_by"]
        incident.reason = (row["reason"] as String?).flatMap(AcknowledgementReason.init(rawValue:))
        incident.note = row["note"]
        incident.closedAt = StoreTime.date(row["closed_at"] as Int64?)
        incident.closedBecause = row["closed_because"]
        incident.eventCount = Int(row["event_count"] as Int64)
        return incident
    }

    public func incidents(tenant: String?, activeOnly: Bool, limit: Int) async throws -> [Incident] {
        try await database.read { db in
            var clauses: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let tenant {
                clauses.append("tenant_id = ?")
                arguments.append(tenant)
            }
            if activeOnly { clauses.append("state <> 'closed'") }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments.append(limit)
            return try Row.fetchAll(db, sql: "SELECT * FROM watch_incidents \(filter) ORDER BY opened_at DESC, id DESC LIMIT ?",
                                    arguments: StatementArguments(arguments)).map(Self.incident)
        }
    }

    public func incident(id: String) async throws -> Incident? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM watch_incidents WHERE id = ?", arguments: [id]).map(Self.incident)
        }
    }

    public func timeline(incidentID: String) async throws -> [IncidentEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch_incident_events WHERE incident_id = ? ORDER BY at, id",
                             arguments: [incidentID]).map { row in
                IncidentEvent(id: row["id"], incidentID: row["incident_id"], at: StoreTime.date(row["at"] as Int64),
                              kind: IncidentEvent.Kind(rawValue: row["kind"]) ?? .change, summary: row["summary"],
                              detail: row["detail"])
            }
        }
    }

    public func incidentCounts() async throws -> [IncidentState: Int] {
        try await database.read { db in
            var counts: [IncidentState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM watch_incidents GROUP BY state") {
                if let state = IncidentState(rawValue: row["state"]) { counts[state] = Int(row["n"] as Int64) }
            }
            return counts
        }
    }

    // MARK: Polling state

    public func cursor(tenant: String, stream: String) async throws -> Date? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT cursor_at FROM watch_cursors WHERE tenant_id = ? AND stream = ?",
                               arguments: [tenant, stream]).map(StoreTime.date)
        }
    }

    public func setCursor(_ date: Date, tenant: String, stream: String) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO watch_cursors (tenant_id, stream, cursor_at) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id, stream) DO UPDATE SET cursor_at = MAX(watch_cursors.cursor_at, excluded.cursor_at)
                """, arguments: [tenant, stream, StoreTime.millis(date)])
        }
    }

    public func accounts(tenant: String) async throws -> [AccountState] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch_accounts WHERE tenant_id = ? ORDER BY name", arguments: [tenant])
                .map { row in
                    AccountState(tenantID: row["tenant_id"], accountID: row["account_id"], name: row["name"],
                                 lastPasswordChangeAt: StoreTime.date(row["last_password_change_at"] as Int64?),
                                 lastSignInAt: StoreTime.date(row["last_sign_in_at"] as Int64?),
                                 lastDrillAt: StoreTime.date(row["last_drill_at"] as Int64?),
                                 accountEnabled: (row["account_enabled"] as Int64?).map { $0 != 0 })
                }
        }
    }

    public func saveAccount(_ state: AccountState) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO watch_accounts (tenant_id, account_id, name, last_password_change_at, last_sign_in_at,
                    last_drill_at, account_enabled) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, account_id) DO UPDATE SET name = excluded.name,
                    last_password_change_at = excluded.last_password_change_at, last_sign_in_at = excluded.last_sign_in_at,
                    last_drill_at = excluded.last_drill_at, account_enabled = excluded.account_enabled
                """, arguments: [state.tenantID, state.accountID, state.name,
                                 state.lastPasswordChangeAt.map(StoreTime.millis), state.lastSignInAt.map(StoreTime.millis),
                                 state.lastDrillAt.map(StoreTime.millis), state.accountEnabled.map { $0 ? 1 : 0 }])
        }
    }

    public func tenantStatuses() async throws -> [TenantStatus] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch_tenants ORDER BY name").map { row in
                TenantStatus(tenantID: row["tenant_id"], name: row["name"],
                             lastPollAt: StoreTime.date(row["last_poll_at"] as Int64?),
                             lastPollSucceeded: (row["last_poll_ok"] as Int64) != 0, lastError: row["last_error"],
                             signInLogs: row["sign_in_logs"], lagSeconds: row["lag_seconds"])
            }
        }
    }

    public func saveTenantStatus(_ status: TenantStatus) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO watch_tenants (tenant_id, name, last_poll_at, last_poll_ok, last_error, sign_in_logs, lag_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, last_poll_at = excluded.last_poll_at,
                    last_poll_ok = excluded.last_poll_ok, last_error = excluded.last_error,
                    sign_in_logs = excluded.sign_in_logs, lag_seconds = excluded.lag_seconds
                """, arguments: [status.tenantID, status.name, status.lastPollAt.map(StoreTime.millis),
                                 status.lastPollSucceeded ? 1 : 0, status.lastError, status.signInLogs, status.lagSeconds])
        }
    }

    public func posture(tenant: String) async throws -> (auditedAt: Date, body: String)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT audited_at, body FROM watch_posture WHERE tenant_id = ?", arguments: [tenant])
                .map { (StoreTime.date($0["audited_at"] as Int64), $0["body"] as String) }
        }
    }

    public func savePosture(tenant: String, auditedAt: Date, body: String) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO watch_posture (tenant_id, audited_at, body) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET audited_at = excluded.audited_at, body = excluded.body
                """, arguments: [tenant, StoreTime.millis(auditedAt), body])
        }
    }

    // MARK: Outbox

    static func message(_ row: Row) -> OutboxMessage {
        var message = OutboxMessage(id: row["id"], tenantID: row["tenant_id"], incidentID: row["incident_id"],
                                    notifier: row["notifier"], event: row["event"], payload: row["payload"],
                                    createdAt: StoreTime.date(row["created_at"] as Int64))
        message.attempts = Int(row["attempts"] as Int64)
        message.nextAttemptAt = StoreTime.date(row["next_attempt_at"] as Int64)
        message.deliveredAt = StoreTime.date(row["delivered_at"] as Int64?)
        message.lastError = row["last_error"]
        return message
    }

    public func claimOutbox(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [OutboxMessage] {
        let nowMillis = StoreTime.millis(now)
        let until = StoreTime.millis(now.addingTimeInterval(lease))
        return try await database.write { db in
            // The oldest undelivered message of each incident and notifier goes first: PagerDuty's resolve never
            // overtakes its trigger.
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM watch_outbox o
                WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until < ?)
                  AND NOT EXISTS (SELECT 1 FROM watch_outbox p WHERE p.incident_id = o.incident_id
                      AND p.notifier = o.notifier AND p.delivered_at IS NULL
                      AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id)))
                ORDER BY o.created_at, o.id LIMIT ?
                """, arguments: [nowMillis, nowMillis, limit])
            for row in rows {
                try db.execute(sql: "UPDATE watch_outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 WHERE id = ?",
                               arguments: [owner, until, row["id"] as String])
            }
            return rows.map { row in
                var message = Self.message(row)
                message.attempts += 1
                return message
            }
        }
    }

    public func outboxDelivered(id: String, at: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE watch_outbox SET delivered_at = ?, claimed_until = NULL, last_error = NULL WHERE id = ?",
                           arguments: [StoreTime.millis(at), id])
        }
    }

    public func outboxFailed(id: String, error: String, retryAt: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE watch_outbox SET next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?",
                           arguments: [StoreTime.millis(retryAt), error, id])
        }
    }

    public func outboxSummary() async throws -> OutboxSummary {
        try await database.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT SUM(CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END) AS pending,
                       SUM(CASE WHEN delivered_at IS NULL AND last_error IS NOT NULL THEN 1 ELSE 0 END) AS failing,
                       SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered
                FROM watch_outbox
                """)
            return OutboxSummary(pending: Int(row?["pending"] as Int64? ?? 0), failing: Int(row?["failing"] as Int64? ?? 0),
                                 delivered: Int(row?["delivered"] as Int64? ?? 0))
        }
    }

    public func outbox(incidentID: String) async throws -> [OutboxMessage] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch_outbox WHERE incident_id = ? ORDER BY created_at, id",
                             arguments: [incidentID]).map(Self.message)
        }
    }

    // MARK: Alerts

    public func insertAlerts(_ alerts: [ReceivedAlert]) async throws -> Int {
        try await database.write { db in
            var inserted = 0
            let statement = try db.cachedStatement(
                sql: "INSERT INTO watch_alerts (id, received_at, payload) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            for alert in alerts {
                try statement.execute(arguments: [alert.id, StoreTime.millis(alert.receivedAt), alert.payload])
                inserted += db.changesCount
            }
            return inserted
        }
    }

    public func pendingAlerts(limit: Int) async throws -> [ReceivedAlert] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch_alerts WHERE processed_at IS NULL ORDER BY received_at, id LIMIT ?",
                             arguments: [limit]).map { row in
                ReceivedAlert(id: row["id"], receivedAt: StoreTime.date(row["received_at"] as Int64), payload: row["payload"])
            }
        }
    }

    public func markAlertsProcessed(_ ids: [String], at: Date) async throws {
        try await database.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE watch_alerts SET processed_at = ? WHERE id = ?")
            for id in ids { try statement.execute(arguments: [StoreTime.millis(at), id]) }
        }
    }

    public func alertCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_alerts") ?? 0 }
    }

    public func makePollerLease() -> any PollerLease { SoleReplicaLease() }
}

/// SQLite serves one replica, which always polls.
struct SoleReplicaLease: PollerLease {
    func acquire() async -> Bool { true }
    func isHeld() async -> Bool { true }
    func release() async {}
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

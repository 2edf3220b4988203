import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The shared store for several replicas: PostgreSQL through PostgresNIO. Updates of one tenant are serialised with
/// a transaction-scoped advisory lock; polling is one replica at a time with a session advisory lock held on a
/// dedicated connection, which PostgreSQL releases when that connection dies.
public final class PostgresStore: WatchStore {
    public let backend = "postgres"
    let client: PostgresClient
    let configuration: PostgresClient.Configuration
    let logger: Logger
    let usesTLS: Bool
    /// `schema=` of the URL: the store's tables live there (several deployments in one database).
    let schema: String?
    let pollerLock: Int64
    /// `run()` of the connection pool, until `close()`.
    let runner: Task<Void, Never>

    /// `postgres://user:password@host:port/database[?sslmode=disable|require][&schema=NAME]`. TLS is required except
    /// to a loopback host, so the password never crosses a network in clear.
    public init(url: String, logger: Logger = Logger(label: "breakglass.watch.postgres")) throws {
        (configuration, usesTLS, schema) = try Self.configuration(url)
        pollerLock = Self.pollerLockBase ^ Int64(bitPattern: Self.fnv1a(schema ?? "") & 0x0000_0000_ffff_ffff)
        self.logger = logger
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runner = Task { await client.run() }
    }

    static func configuration(_ text: String) throws -> (PostgresClient.Configuration, usesTLS: Bool, schema: String?) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw WatchStoreError.badDatabaseURL("expected postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw WatchStoreError.badDatabaseURL("the URL names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw WatchStoreError.badDatabaseURL("the URL names no user")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else { throw WatchStoreError.badDatabaseURL("the URL names no database") }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? ""
        let isLoopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        let tls: PostgresClient.Configuration.TLS
        var usesTLS = false
        switch mode {
        case "disable":
            guard isLoopback else {
                throw WatchStoreError.badDatabaseURL("sslmode=disable is accepted only for a loopback host: the password would cross the network in clear")
            }
            tls = .disable
        case "", "prefer", "require", "verify-ca", "verify-full":
            usesTLS = !(isLoopback && (mode.isEmpty || mode == "prefer"))
            tls = usesTLS ? .require(.makeClientConfiguration()) : .disable
        default:
            throw WatchStoreError.badDatabaseURL("sslmode '\(mode)': use disable (loopback only) or require")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.password?.removingPercentEncoding, database: database, tls: tls)
        configuration.options.maximumConnections = 8
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        if let schema {
            guard !schema.isEmpty, schema.count <= 63,
                  schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                  schema.first?.isNumber == false else {
                throw WatchStoreError.badDatabaseURL("schema '\(schema)': letters, digits and _ only")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return (configuration, usesTLS, schema)
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    func execute(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
        try await connection.query(query, logger: logger)
    }

    public func migrate() async throws {
        try await run {
            try await self.client.withConnection { connection in
                // Replicas starting together migrate one after the other.
                try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: self.logger)
                do {
                    if let schema = self.schema {
                        try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"),
                                                   logger: self.logger)
                    }
                    try await connection.query(
                        "CREATE TABLE IF NOT EXISTS watch_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                        logger: self.logger)
                    var applied = Set<String>()
                    for try await name in try await connection.query("SELECT name FROM watch_migrations", logger: self.logger)
                        .decode(String.self) {
                        applied.insert(name)
                    }
                    for migration in WatchSchema.migrations where !applied.contains(migration.name) {
                        try await connection.withTransaction(logger: self.logger) { connection in
                            for statement in migration.statements {
                                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                            }
                            try await connection.query(
                                "INSERT INTO watch_migrations (name, applied_at) VALUES (\(migration.name), \(StoreTime.millis(Date())))",
                                logger: self.logger)
                        }
                    }
                    try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: self.logger)
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: self.logger)
                    throw error
                }
            }
        }
    }

    static let migrationLock: Int64 = 0x6272_6b67_6d69_6772  // "brkgmigr"
    static let pollerLockBase: Int64 = 0x6272_6b67_706f_6c6c  // "brkgpoll"

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    public func ping() async throws {
        try await run { try await self.client.query("SELECT 1", logger: self.logger) }
    }

    /// Runs `body`, turning PostgresNIO's errors into WatchStoreError with the server's message (never the password).
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresTransactionError {
            // The caller's own error (IncidentError, say) comes back as it was thrown.
            if let closure = error.closureError {
                if let database = closure as? PSQLError { throw Self.translate(database) }
                throw closure
            }
            throw Self.translate(error.beginError ?? error.commitError ?? error.rollbackError)
        } catch let error as PSQLError {
            throw Self.translate(error)
        } catch let error as WatchStoreError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw WatchStoreError.failed(String(describing: type(of: error)))
        }
    }

    static func translate(_ error: (any Error)?) -> WatchStoreError {
        guard let error = error as? PSQLError else { return .failed("transaction failed") }
        if let message = error.serverInfo?[.message] { return .failed(message) }
        return .unreachable("\(error.code)")
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await run {
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await client.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
            return rows
        }
    }

    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws
        -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    // MARK: Incidents

    public func update<T: Sendable>(tenant: String, keys: [String], _ body: @Sendable (inout IncidentBook) throws -> T)
        async throws -> T {
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("breakglass:\(self.schema ?? ""):" + tenant)))",
                                           logger: self.logger)
                let incidents = try await Self.rows(
                    "SELECT * FROM watch_incidents WHERE tenant_id = \(tenant) AND state <> 'closed' ORDER BY opened_at, id",
                    on: connection, logger: self.logger
                ).map(Self.incident)
                var seen = Set<String>()
                if !keys.isEmpty {
                    for row in try await Self.rows(
                        "SELECT record_key FROM watch_seen WHERE tenant_id = \(tenant) AND record_key = ANY(\(keys))",
                        on: connection, logger: self.logger) {
                        seen.insert(try row["record_key"].decode(String.self))
                    }
                }
                var book = IncidentBook(tenantID: tenant, incidents: incidents, alreadySeen: seen)
                let result = try body(&book)
                try await self.write(book, on: connection)
                return result
            }
        }
    }

    func write(_ book: IncidentBook, on connection: PostgresConnection) async throws {
        let now = StoreTime.millis(Date())
        for key in book.newlySeen {
            try await execute("""
                INSERT INTO watch_seen (tenant_id, record_key, seen_at) VALUES (\(book.tenantID), \(key), \(now))
                ON CONFLICT DO NOTHING
                """, on: connection)
        }
        for incident in book.changed.values.sorted(by: { $0.id < $1.id }) {
            try await execute("""
                INSERT INTO watch_incidents (id, tenant_id, kind, subject, subject_name, state, opened_at, updated_at,
                    last_use_at, acknowledged_at, acknowledged_by, reason, note, closed_at, closed_because, summary, event_count)
                VALUES (\(incident.id), \(incident.tenantID), \(incident.kind.rawValue), \(incident.subject),
                    \(incident.subjectName), \(incident.state.rawValue), \(StoreTime.millis(incident.openedAt)),
                    \(StoreTime.millis(incident.updatedAt)), \(incident.lastUseAt.map(StoreTime.millis)),
                    \(incident.acknowledgedAt.map(StoreTime.millis)), \(incident.acknowledgedBy), \(incident.reason?.rawValue),
                    \(incident.note), \(incident.closedAt.map(StoreTime.millis)), \(incident.closedBecause), \(incident.summary),
                    \(Int64(incident.eventCount)))
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
                    subject_name = excluded.subject_name, last_use_at = excluded.last_use_at,
                    acknowledged_at = excluded.acknowledged_at, acknowledged_by = excluded.acknowledged_by,
                    reason = excluded.reason, note = excluded.note, closed_at = excluded.closed_at,
                    closed_because = excluded.closed_because, summary = excluded.summary, event_count = excluded.event_count
                """, on: connection)
        }
        for event in book.events {
            try await execute("""
                INSERT INTO watch_incident_events (id, incident_id, at, kind, summary, detail)
                VALUES (\(event.id), \(event.incidentID), \(StoreTime.millis(event.at)), \(event.kind.rawValue),
                    \(event.summary), \(event.detail))
                """, on: connection)
        }
        for message in book.outbox {
            try await execute("""
                INSERT INTO watch_outbox (id, tenant_id, incident_id, notifier, event, payload, created_at, attempts,
                    next_attempt_at)
                VALUES (\(message.id), \(message.tenantID), \(message.incidentID), \(message.notifier), \(message.event),
                    \(message.payload), \(StoreTime.millis(message.createdAt)), 0, \(StoreTime.millis(message.nextAttemptAt)))
                """, on: connection)
        }
    }

    static func incident(_ row: PostgresRandomAccessRow) throws -> Incident {
        var incident = Incident(
            id: try row["id"].decode(String.self), tenantID: try row["tenant_id"].decode(String.self),
            kind: IncidentKind(rawValue: try row["kind"].decode(String.self)) ?? .signIn,
            subject: try row["subject"].decode(String.self), subjectName: try row["subject_name"].decode(String.self),
            openedAt: StoreTime.date(try row["opened_at"].decode(Int64.self)), summary: try row["summary"].decode(String.self))
        incident.state = IncidentState(rawValue: try row["state"].decode(String.self)) ?? .open
        incident.updatedAt = StoreTime.date(try row["updated_at"].decode(Int64.self))
        incident.lastUseAt = StoreTime.date(try row["last_use_at"].decode(Int64?.self))
        incident.acknowledgedAt = StoreTime.date(try row["acknowledged_at"].decode(Int64?.self))
        incident.acknowledgedBy = try row["acknowledged_by"].decode(String?.self)
        incident.reason = try row["reason"].decode(String?.self).flatMap(AcknowledgementReason.init(rawValue:))
        incident.note = try row["note"].decode(String?.self)
        incident.closedAt = StoreTime.date(try row["closed_at"].decode(Int64?.self))
        incident.closedBecause = try row["closed_because"].decode(String?.self)
        incident.eventCount = Int(try row["event_count"].decode(Int64.self))
        return incident
    }

    public func incidents(tenant: String?, activeOnly: Bool, limit: Int) async throws -> [Incident] {
        let query: PostgresQuery
        switch (tenant, activeOnly) {
        case (let tenant?, true):
            query = "SELECT * FROM watch_incidents WHERE tenant_id = \(tenant) AND state <> 'closed' ORDER BY opened_at DESC, id DESC LIMIT \(limit)"
        case (let tenant?, false):
            query = "SELECT * FROM watch_incidents WHERE tenant_id = \(tenant) ORDER BY opened_at DESC, id DESC LIMIT \(limit)"
        case (nil, true):
            query = "SELECT * FROM watch_incidents WHERE state <> 'closed' ORDER BY opened_at DESC, id DESC LIMIT \(limit)"
        case (nil, false):
            query = "SELECT * FROM watch_incidents ORDER BY opened_at DESC, id DESC LIMIT \(limit)"
        }
        return try await rows(query).map(Self.incident)
    }

    public func incident(id: String) async throws -> Incident? {
        try await rows("SELECT * FROM watch_incidents WHERE id = \(id)").first.map(Self.incident)
    }

    public func timeline(incidentID: String) async throws -> [IncidentEvent] {
        try await rows("SELECT * FROM watch_incident_events WHERE incident_id = \(incidentID) ORDER BY at, id").map { row in
            IncidentEvent(id: try row["id"].decode(String.self), incidentID: try row["incident_id"].decode(String.self),
                          at: StoreTime.date(try row["at"].decode(Int64.self)),
                          kind: IncidentEvent.Kind(rawValue: try row["kind"].decode(String.self)) ?? .change,
                          summary: try row["summary"].decode(String.self), detail: try row["detail"].decode(String?.self))
        }
    }

    public func incidentCounts() async throws -> [IncidentState: Int] {
        var counts: [IncidentState: Int] = [:]
        for row in try await rows("SELECT state, COUNT(*) AS n FROM watch_incidents GROUP BY state") {
            if let state = IncidentState(rawValue: try row["state"].decode(String.self)) {
                counts[state] = Int(try row["n"].decode(Int64.self))
            }
        }
        return counts
    }

    // MARK: Polling state

    public func cursor(tenant: String, stream: String) async throws -> Date? {
        try await rows("SELECT cursor_at FROM watch_cursors WHERE tenant_id = \(tenant) AND stream = \(stream)").first
            .map { StoreTime.date(try $0["cursor_at"].decode(Int64.self)) }
    }

    public func setCursor(_ date: Date, tenant: String, stream: String) async throws {
        _ = try await rows("""
            INSERT INTO watch_cursors (tenant_id, stream, cursor_at) VALUES (\(tenant), \(stream), \(StoreTime.millis(date)))
            ON CONFLICT (tenant_id, stream) DO UPDATE SET cursor_at = GREATEST(watch_cursors.cursor_at, excluded.cursor_at)
            """)
    }

    public func accounts(tenant: String) async throws -> [AccountState] {
        try await rows("SELECT * FROM watch_accounts WHERE tenant_id = \(tenant) ORDER BY name").map { row in
            AccountState(tenantID: try row["tenant_id"].decode(String.self), accountID: try row["account_id"].decode(String.self),
                         name: try row["name"].decode(String.self),
                         lastPasswordChangeAt: StoreTime.date(try row["last_password_change_at"].decode(Int64?.self)),
                         lastSignInAt: StoreTime.date(try row["last_sign_in_at"].decode(Int64?.self)),
                         lastDrillAt: StoreTime.date(try row["last_drill_at"].decode(Int64?.self)),
                         accountEnabled: try row["account_enabled"].decode(Int64?.self).map { $0 != 0 })
        }
    }

    public func saveAccount(_ state: AccountState) async throws {
        _ = try await rows("""
            INSERT INTO watch_accounts (tenant_id, account_id, name, last_password_change_at, last_sign_in_at,
                last_drill_at, account_enabled)
            VALUES (\(state.tenantID), \(state.accountID), \(state.name), \(state.lastPasswordChangeAt.map(StoreTime.millis)),
                \(state.lastSignInAt.map(StoreTime.millis)), \(state.lastDrillAt.map(StoreTime.millis)),
                \(state.accountEnabled.map { Int64($0 ? 1 : 0) }))
            ON CONFLICT (tenant_id, account_id) DO UPDATE SET name = excluded.name,
                last_password_change_at = excluded.last_password_change_at, last_sign_in_at = excluded.last_sign_in_at,
                last_drill_at = excluded.last_drill_at, account_enabled = excluded.account_enabled
            """)
    }

    public func tenantStatuses() async throws -> [TenantStatus] {
        try await rows("SELECT * FROM watch_tenants ORDER BY name").map { row in
            TenantStatus(tenantID: try row["tenant_id"].decode(String.self), name: try row["name"].decode(String.self),
                         lastPollAt: StoreTime.date(try row["last_poll_at"].decode(Int64?.self)),
                         lastPollSucceeded: try row["last_poll_ok"].decode(Int64.self) != 0,
                         lastError: try row["last_error"].decode(String?.self),
                         signInLogs: try row["sign_in_logs"].decode(String?.self),
                         lagSeconds: try row["lag_seconds"].decode(Double?.self))
        }
    }

    public func saveTenantStatus(_ status: TenantStatus) async throws {
        _ = try await rows("""
            INSERT INTO watch_tenants (tenant_id, name, last_poll_at, last_poll_ok, last_error, sign_in_logs, lag_seconds)
            VALUES (\(status.tenantID), \(status.name), \(status.lastPollAt.map(StoreTime.millis)),
                \(Int64(status.lastPollSucceeded ? 1 : 0)), \(status.lastError), \(status.signInLogs), \(status.lagSeconds))
            ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, last_poll_at = excluded.last_poll_at,
                last_poll_ok = excluded.last_poll_ok, last_error = excluded.last_error,
                sign_in_logs = excluded.sign_in_logs, lag_seconds = excluded.lag_seconds
            """)
    }

    public func posture(tenant: String) async throws -> (auditedAt: Date, body: String)? {
        try await rows("SELECT audited_at, body FROM watch_posture WHERE tenant_id = \(tenant)").first.map {
            (StoreTime.date(try $0["audited_at"].decode(Int64.self)), try $0["body"].decode(String.self))
        }
    }

    public func savePosture(tenant: String, auditedAt: Date, body: String) async throws {
        _ = try await rows("""
            INSERT INTO watch_posture (tenant_id, audited_at, body) VALUES (\(tenant), \(StoreTime.millis(auditedAt)), \(body))
            ON CONFLICT (tenant_id) DO UPDATE SET audited_at = excluded.audited_at, body = excluded.body
            """)
    }

    // MARK: Outbox

    static func message(_ row: PostgresRandomAccessRow) throws -> OutboxMessage {
        var message = OutboxMessage(
            id: try row["id"].decode(String.self), tenantID: try row["tenant_id"].decode(String.self),
            incidentID: try row["incident_id"].decode(String.self), notifier: try row["notifier"].decode(String.self),
            event: try row["event"].decode(String.self), payload: try row["payload"].decode(String.self),
            createdAt: StoreTime.date(try row["created_at"].decode(Int64.self)))
        message.attempts = Int(try row["attempts"].decode(Int64.self))
        message.nextAttemptAt = StoreTime.date(try row["next_attempt_at"].decode(Int64.self))
        message.deliveredAt = StoreTime.date(try row["delivered_at"].decode(Int64?.self))
        message.lastError = try row["last_error"].decode(String?.self)
        return message
    }

    public func claimOutbox(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [OutboxMessage] {
        let nowMillis = StoreTime.millis(now)
        let until = StoreTime.millis(now.addingTimeInterval(lease))
        // Rows another replica is claiming are skipped (SKIP LOCKED); the oldest undelivered message of each incident
        // and notifier goes first, so PagerDuty's resolve never overtakes its trigger.
        return try await rows("""
            UPDATE watch_outbox SET claimed_by = \(owner), claimed_until = \(until), attempts = attempts + 1
            WHERE id IN (
                SELECT o.id FROM watch_outbox o
                WHERE o.delivered_at IS NULL AND o.next_attempt_at <= \(nowMillis)
                  AND (o.claimed_until IS NULL OR o.claimed_until < \(nowMillis))
                  AND NOT EXISTS (SELECT 1 FROM watch_outbox p WHERE p.incident_id = o.incident_id
                      AND p.notifier = o.notifier AND p.delivered_at IS NULL
                      AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id)))
                ORDER BY o.created_at, o.id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
              AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < \(nowMillis))
            RETURNING *
            """).map(Self.message).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func outboxDelivered(id: String, at: Date) async throws {
        _ = try await rows("UPDATE watch_outbox SET delivered_at = \(StoreTime.millis(at)), claimed_until = NULL, last_error = NULL WHERE id = \(id)")
    }

    public func outboxFailed(id: String, error: String, retryAt: Date) async throws {
        _ = try await rows("UPDATE watch_outbox SET next_attempt_at = \(StoreTime.millis(retryAt)), claimed_until = NULL, last_error = \(error) WHERE id = \(id)")
    }

    public func outboxSummary() async throws -> OutboxSummary {
        let row = try await rows("""
            SELECT COALESCE(SUM(CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END), 0)::BIGINT AS pending,
                   COALESCE(SUM(CASE WHEN delivered_at IS NULL AND last_error IS NOT NULL THEN 1 ELSE 0 END), 0)::BIGINT AS failing,
                   COALESCE(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0)::BIGINT AS delivered
            FROM watch_outbox
            """).first
        return OutboxSummary(pending: Int(try row?["pending"].decode(Int64.self) ?? 0),
                             failing: Int(try row?["failing"].decode(Int64.self) ?? 0),
                             delivered: Int(try row?["delivered"].decode(Int64.self) ?? 0))
    }

    public func outbox(incidentID: String) async throws -> [OutboxMessage] {
        try await rows("SELECT * FROM watch_outbox WHERE incident_id = \(incidentID) ORDER BY created_at, id").map(Self.message)
    }

    // MARK: Alerts

    public func insertAlerts(_ alerts: [ReceivedAlert]) async throws -> Int {
        guard !alerts.isEmpty else { return 0 }
        return try await run {
            try await client.withTransaction(logger: logger) { connection in
                var inserted = 0
                for alert in alerts {
                    let rows = try await Self.rows("""
                        INSERT INTO watch_alerts (id, received_at, payload)
                        VALUES (\(alert.id), \(StoreTime.millis(alert.receivedAt)), \(alert.payload))
                        ON CONFLICT DO NOTHING RETURNING id
                        """, on: connection, logger: self.logger)
                    inserted += rows.count
                }
                return inserted
            }
        }
    }

    public func pendingAlerts(limit: Int) async throws -> [ReceivedAlert] {
        try await rows("SELECT * FROM watch_alerts WHERE processed_at IS NULL ORDER BY received_at, id LIMIT \(limit)").map { row in
            ReceivedAlert(id: try row["id"].decode(String.self), receivedAt: StoreTime.date(try row["received_at"].decode(Int64.self)),
                          payload: try row["payload"].decode(String.self))
        }
    }

    public func markAlertsProcessed(_ ids: [String], at: Date) async throws {
        guard !ids.isEmpty else { return }
        _ = try await rows("UPDATE watch_alerts SET processed_at = \(StoreTime.millis(at)) WHERE id = ANY(\(ids))")
    }

    public func alertCount() async throws -> Int {
        Int(try await rows("SELECT COUNT(*) AS n FROM watch_alerts").first?["n"].decode(Int64.self) ?? 0)
    }

    /// The advisory lock key the poller lease takes (`pg_locks`: classid is its high half, objid its low half).
    public var pollerLockKey: Int64 { pollerLock }

    public func makePollerLease() -> any PollerLease {
        AdvisoryLockLease(configuration: configuration, usesTLS: usesTLS, key: pollerLock, logger: logger)
    }
}

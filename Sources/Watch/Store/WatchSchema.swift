/// The schema of both stores: named migrations of SQL that SQLite and PostgreSQL read alike (TEXT, BIGINT
/// milliseconds, INTEGER flags; ids made by the service, no auto-increment). Never edit a migration once merged:
/// add one.
enum WatchSchema {
    static let migrations: [(name: String, statements: [String])] = [
        ("v1 watch", [
            """
            CREATE TABLE watch_incidents (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
                subject_name TEXT NOT NULL, state TEXT NOT NULL, opened_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                last_use_at BIGINT, acknowledged_at BIGINT, acknowledged_by TEXT, reason TEXT, note TEXT,
                closed_at BIGINT, closed_because TEXT, summary TEXT NOT NULL, event_count BIGINT NOT NULL)
            """,
            "CREATE INDEX watch_incidents_by_state ON watch_incidents (tenant_id, state)",
            """
            CREATE TABLE watch_incident_events (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL,
                summary TEXT NOT NULL, detail TEXT)
            """,
            "CREATE INDEX watch_incident_events_by_incident ON watch_incident_events (incident_id, at)",
            """
            CREATE TABLE watch_seen (
                tenant_id TEXT NOT NULL, record_key TEXT NOT NULL, seen_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, record_key))
            """,
            """
            CREATE TABLE watch_outbox (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, incident_id TEXT NOT NULL, notifier TEXT NOT NULL,
                event TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL, attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL, claimed_by TEXT, claimed_until BIGINT, delivered_at BIGINT,
                last_error TEXT)
            """,
            "CREATE INDEX watch_outbox_due ON watch_outbox (delivered_at, next_attempt_at)",
            "CREATE INDEX watch_outbox_by_incident ON watch_outbox (incident_id, notifier, created_at)",
            """
            CREATE TABLE watch_cursors (
                tenant_id TEXT NOT NULL, stream TEXT NOT NULL, cursor_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, stream))
            """,
            """
            CREATE TABLE watch_accounts (
                tenant_id TEXT NOT NULL, account_id TEXT NOT NULL, name TEXT NOT NULL,
                last_password_change_at BIGINT, last_sign_in_at BIGINT, last_drill_at BIGINT, account_enabled BIGINT,
                PRIMARY KEY (tenant_id, account_id))
            """,
            """
            CREATE TABLE watch_tenants (
                tenant_id TEXT PRIMARY KEY, name TEXT NOT NULL, last_poll_at BIGINT, last_poll_ok BIGINT NOT NULL,
                last_error TEXT, sign_in_logs TEXT, lag_seconds DOUBLE PRECISION)
            """,
            "CREATE TABLE watch_posture (tenant_id TEXT PRIMARY KEY, audited_at BIGINT NOT NULL, body TEXT NOT NULL)",
            """
            CREATE TABLE watch_alerts (
                id TEXT PRIMARY KEY, received_at BIGINT NOT NULL, payload TEXT NOT NULL, processed_at BIGINT)
            """,
            "CREATE INDEX watch_alerts_pending ON watch_alerts (processed_at, received_at)",
        ]),
    ]
}

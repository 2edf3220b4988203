import Foundation

/// The state of one polled tenant, for the page and `/healthz`.
public struct TenantStatus: Sendable, Codable, Hashable {
    public var tenantID: String
    public var name: String
    public var lastPollAt: Date?
    public var lastPollSucceeded: Bool
    public var lastError: String?
    /// `P1` when sign-in logs can be read; otherwise why not (no Entra ID P1: the webhook is the only source).
    public var signInLogs: String?
    /// Time from the newest record read to the poll (how far behind Graph's logs the service is).
    public var lagSeconds: Double?

    public init(tenantID: String, name: String, lastPollAt: Date? = nil, lastPollSucceeded: Bool = false,
                lastError: String? = nil, signInLogs: String? = nil, lagSeconds: Double? = nil) {
        self.tenantID = tenantID
        self.name = name
        self.lastPollAt = lastPollAt
        self.lastPollSucceeded = lastPollSucceeded
        self.lastError = lastError
        self.signInLogs = signInLogs
        self.lagSeconds = lagSeconds
    }
}

/// What is known about one emergency account from polling: its last password change, sign-in and drill.
public struct AccountState: Sendable, Codable, Hashable {
    public var tenantID: String
    public var accountID: String
    public var name: String
    public var lastPasswordChangeAt: Date?
    public var lastSignInAt: Date?
    public var lastDrillAt: Date?
    public var accountEnabled: Bool?

    public init(tenantID: String, accountID: String, name: String, lastPasswordChangeAt: Date? = nil,
                lastSignInAt: Date? = nil, lastDrillAt: Date? = nil, accountEnabled: Bool? = nil) {
        self.tenantID = tenantID
        self.accountID = accountID
        self.name = name
        self.lastPasswordChangeAt = lastPasswordChangeAt
        self.lastSignInAt = lastSignInAt
        self.lastDrillAt = lastDrillAt
        self.accountEnabled = accountEnabled
    }
}

/// An Azure Monitor alert as received on `/hooks/azure-monitor`, kept before it is turned into an incident.
public struct ReceivedAlert: Sendable, Codable, Hashable, Identifiable {
    /// `essentials.alertId` and `monitorCondition`: Azure retries a call, the pair stays the same.
    public var id: String
    public var receivedAt: Date
    /// The request body as received.
    public var payload: String
    public var processedAt: Date?

    public init(id: String, receivedAt: Date, payload: String, processedAt: Date? = nil) {
        self.id = id
        self.receivedAt = receivedAt
        self.payload = payload
        self.processedAt = processedAt
    }
}

/// How the outbox stands, for the page and `/metrics`.
public struct OutboxSummary: Sendable, Codable, Hashable {
    public var pending: Int
    /// Pending messages that failed at least once.
    public var failing: Int
    public var delivered: Int

    public init(pending: Int, failing: Int, delivered: Int) {
        self.pending = pending
        self.failing = failing
        self.delivered = delivered
    }
}

/// The service's state behind one interface: SQLite (GRDB) embedded, or PostgreSQL shared by several replicas.
/// Nothing outside a store knows which one it runs on.
public protocol WatchStore: Sendable {
    /// `sqlite` or `postgres`, for `/healthz`.
    var backend: String { get }

    /// Applies the named migrations (WatchSchema) not applied yet.
    func migrate() async throws
    /// A cheap round trip, for `/healthz`.
    func ping() async throws
    func close() async throws

    /// Reads the tenant's active incidents and which of `keys` were already seen, runs `body` on them, and writes
    /// what it changed — incidents, timeline, outbox messages, seen keys — in one transaction. Concurrent updates of
    /// one tenant (two replicas) run one after the other.
    func update<T: Sendable>(tenant: String, keys: [String], _ body: @Sendable (inout IncidentBook) throws -> T)
        async throws -> T

    func incidents(tenant: String?, activeOnly: Bool, limit: Int) async throws -> [Incident]
    func incident(id: String) async throws -> Incident?
    func timeline(incidentID: String) async throws -> [IncidentEvent]
    func incidentCounts() async throws -> [IncidentState: Int]

    /// Where polling of a stream (sign-ins, audits) got to: the newest record time read.
    func cursor(tenant: String, stream: String) async throws -> Date?
    func setCursor(_ date: Date, tenant: String, stream: String) async throws

    func accounts(tenant: String) async throws -> [AccountState]
    func saveAccount(_ state: AccountState) async throws
    func tenantStatuses() async throws -> [TenantStatus]
    func saveTenantStatus(_ status: TenantStatus) async throws
    /// The last posture audit of a tenant, as JSON (TenantPosture).
    func posture(tenant: String) async throws -> (auditedAt: Date, body: String)?
    func savePosture(tenant: String, auditedAt: Date, body: String) async throws

    /// Takes up to `limit` due, undelivered messages for `lease` seconds; another replica does not take them
    /// until the lease ends.
    func claimOutbox(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [OutboxMessage]
    func outboxDelivered(id: String, at: Date) async throws
    func outboxFailed(id: String, error: String, retryAt: Date) async throws
    func outboxSummary() async throws -> OutboxSummary
    func outbox(incidentID: String) async throws -> [OutboxMessage]

    /// Keeps alerts not seen before (by id); returns how many were new.
    func insertAlerts(_ alerts: [ReceivedAlert]) async throws -> Int
    func pendingAlerts(limit: Int) async throws -> [ReceivedAlert]
    func markAlertsProcessed(_ ids: [String], at: Date) async throws
    func alertCount() async throws -> Int

    /// The right to poll: one replica at a time.
    func makePollerLease() -> any PollerLease
}

/// Only one replica polls Graph at a time. `acquire` returns whether this replica holds the lease now; `isHeld`
/// checks it is still held (the database may have dropped it); `release` gives it up.
public protocol PollerLease: Sendable {
    func acquire() async -> Bool
    func isHeld() async -> Bool
    func release() async
}

/// What the stores throw, naming what to fix.
public enum WatchStoreError: Error, Equatable, Sendable {
    case unreachable(String)
    case badDatabaseURL(String)
    case failed(String)
}

extension WatchStoreError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreachable(let reason): "database unreachable: \(reason)"
        case .badDatabaseURL(let reason): "--database: \(reason)"
        case .failed(let reason): "database error: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

/// Milliseconds since 1970, as the schema stores times.
enum StoreTime {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(millis) / 1000) }
    static func date(_ millis: Int64?) -> Date? { millis.map(date) }
}

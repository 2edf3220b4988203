import Foundation

/// A notification waiting in the outbox: written in the same transaction as the incident change it reports,
/// delivered at least once (its id is the Standard Webhooks `webhook-id`, the same on every attempt).
public struct OutboxMessage: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var tenantID: String
    public var incidentID: String
    /// The notifier's name (`webhook-1`, `pagerduty-1`, …).
    public var notifier: String
    /// `incident.opened`, …
    public var event: String
    /// The body as the notifier renders it, without secrets (PagerDuty's routing key is added when sending).
    public var payload: String
    public var createdAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    public var lastError: String?

    public init(id: String, tenantID: String, incidentID: String, notifier: String, event: String, payload: String,
                createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.incidentID = incidentID
        self.notifier = notifier
        self.event = event
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = 0
        self.nextAttemptAt = createdAt
    }
}

/// A tenant's active incidents as read inside one store transaction, and what the caller changes: incidents,
/// timeline entries, outbox messages and the record keys now seen. The store writes all of it in that transaction,
/// or none of it.
public struct IncidentBook: Sendable {
    public let tenantID: String
    /// Open and acknowledged incidents of the tenant.
    public private(set) var incidents: [Incident]
    /// Of the record keys the caller asked about, those already recorded (by this replica or another).
    public let alreadySeen: Set<String>

    public private(set) var changed: [String: Incident] = [:]
    public private(set) var events: [IncidentEvent] = []
    public private(set) var outbox: [OutboxMessage] = []
    public private(set) var newlySeen: [String] = []

    public init(tenantID: String, incidents: [Incident], alreadySeen: Set<String>) {
        self.tenantID = tenantID
        self.incidents = incidents
        self.alreadySeen = alreadySeen
    }

    public func hasSeen(_ key: String) -> Bool { alreadySeen.contains(key) || newlySeen.contains(key) }

    public mutating func markSeen(_ key: String) {
        if !hasSeen(key) { newlySeen.append(key) }
    }

    /// The active incident of `kind` about `subject`, if any.
    public func active(_ kind: IncidentKind, subject: String) -> Incident? {
        incidents.first { $0.kind == kind && $0.subject == subject && $0.state.isActive }
    }

    public func incident(_ id: String) -> Incident? { incidents.first { $0.id == id } }

    public mutating func add(_ incident: Incident) {
        incidents.append(incident)
        changed[incident.id] = incident
    }

    public mutating func save(_ incident: Incident) {
        if let index = incidents.firstIndex(where: { $0.id == incident.id }) {
            incidents[index] = incident
        } else {
            incidents.append(incident)
        }
        changed[incident.id] = incident
    }

    public mutating func append(_ event: IncidentEvent) {
        events.append(event)
        if var incident = incident(event.incidentID) {
            incident.eventCount += 1
            incident.updatedAt = max(incident.updatedAt, event.at)
            save(incident)
        }
    }

    public mutating func enqueue(_ message: OutboxMessage) {
        outbox.append(message)
    }

    public var isEmpty: Bool { changed.isEmpty && events.isEmpty && outbox.isEmpty && newlySeen.isEmpty }
}

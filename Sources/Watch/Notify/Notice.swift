import Foundation

/// What a notification says: an incident opened, got a new use or change, was acknowledged or closed.
public struct Notice: Sendable, Codable, Hashable {
    public enum Event: String, Sendable, Codable, Hashable, CaseIterable {
        case opened, updated, acknowledged, closed

        /// The Standard Webhooks `type`: `incident.opened`, …
        public var type: String { "incident.\(rawValue)" }
    }

    public var event: Event
    public var incident: Incident
    public var tenantName: String
    /// The newest timeline entry (the sign-in, the change, the acknowledgement).
    public var latest: IncidentEvent?
    /// The incident on the dashboard, when the service knows its public address.
    public var link: String?
    public var at: Date

    public init(event: Event, incident: Incident, tenantName: String, latest: IncidentEvent?, link: String?, at: Date) {
        self.event = event
        self.incident = incident
        self.tenantName = tenantName
        self.latest = latest
        self.link = link
        self.at = at
    }

    /// One line: `Emergency account used: bg-01@contoso.onmicrosoft.com (Contoso) — opened`.
    public var headline: String {
        "\(incident.kind.title): \(incident.subjectName) (\(tenantName)) — \(event.rawValue)"
    }

    /// What to do next, for people reading it in a chat.
    public var advice: String {
        switch (event, incident.kind.closesOnRotation) {
        case (.closed, _): return incident.closedBecause ?? "Closed."
        case (.acknowledged, true):
            return "Acknowledged by \(incident.acknowledgedBy ?? "someone") (\(incident.reason?.rawValue ?? "no reason")). It stays open until the password is changed after the last sign-in."
        case (_, true):
            return "Confirm who used the account and why, then have two custodians rotate its password: the incident closes when the change is seen."
        case (_, false):
            return "Check that the change was intended; acknowledge the incident with who and why."
        }
    }
}

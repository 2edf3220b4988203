import Foundation
import Monitoring
import Synchronization

/// Where an incident is in its life: open → acknowledged (who, why) → closed.
public enum IncidentState: String, Sendable, Codable, CaseIterable, Hashable {
    case open
    case acknowledged
    case closed

    /// Open or acknowledged: still needs someone.
    public var isActive: Bool { self != .closed }
}

/// What an incident is about: one per detection of `breakglass export` (Monitoring/Detections.swift).
public enum IncidentKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// A use of an emergency account: its sign-ins (and what it did while signed in) until the password is rotated.
    case signIn = "sign-in"
    case failedSignIn = "failed-sign-in"
    case credentialChange = "credential-change"
    case membershipChange = "membership-change"
    case exclusionGroupChange = "exclusion-group-change"
    case policyChange = "ca-policy-change"
    case accountDisabledOrDeleted = "account-disabled-deleted"

    public init(_ detection: Detection.Kind) {
        switch detection {
        case .signIn: self = .signIn
        case .failedSignIn: self = .failedSignIn
        case .credentialChange: self = .credentialChange
        case .membershipChange: self = .membershipChange
        case .exclusionGroupChange: self = .exclusionGroupChange
        case .policyChange: self = .policyChange
        case .accountDisabledOrDeleted: self = .accountDisabledOrDeleted
        }
    }

    /// A use closes only when the password is changed after the last sign-in (BG060); every other kind closes when a
    /// person acknowledges it, since there is no password to rotate.
    public var closesOnRotation: Bool { self == .signIn }

    public var title: String {
        switch self {
        case .signIn: "Emergency account used"
        case .failedSignIn: "Failed sign-in to an emergency account"
        case .credentialChange: "Emergency account credentials changed"
        case .membershipChange: "Emergency account role or group membership changed"
        case .exclusionGroupChange: "Exclusion group changed"
        case .policyChange: "Conditional Access policy naming emergency access changed"
        case .accountDisabledOrDeleted: "Emergency account disabled or deleted"
        }
    }

    /// PagerDuty's severity vocabulary (critical, error, warning, info).
    public var severity: String {
        switch self {
        case .signIn, .accountDisabledOrDeleted: "critical"
        case .failedSignIn, .credentialChange, .membershipChange, .exclusionGroupChange: "error"
        case .policyChange: "warning"
        }
    }
}

/// Why an emergency account was used, as the person acknowledging the incident says.
public enum AcknowledgementReason: String, Sendable, Codable, CaseIterable, Hashable {
    case drill
    case emergency
    case misuse
}

/// One use of an emergency account, or one change to what keeps it working.
public struct Incident: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var tenantID: String
    public var kind: IncidentKind
    /// The account's object id, the group's or policy's id; `*` when an alert did not say which account.
    public var subject: String
    public var subjectName: String
    public var state: IncidentState
    public var openedAt: Date
    public var updatedAt: Date
    /// The last successful sign-in (or alert) of a use: the password must change after this.
    public var lastUseAt: Date?
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var reason: AcknowledgementReason?
    public var note: String?
    public var closedAt: Date?
    public var closedBecause: String?
    public var summary: String
    public var eventCount: Int

    public init(id: String, tenantID: String, kind: IncidentKind, subject: String, subjectName: String, openedAt: Date,
                summary: String) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.subject = subject
        self.subjectName = subjectName
        self.state = .open
        self.openedAt = openedAt
        self.updatedAt = openedAt
        self.summary = summary
        self.eventCount = 0
    }

    /// The PagerDuty `dedup_key` and the key receivers can group by: one per incident.
    public var dedupKey: String { "breakglass-\(id)" }
}

/// One entry of an incident's timeline.
public struct IncidentEvent: Sendable, Codable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case opened, signIn = "sign-in", change, alert, passwordChange = "password-change", acknowledged, closed
    }

    public var id: String
    public var incidentID: String
    public var at: Date
    public var kind: Kind
    public var summary: String
    /// The record it came from (a Graph sign-in or audit, an alert), as JSON.
    public var detail: String?

    public init(id: String, incidentID: String, at: Date, kind: Kind, summary: String, detail: String? = nil) {
        self.id = id
        self.incidentID = incidentID
        self.at = at
        self.kind = kind
        self.summary = summary
        self.detail = detail
    }
}

/// Identifiers that sort by creation: 12 hex digits of milliseconds, 8 of a counter of this process (so ids made in
/// one transaction keep their order), 8 random.
public enum WatchID {
    static let counter = Mutex<UInt32>(0)

    public static func make(at date: Date = Date()) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let count = counter.withLock { value in
            value &+= 1
            return value
        }
        return hex(millis, 12) + hex(UInt64(count), 8) + hex(UInt64(UInt32.random(in: 0 ... .max)), 8)
    }

    static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
    }
}

import EntraModel
import Foundation
import Logging
import Monitoring

/// One tenant as the service watches it: the emergency accounts and exclusion groups, and the rotation grace.
public struct WatchedTenant: Sendable {
    /// The key the store files the tenant under: its configured id or initial domain, lower-cased.
    public var id: String
    public var name: String
    public var accounts: [WatchedAccount]
    public var groups: [WatchedGroup]
    public var rotationGraceHours: Int
    /// Other names alerts may use for the tenant (its directory id).
    public var aliases: Set<String>

    public init(id: String, name: String, accounts: [WatchedAccount], groups: [WatchedGroup] = [],
                rotationGraceHours: Int = 24, aliases: Set<String> = []) {
        self.id = id.lowercased()
        self.name = name
        self.accounts = accounts
        self.groups = groups
        self.rotationGraceHours = rotationGraceHours
        self.aliases = Set(aliases.map { $0.lowercased() })
    }

    public func account(_ id: String?) -> WatchedAccount? {
        guard let id = id?.lowercased() else { return nil }
        return accounts.first { $0.objectID == id || $0.userPrincipalName?.lowercased() == id }
    }

    public var targets: LogScanTargets { LogScanTargets(accounts: accounts, groups: groups) }

    public func matches(_ name: String) -> Bool {
        let name = name.lowercased()
        return name == id || aliases.contains(name)
    }
}

/// A password change known for an account: when, and where it was seen.
public struct PasswordChange: Sendable, Hashable {
    public var at: Date
    public var source: String

    public init(at: Date, source: String) {
        self.at = at
        self.source = source
    }
}

public enum IncidentError: Error, Equatable, Sendable {
    case notFound(String)
    case alreadyClosed(String)
    case alreadyAcknowledged(String)
}

extension IncidentError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let id): "no incident \(id)"
        case .alreadyClosed(let id): "incident \(id) is closed"
        case .alreadyAcknowledged(let id): "incident \(id) is already acknowledged"
        }
    }

    public var errorDescription: String? { description }
}

/// What one batch of records did.
public struct RecordOutcome: Sendable, Hashable {
    public var opened: [String] = []
    public var updated: [String] = []
    public var closed: [String] = []
    /// Records skipped because they were recorded before (overlap windows, another replica).
    public var duplicates = 0
}

/// Turns what the pollers and the webhook see into incidents, in store transactions that also write the outbox.
public struct IncidentEngine: Sendable {
    public let store: any WatchStore
    public let notifiers: [any Notifier]
    public let drills: any DrillSource
    /// The dashboard's public address, for links in notifications (`https://watch.example.net`).
    public let dashboardURL: String?
    let now: @Sendable () -> Date
    let logger: Logger

    public init(store: any WatchStore, notifiers: [any Notifier], drills: any DrillSource = NoPlannedDrills(),
                dashboardURL: String? = nil, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "breakglass.watch")) {
        self.store = store
        self.notifiers = notifiers
        self.drills = drills
        self.dashboardURL = dashboardURL
        self.now = now
        self.logger = logger
    }

    /// The key a record is deduplicated by: its stream and Graph id.
    public static func key(_ event: Monitoring.LogEvent) -> String {
        let stream = event.kind == .signIn ? "signin" : "audit"
        if let id = event.id, !id.isEmpty { return "\(stream):\(id.lowercased())" }
        return "\(stream):\(Int(event.time.timeIntervalSince1970 * 1000)):\(event.accountID ?? ""):\(event.activity ?? "")"
    }

    /// Records polled events (sorted by time) and closes uses whose password has since changed. `passwordChanges`
    /// holds the newest change known per account id (users.json `lastPasswordChangeDateTime`, audits).
    @discardableResult
    public func record(_ events: [Monitoring.LogEvent], tenant: WatchedTenant, passwordChanges: [String: PasswordChange])
        async throws -> RecordOutcome {
        var drills: [String: PlannedDrill] = [:]
        for event in events where event.kind == .signIn && event.succeeded == true {
            guard let account = event.accountID, let drill = try await self.drills.plannedDrill(
                tenantID: tenant.id, accountID: account, at: event.time) else { continue }
            drills[Self.key(event)] = drill
        }
        let keys = events.map(Self.key)
        let now = self.now()
        let plannedDrills = drills
        let notifiers = self.notifiers
        let link = self.dashboardURL
        return try await store.update(tenant: tenant.id, keys: keys) { book in
            var work = Work(tenant: tenant, now: now)
            for event in events {
                let key = Self.key(event)
                guard !book.hasSeen(key) else {
                    work.outcome.duplicates += 1
                    continue
                }
                book.markSeen(key)
                work.apply(event, drill: plannedDrills[key], to: &book)
            }
            work.closeRotated(in: &book, passwordChanges: passwordChanges)
            try work.notify(in: &book, notifiers: notifiers, link: link)
            return work.outcome
        }
    }

    /// Records Azure Monitor alerts: the use each reports (or the change), for the account its dimensions name, or
    /// for all the tenant's accounts when it names none. An alert repeated by Azure is recorded once.
    @discardableResult
    public func record(alerts: [AzureMonitorAlert], tenant: WatchedTenant) async throws -> RecordOutcome {
        let keys = alerts.map { "alert:\($0.key)" }
        let now = self.now()
        let notifiers = self.notifiers
        let link = self.dashboardURL
        return try await store.update(tenant: tenant.id, keys: keys) { book in
            var work = Work(tenant: tenant, now: now)
            for (alert, key) in zip(alerts, keys) {
                guard !book.hasSeen(key) else {
                    work.outcome.duplicates += 1
                    continue
                }
                book.markSeen(key)
                work.apply(alert, to: &book)
            }
            try work.notify(in: &book, notifiers: notifiers, link: link)
            return work.outcome
        }
    }

    /// Re-checks the tenant's open uses against the password changes known now (a poll that saw no new record).
    @discardableResult
    public func closeRotated(tenant: WatchedTenant, passwordChanges: [String: PasswordChange]) async throws -> RecordOutcome {
        let now = self.now()
        let notifiers = self.notifiers
        let link = self.dashboardURL
        return try await store.update(tenant: tenant.id, keys: []) { book in
            var work = Work(tenant: tenant, now: now)
            work.closeRotated(in: &book, passwordChanges: passwordChanges)
            try work.notify(in: &book, notifiers: notifiers, link: link)
            return work.outcome
        }
    }

    /// A person acknowledges an incident: who and why. A use stays open until the password is rotated; any other
    /// incident is closed by the acknowledgement, having no password to rotate.
    public func acknowledge(incidentID: String, by person: String, reason: AcknowledgementReason, note: String?,
                            tenant: WatchedTenant) async throws -> Incident {
        guard let existing = try await store.incident(id: incidentID), existing.tenantID == tenant.id else {
            throw IncidentError.notFound(incidentID)
        }
        guard existing.state.isActive else { throw IncidentError.alreadyClosed(incidentID) }
        let now = self.now()
        let notifiers = self.notifiers
        let link = self.dashboardURL
        return try await store.update(tenant: tenant.id, keys: []) { book in
            // Closed meanwhile (a rotation seen by another replica): not among the active incidents any more.
            guard var incident = book.incident(incidentID) else { throw IncidentError.alreadyClosed(incidentID) }
            guard incident.state == .open else {
                throw incident.state == .closed ? IncidentError.alreadyClosed(incidentID)
                    : IncidentError.alreadyAcknowledged(incidentID)
            }
            var work = Work(tenant: tenant, now: now)
            incident.state = .acknowledged
            incident.acknowledgedAt = now
            incident.acknowledgedBy = person
            incident.reason = reason
            incident.note = note
            book.save(incident)
            let summary = "Acknowledged by \(person): \(reason.rawValue)" + (note.map { ": \($0)" } ?? "")
            book.append(IncidentEvent(id: WatchID.make(at: now), incidentID: incident.id, at: now, kind: .acknowledged,
                                      summary: summary))
            if !incident.kind.closesOnRotation {
                incident = book.incident(incident.id) ?? incident
                work.close(&incident, because: "Acknowledged by \(person) (\(reason.rawValue)); there is no password to rotate.",
                           in: &book)
            }
            work.touch(incident.id, .acknowledged)
            try work.notify(in: &book, notifiers: notifiers, link: link)
            return book.incident(incident.id) ?? incident
        }
    }
}

/// The changes of one store transaction and the notices they owe.
struct Work {
    let tenant: WatchedTenant
    let now: Date
    var outcome = RecordOutcome()
    /// Incidents touched, in order, with the strongest notice each owes.
    var touched: [(id: String, events: [Notice.Event])] = []

    init(tenant: WatchedTenant, now: Date) {
        self.tenant = tenant
        self.now = now
    }

    mutating func touch(_ id: String, _ event: Notice.Event) {
        if let index = touched.firstIndex(where: { $0.id == id }) {
            if !touched[index].events.contains(event) { touched[index].events.append(event) }
        } else {
            touched.append((id, [event]))
        }
        switch event {
        case .opened: outcome.opened.append(id)
        case .updated: if !outcome.updated.contains(id), !outcome.opened.contains(id) { outcome.updated.append(id) }
        case .closed: outcome.closed.append(id)
        case .acknowledged: break
        }
    }

    static func detail(_ event: Monitoring.LogEvent) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) }
    }

    func accountName(_ event: Monitoring.LogEvent) -> String {
        event.account ?? tenant.account(event.accountID)?.label ?? event.accountID ?? "an emergency account"
    }

    func describe(_ event: Monitoring.LogEvent) -> String {
        switch event.kind {
        case .signIn:
            let result = event.succeeded == false
                ? "failed sign-in (\(event.errorCode ?? "?")\(event.failureReason.map { ": \($0)" } ?? ""))" : "signed in"
            var parts = ["\(accountName(event)) \(result)"]
            if let interactive = event.interactive { parts.append(interactive ? "interactive" : "non-interactive") }
            if let app = event.application { parts.append("to \(app)") }
            if let ip = event.ipAddress { parts.append("from \(ip)") }
            if let location = event.location { parts.append("(\(location))") }
            return parts.joined(separator: " ")
        default:
            var text = event.activity ?? "change"
            if let target = event.target, !target.isEmpty { text += " on \(target)" }
            if let by = event.initiatedBy { text += " by \(by)" }
            if let result = event.result, result.lowercased() != "success" { text += " (\(result))" }
            return text
        }
    }

    mutating func open(_ kind: IncidentKind, subject: String, name: String, at: Date, summary: String,
                       in book: inout IncidentBook) -> Incident {
        let incident = Incident(id: WatchID.make(at: now), tenantID: tenant.id, kind: kind, subject: subject,
                                subjectName: name, openedAt: at, summary: summary)
        book.add(incident)
        book.append(IncidentEvent(id: WatchID.make(at: now), incidentID: incident.id, at: at, kind: .opened,
                                  summary: "\(kind.title): \(name)"))
        touch(incident.id, .opened)
        return book.incident(incident.id) ?? incident
    }

    mutating func apply(_ event: Monitoring.LogEvent, drill: PlannedDrill?, to book: inout IncidentBook) {
        let summary = describe(event)
        let detail = Self.detail(event)
        let subject = event.accountID ?? event.account?.lowercased() ?? "*"
        func entry(_ incident: Incident, _ kind: IncidentEvent.Kind) -> IncidentEvent {
            IncidentEvent(id: WatchID.make(at: now), incidentID: incident.id, at: event.time, kind: kind, summary: summary,
                          detail: detail)
        }
        switch event.kind {
        case .signIn where event.succeeded != false, .changeByAccount:
            // A use: its sign-ins and what the account did, until the password is rotated.
            var incident: Incident
            if let active = book.active(.signIn, subject: subject) {
                incident = active
                touch(incident.id, .updated)
            } else {
                incident = open(.signIn, subject: subject, name: accountName(event), at: event.time,
                                summary: summary, in: &book)
                if let drill {
                    incident.state = .acknowledged
                    incident.acknowledgedAt = now
                    incident.acknowledgedBy = drill.plannedBy
                    incident.reason = .drill
                    incident.note = drill.note
                    book.save(incident)
                    book.append(IncidentEvent(id: WatchID.make(at: now), incidentID: incident.id, at: now,
                                              kind: .acknowledged, summary: "Planned drill by \(drill.plannedBy)"))
                }
            }
            book.append(entry(incident, event.kind == .signIn ? .signIn : .change))
            incident = book.incident(incident.id) ?? incident
            incident.lastUseAt = max(incident.lastUseAt ?? event.time, event.time)
            book.save(incident)
        case .signIn:
            // A failed sign-in: part of an ongoing use, else an incident of its own.
            if let active = book.active(.signIn, subject: subject) {
                book.append(entry(active, .signIn))
            } else if let active = book.active(.failedSignIn, subject: subject) {
                book.append(entry(active, .signIn))
                touch(active.id, .updated)
            } else {
                let incident = open(.failedSignIn, subject: subject, name: accountName(event), at: event.time,
                                    summary: summary, in: &book)
                book.append(entry(incident, .signIn))
            }
        case .changeToAccount where event.isPasswordChange == true:
            // Rotation evidence: on the timeline of the account's open use; closing is decided after the batch.
            if let active = book.active(.signIn, subject: subject) { book.append(entry(active, .passwordChange)) }
        default:
            guard let detection = event.detection else { return }
            let kind = IncidentKind(detection)
            let target: (id: String, name: String)
            switch kind {
            case .exclusionGroupChange:
                let group = tenant.groups.first { group in (event.target ?? "").lowercased().contains(group.displayName?.lowercased() ?? group.id) }
                    ?? tenant.groups.first
                target = (group?.id ?? "*", group?.displayName ?? group?.id ?? "exclusion group")
            case .policyChange:
                target = ((event.target ?? "policy").lowercased(), event.target ?? "Conditional Access policy")
            default:
                target = (subject, accountName(event))
            }
            if let active = book.active(kind, subject: target.id) {
                book.append(entry(active, .change))
                touch(active.id, .updated)
            } else {
                let incident = open(kind, subject: target.id, name: target.name, at: event.time, summary: summary, in: &book)
                book.append(entry(incident, .change))
            }
        }
    }

    mutating func apply(_ alert: AzureMonitorAlert, to book: inout IncidentBook) {
        let kind = alert.detection.map(IncidentKind.init) ?? .signIn
        let tenant = self.tenant
        let account = alert.accountIDs.compactMap { tenant.account($0) }.first
        let subject = account?.objectID ?? account?.userPrincipalName?.lowercased() ?? "*"
        let name = account?.label ?? "an emergency account (the alert does not say which)"
        let at = alert.windowEnd ?? alert.firedAt ?? now
        let summary = "Azure Monitor alert \(alert.rule ?? "?") \(alert.condition.lowercased())"
            + (alert.severity.map { " (\($0))" } ?? "") + (account.map { " for \($0.label)" } ?? "")
        var incident: Incident
        if let active = book.active(kind, subject: subject) {
            // Already notified: a repeated alert goes on the timeline only (a noisy rule must not flood people).
            incident = active
        } else if alert.condition.lowercased() == "resolved" {
            // Azure's own resolution closes nothing here; with no open incident there is nothing to add to.
            return
        } else {
            incident = open(kind, subject: subject, name: name, at: at, summary: summary, in: &book)
        }
        book.append(IncidentEvent(id: WatchID.make(at: now), incidentID: incident.id, at: at, kind: .alert,
                                  summary: summary, detail: alert.rawPayload))
        if kind.closesOnRotation, alert.condition.lowercased() != "resolved" {
            incident = book.incident(incident.id) ?? incident
            incident.lastUseAt = max(incident.lastUseAt ?? at, at)
            book.save(incident)
        }
    }

    /// BG060's rule (RotationVerdict, as `logs scan` applies it): a use closes when the password changed after its
    /// last sign-in — for every account when the use did not say which.
    mutating func closeRotated(in book: inout IncidentBook, passwordChanges: [String: PasswordChange]) {
        for var incident in book.incidents where incident.kind.closesOnRotation && incident.state.isActive {
            guard let lastUse = incident.lastUseAt else { continue }
            let accounts = incident.subject == "*" ? tenant.accounts : [tenant.account(incident.subject)
                ?? WatchedAccount(objectID: incident.subject, displayName: incident.subjectName)]
            guard !accounts.isEmpty else { continue }
            let verdicts = accounts.map { account in
                let change = (account.objectID ?? account.userPrincipalName?.lowercased()).flatMap { passwordChanges[$0] }
                return RotationVerdict.evaluate(
                    account: account.label, accountID: account.objectID, lastSuccessfulSignIn: lastUse,
                    passwordChanges: change.map { [($0.at, $0.source)] } ?? [], now: now,
                    rotationGraceHours: tenant.rotationGraceHours, auditsRead: true)
            }
            guard verdicts.allSatisfy({ $0.status == .rotated }) else { continue }
            close(&incident, because: verdicts.map(\.message).joined(separator: " "), in: &book)
        }
    }

    mutating func close(_ incident: inout Incident, because reason: String, in book: inout IncidentBook) {
        incident.state = .closed
        incident.closedAt = now
        incident.closedBecause = reason
        book.save(incident)
        book.append(IncidentEvent(id: WatchID.make(at: now), incidentID: incident.id, at: now, kind: .closed, summary: reason))
        touch(incident.id, .closed)
    }

    /// One outbox message per notifier for each notice owed, in the order things happened.
    func notify(in book: inout IncidentBook, notifiers: [any Notifier], link: String?) throws {
        for (id, owed) in touched {
            guard let incident = book.incident(id) else { continue }
            var notices = owed
            // An incident opened in this batch owes "opened" only (its first sign-ins are in it), then what followed.
            if notices.contains(.opened) { notices.removeAll { $0 == .updated } }
            let latest = book.events.last { $0.incidentID == id }
            for event in notices.sorted(by: { Self.order($0) < Self.order($1) }) {
                var snapshot = incident
                if event == .opened, notices.contains(.closed) || notices.contains(.acknowledged) {
                    // The opening notice describes the incident as it was opened.
                    snapshot.state = .open
                    snapshot.closedAt = nil
                    snapshot.closedBecause = nil
                }
                let notice = Notice(event: event, incident: snapshot, tenantName: tenant.name, latest: latest,
                                    link: link.map { "\($0.hasSuffix("/") ? String($0.dropLast()) : $0)/incidents/\(id)" },
                                    at: now)
                for notifier in notifiers {
                    book.enqueue(OutboxMessage(id: WatchID.make(at: now), tenantID: tenant.id, incidentID: id,
                                               notifier: notifier.name, event: event.type,
                                               payload: try notifier.render(notice), createdAt: now))
                }
            }
        }
    }

    static func order(_ event: Notice.Event) -> Int {
        switch event {
        case .opened: 0
        case .updated: 1
        case .acknowledged: 2
        case .closed: 3
        }
    }
}

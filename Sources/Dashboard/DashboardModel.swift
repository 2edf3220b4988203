import EntraModel
import Foundation
import Watch

/// What the page shows and the JSON API returns, built from the store: per tenant its polling state, open
/// incidents with their timelines, the accounts (posture problems, password age, last sign-in and drill) and the
/// failure-scenario grid of the last audit.
struct DashboardModel: Codable, Sendable {
    struct TimelineEntry: Codable, Sendable {
        var at: Date
        var atText: String
        var kind: String
        var summary: String
    }

    struct IncidentView: Codable, Sendable {
        var id: String
        var tenantID: String
        var kind: String
        var title: String
        var subject: String
        var state: String
        var isOpen: Bool
        var isAcknowledged: Bool
        var isClosed: Bool
        var needsRotation: Bool
        var openedAt: Date
        var openedAtText: String
        var lastUseAt: Date?
        var acknowledgedBy: String?
        var reason: String?
        var note: String?
        var closedAt: Date?
        var closedBecause: String?
        var summary: String
        var timeline: [TimelineEntry]
    }

    struct AccountView: Codable, Sendable {
        var id: String
        var name: String
        var passwordAgeDays: Int?
        var passwordAgeText: String
        var lastPasswordChange: Date?
        var lastSignIn: Date?
        var lastSignInText: String
        var lastDrill: Date?
        var lastDrillText: String
        var problems: [TenantPosture.Line]
        var hasProblems: Bool
        var passing: Int
        var enabled: Bool?
    }

    struct CellView: Codable, Sendable {
        var scenario: String
        var gotIn: Bool
        var mark: String
        var explanation: String
    }

    struct RowView: Codable, Sendable {
        var name: String
        var tag: String
        var isEmergency: Bool
        var cells: [CellView]
    }

    struct ScenarioView: Codable, Sendable {
        var scenario: String
        var summary: String
        var recoverable: Bool
    }

    struct TenantView: Codable, Sendable {
        var id: String
        var name: String
        var lastPollText: String
        var pollOK: Bool
        var pollError: String?
        var signInLogs: String?
        var auditedText: String
        var hasPosture: Bool
        var summary: AuditSummaryView?
        var tenantProblems: [TenantPosture.Line]
        var hasTenantProblems: Bool
        var incidents: [IncidentView]
        var hasIncidents: Bool
        var accounts: [AccountView]
        var scenarios: [ScenarioView]
        var grid: [RowView]
        var gridOmitted: Int
        var hasOmitted: Bool
        var allRecoverable: Bool
    }

    struct AuditSummaryView: Codable, Sendable {
        var pass: Int
        var fail: Int
        var warn: Int
        var unknown: Int
    }

    var generatedAt: Date
    var generatedText: String
    var store: String
    var tenants: [TenantView]
    var outbox: OutboxSummary
    var openIncidents: Int

    static func text(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        let seconds = now.timeIntervalSince(date)
        let stamp = GraphDate.format(date).replacingOccurrences(of: "T", with: " ")
        switch seconds {
        case ..<0: return stamp
        case ..<90: return "\(stamp) (just now)"
        case ..<5400: return "\(stamp) (\(Int(seconds / 60)) min ago)"
        case ..<172_800: return "\(stamp) (\(Int(seconds / 3600)) h ago)"
        default: return "\(stamp) (\(Int(seconds / 86_400)) days ago)"
        }
    }

    static func incident(_ incident: Incident, timeline: [IncidentEvent], now: Date) -> IncidentView {
        IncidentView(
            id: incident.id, tenantID: incident.tenantID, kind: incident.kind.rawValue, title: incident.kind.title,
            subject: incident.subjectName, state: incident.state.rawValue, isOpen: incident.state == .open,
            isAcknowledged: incident.state == .acknowledged, isClosed: incident.state == .closed,
            needsRotation: incident.kind.closesOnRotation && incident.state.isActive, openedAt: incident.openedAt,
            openedAtText: text(incident.openedAt, now: now), lastUseAt: incident.lastUseAt,
            acknowledgedBy: incident.acknowledgedBy, reason: incident.reason?.rawValue, note: incident.note,
            closedAt: incident.closedAt, closedBecause: incident.closedBecause, summary: incident.summary,
            timeline: timeline.map {
                TimelineEntry(at: $0.at, atText: GraphDate.format($0.at).replacingOccurrences(of: "T", with: " "),
                              kind: $0.kind.rawValue, summary: $0.summary)
            })
    }

    static func build(store: any WatchStore, tenants: [WatchedTenant], only tenantID: String? = nil,
                      now: Date) async throws -> DashboardModel {
        let statuses = Dictionary(try await store.tenantStatuses().map { ($0.tenantID, $0) }, uniquingKeysWith: { a, _ in a })
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var views: [TenantView] = []
        var openCount = 0
        for tenant in tenants where tenantID == nil || tenant.matches(tenantID ?? "") {
            let status = statuses[tenant.id]
            let posture = try await store.posture(tenant: tenant.id).flatMap {
                try? decoder.decode(TenantPosture.self, from: Data($0.body.utf8))
            }
            let active = try await store.incidents(tenant: tenant.id, activeOnly: true, limit: 200)
            openCount += active.count
            var incidents: [IncidentView] = []
            for incident in active {
                incidents.append(Self.incident(incident, timeline: try await store.timeline(incidentID: incident.id), now: now))
            }
            let recent = try await store.incidents(tenant: tenant.id, activeOnly: false, limit: 500)
            let states = Dictionary(try await store.accounts(tenant: tenant.id).map { ($0.accountID, $0) },
                                    uniquingKeysWith: { a, _ in a })
            var accounts: [AccountView] = []
            let postureAccounts = posture?.accounts ?? []
            var ids = tenant.accounts.compactMap(\.objectID)
            for account in postureAccounts where !ids.contains(account.id) { ids.append(account.id) }
            for id in ids {
                let audited = postureAccounts.first { $0.id == id }
                let state = states[id]
                let name = state?.name ?? audited?.name ?? tenant.account(id)?.label ?? id
                let changed = [state?.lastPasswordChangeAt, audited?.lastPasswordChange].compactMap { $0 }.max()
                let signedIn = [state?.lastSignInAt, audited?.lastSuccessfulSignIn].compactMap { $0 }.max()
                let drill = recent.filter { $0.kind == .signIn && $0.subject == id && $0.reason == .drill }
                    .compactMap { $0.lastUseAt ?? $0.openedAt }.max()
                let age = changed.map { Int(now.timeIntervalSince($0) / 86_400) }
                accounts.append(AccountView(
                    id: id, name: name, passwordAgeDays: age,
                    passwordAgeText: age.map { "\($0) days" } ?? "unknown", lastPasswordChange: changed,
                    lastSignIn: signedIn, lastSignInText: text(signedIn, now: now), lastDrill: drill,
                    lastDrillText: drill.map { text($0, now: now) } ?? "none recorded",
                    problems: audited?.problems ?? [], hasProblems: !(audited?.problems.isEmpty ?? true),
                    passing: audited?.passing ?? 0, enabled: state?.accountEnabled))
            }
            let summary = posture.map {
                AuditSummaryView(pass: $0.summary.pass, fail: $0.summary.fail, warn: $0.summary.warn, unknown: $0.summary.unknown)
            }
            views.append(TenantView(
                id: tenant.id, name: posture?.tenantName ?? tenant.name,
                lastPollText: text(status?.lastPollAt, now: now), pollOK: status?.lastPollSucceeded ?? false,
                pollError: status?.lastError, signInLogs: status?.signInLogs,
                auditedText: posture.map { text($0.auditedAt, now: now) } ?? "not audited yet", hasPosture: posture != nil,
                summary: summary, tenantProblems: posture?.tenantProblems ?? [],
                hasTenantProblems: !(posture?.tenantProblems.isEmpty ?? true), incidents: incidents,
                hasIncidents: !incidents.isEmpty, accounts: accounts,
                scenarios: (posture?.scenarios ?? []).map { ScenarioView(scenario: $0.scenario, summary: $0.summary, recoverable: $0.recoverable) },
                grid: (posture?.grid ?? []).map { row in
                    RowView(name: row.name,
                            tag: row.isEmergency ? "emergency" : (row.isGlobalAdministrator ? "Global Administrator" : "administrator"),
                            isEmergency: row.isEmergency,
                            cells: row.cells.map { CellView(scenario: $0.scenario, gotIn: $0.gotIn, mark: $0.gotIn ? "✓" : "✗",
                                                            explanation: $0.explanation) })
                },
                gridOmitted: posture?.gridOmitted ?? 0, hasOmitted: (posture?.gridOmitted ?? 0) > 0,
                allRecoverable: posture?.scenarios.allSatisfy(\.recoverable) ?? false))
        }
        return DashboardModel(generatedAt: now, generatedText: GraphDate.format(now).replacingOccurrences(of: "T", with: " "),
                              store: store.backend, tenants: views, outbox: try await store.outboxSummary(),
                              openIncidents: openCount)
    }
}

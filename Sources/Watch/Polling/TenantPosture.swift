import EntraModel
import Foundation
import Graph
import Lockout
import Posture

/// The last audit of a tenant as the page shows it: the check results, the accounts, and the failure-scenario grid
/// (administrators × scenarios) from Lockout's simulation.
public struct TenantPosture: Sendable, Codable, Hashable {
    public struct Account: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var lastPasswordChange: Date?
        public var lastSuccessfulSignIn: Date?
        /// The results about this account that do not pass (check, status, message).
        public var problems: [Line]
        public var passing: Int
    }

    public struct Line: Sendable, Codable, Hashable {
        public var check: String
        public var title: String
        public var severity: String
        public var status: String
        public var subject: String
        public var message: String
    }

    public struct Cell: Sendable, Codable, Hashable {
        public var scenario: String
        public var gotIn: Bool
        /// Why not, or how (the first failing resource's explanation).
        public var explanation: String
    }

    public struct Row: Sendable, Codable, Hashable {
        public var name: String
        public var isEmergency: Bool
        public var isGlobalAdministrator: Bool
        public var cells: [Cell]
    }

    public struct Verdict: Sendable, Codable, Hashable {
        public var scenario: String
        public var summary: String
        public var recoverable: Bool
    }

    public var tenantID: String
    public var tenantName: String
    public var auditedAt: Date
    public var source: String
    public var summary: AuditReport.Summary
    public var accounts: [Account]
    /// Tenant-wide results that do not pass.
    public var tenantProblems: [Line]
    public var scenarios: [Verdict]
    public var grid: [Row]
    /// Administrators left out of the grid (it shows emergency accounts first, then up to a page of others).
    public var gridOmitted: Int

    static let gridLimit = 24

    /// Runs the catalogue and the admin-path matrix on a tenant.
    public init(context: TenantContext, tenantID: String, version: String) {
        let findings = Catalogue.run(in: context)
        let report = AuditReport(context: context, findings: findings, version: version)
        self.tenantID = tenantID
        tenantName = context.snapshot.organization.displayName ?? tenantID
        auditedAt = context.now
        source = context.source
        summary = report.summary
        func line(_ result: AuditReport.Result) -> Line {
            Line(check: result.check, title: result.title, severity: result.severity.rawValue, status: result.status.rawValue,
                 subject: result.subject.name, message: result.message)
        }
        let accountIDs = Set(context.emergencyAccounts.map { ($0.user?.id ?? $0.id).lowercased() })
        accounts = context.emergencyAccounts.map { account in
            let id = (account.user?.id ?? account.id).lowercased()
            let own = report.results.filter { $0.subject.id.lowercased() == id }
            return Account(id: id, name: account.name, lastPasswordChange: account.user?.lastPasswordChangeDateTime,
                           lastSuccessfulSignIn: account.user.flatMap { context.lastSuccessfulSignIn(of: $0).date },
                           problems: own.filter { $0.status != .pass && $0.status != .notApplicable }.map(line),
                           passing: own.filter { $0.status == .pass }.count)
        }
        tenantProblems = report.results.filter {
            !accountIDs.contains($0.subject.id.lowercased()) && $0.status != .pass && $0.status != .notApplicable
        }.map(line)

        let simulation = Simulation(evaluator: context.evaluator)
        let emergency = context.resolvedAccounts.map(\.user)
        var users = emergency
        for admin in context.directory.activeAdministrators(at: context.now) where !users.contains(where: { $0.id == admin.id }) {
            users.append(admin)
        }
        let shown = Array(users.prefix(max(Self.gridLimit, emergency.count)))
        gridOmitted = users.count - shown.count
        let matrix = LockoutMatrix(simulation: simulation, users: shown, priority: Set(emergency.map(\.id)))
        scenarios = matrix.verdicts.map {
            Verdict(scenario: $0.scenario.rawValue, summary: $0.scenario.summary, recoverable: $0.isRecoverable)
        }
        grid = matrix.rows.map { row in
            Row(name: row.user.name, isEmergency: row.isPriority, isGlobalAdministrator: row.isGlobalAdministrator,
                cells: matrix.scenarios.map { scenario in
                    let outcomes = AdminResource.allCases.compactMap { row.outcomes[scenario]?[$0] }
                    let gotIn = row.reachesAdminResource(in: scenario)
                    let explanation = (gotIn ? outcomes.first(where: \.succeeded) : outcomes.first)?.explanation ?? ""
                    return Cell(scenario: scenario.rawValue, gotIn: gotIn, explanation: explanation)
                })
        }
    }
}

/// Audits a tenant from a fresh capture through Graph: the same capture and catalogue as `breakglass audit --tenant`.
public struct PostureAuditor: Sendable {
    let client: GraphClient
    let arm: GraphClient?
    let configuration: Configuration
    let version: String
    let now: @Sendable () -> Date

    public init(client: GraphClient, arm: GraphClient? = nil, configuration: Configuration, version: String,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.arm = arm
        self.configuration = configuration
        self.version = version
        self.now = now
    }

    public func audit(tenantID: String) async throws -> TenantPosture {
        let configuration = self.configuration
        let capture = SnapshotCapture(client: client, arm: arm, cloud: client.endpoints.cloud.rawValue,
                                      capturedBy: "breakglass watch \(version)", now: now)
        let files = try await capture.run(extraGroups: configuration.exclusionGroup.map { [$0] } ?? []) { snapshot in
            TenantContext(snapshot: snapshot, configuration: configuration, now: Date()).emergencyAccounts
                .compactMap { $0.user?.id.lowercased() }
        }
        let snapshot = try SnapshotReader().read(from: MemorySource(files))
        var context = TenantContext(snapshot: snapshot, configuration: configuration, now: now(), source: "live")
        // The drills of custody.ledger for BG062 and BG063 (`watch` makes the path absolute).
        context.drillsOnFile = DrillsOnFile.read(
            configuration, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return TenantPosture(context: context, tenantID: tenantID, version: version)
    }
}

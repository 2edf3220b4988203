import AccessPolicy
import EntraModel
import Foundation
import Paths

/// An emergency account under audit: declared in the configuration, or discovered when none is declared.
public struct EmergencyAccount: Sendable, Hashable {
    /// The object id when resolved, else the configured id or UPN.
    public var id: String
    public var user: User?
    public var declared: Bool

    public var name: String { user?.name ?? id }
    public var subject: Subject { Subject(kind: .account, id: user?.id ?? id, name: name) }
}

/// Everything a check may read. Built once per audit; checks never do I/O or read the clock.
public struct TenantContext: Sendable {
    public let snapshot: Snapshot
    public let directory: Directory
    public let configuration: Configuration
    public let evaluator: Evaluator
    /// The time age-based checks measure against (`--as-of`, else the capture time, else now).
    public let now: Date
    /// `snapshot`, `live` or `demo`.
    public let source: String
    /// Declared accounts (resolved or not); discovered candidates when none are declared.
    public let emergencyAccounts: [EmergencyAccount]
    /// Configured accounts that match no user.
    public let unresolvedAccounts: [Configuration.AccountReference]
    /// Groups used to exclude the emergency accounts: the configured one and every group a policy excludes that
    /// holds an emergency account.
    public let exclusionGroups: [String]
    /// The runbook on file (`runbook.file` in breakglass.yml), read by the caller; BG064 compares it with the tenant.
    public var runbookOnFile: RunbookOnFile?
    /// The drills recorded in the custody ledger (`custody.ledger` in breakglass.yml), read by the caller; BG062
    /// counts them as tests and BG063 does not count their sign-ins as routine use. Nil when no ledger is named.
    public var drillsOnFile: DrillsOnFile?
    /// Who can take over or lock out the emergency accounts (BG023, BG024, `breakglass paths`).
    public let tierZero: TierZeroAnalysis

    public init(snapshot: Snapshot, configuration: Configuration, now: Date, source: String = "snapshot") {
        self.snapshot = snapshot
        let directory = Directory(snapshot)
        self.directory = directory
        self.configuration = configuration
        self.now = now
        self.source = source
        let evaluator = Evaluator(directory: directory, now: now)
        self.evaluator = evaluator

        var accounts: [EmergencyAccount] = []
        var unresolved: [Configuration.AccountReference] = []
        for reference in configuration.emergencyAccounts {
            if let user = directory.user(idOrUPN: reference.key) {
                if !accounts.contains(where: { $0.user?.id == user.id }) {
                    accounts.append(EmergencyAccount(id: user.id, user: user, declared: true))
                }
            } else {
                unresolved.append(reference)
                accounts.append(EmergencyAccount(id: reference.key, user: nil, declared: true))
            }
        }
        if configuration.emergencyAccounts.isEmpty {
            accounts = Discovery(directory: directory, evaluator: evaluator, now: now).candidates()
                .map { EmergencyAccount(id: $0.id, user: $0, declared: false) }
        }
        emergencyAccounts = accounts
        unresolvedAccounts = unresolved

        var groups: [String] = []
        if let configured = configuration.exclusionGroup { groups.append(configured.lowercased()) }
        let accountIDs = Set(accounts.compactMap { $0.user?.id.lowercased() })
        let accountGroups = accountIDs.reduce(into: Set<String>()) { $0.formUnion(directory.transitiveGroups(of: $1)) }
        for policy in snapshot.policies {
            for group in policy.conditions.users.excludeGroups.map({ $0.lowercased() })
            where accountGroups.contains(group) && !groups.contains(group) {
                groups.append(group)
            }
        }
        exclusionGroups = groups
        tierZero = TierZeroAnalysis(directory: directory, emergencyAccounts: accounts.compactMap { $0.user?.id },
                                    exclusionGroups: groups, now: now)
    }

    public var tenantSubject: Subject {
        Subject(kind: .tenant, id: snapshot.organization.id, name: snapshot.organization.displayName ?? snapshot.organization.id)
    }

    /// Accounts that resolved to a user.
    public var resolvedAccounts: [(account: EmergencyAccount, user: User)] {
        emergencyAccounts.compactMap { account in account.user.map { (account, $0) } }
    }

    public func isEmergencyAccount(_ id: String) -> Bool {
        emergencyAccounts.contains { $0.user?.id.lowercased() == id.lowercased() }
    }

    public func policySubject(_ policy: ConditionalAccessPolicy) -> Subject {
        Subject(kind: .policy, id: policy.id, name: policy.displayName)
    }

    public func groupSubject(_ id: String) -> Subject {
        Subject(kind: .group, id: id, name: directory.group(id)?.name ?? id)
    }
}

import Foundation

/// An emergency account to watch: by immutable object id (preferred), else by UPN.
public struct WatchedAccount: Sendable, Hashable, Comparable {
    public var objectID: String?
    public var userPrincipalName: String?
    public var displayName: String?

    public init(objectID: String?, userPrincipalName: String? = nil, displayName: String? = nil) {
        self.objectID = objectID?.lowercased()
        self.userPrincipalName = userPrincipalName
        self.displayName = displayName
    }

    /// What a person reads: the UPN, else the id.
    public var label: String { userPrincipalName ?? displayName ?? objectID ?? "?" }

    public static func < (lhs: WatchedAccount, rhs: WatchedAccount) -> Bool {
        (lhs.objectID ?? "~", lhs.userPrincipalName?.lowercased() ?? "") < (rhs.objectID ?? "~", rhs.userPrincipalName?.lowercased() ?? "")
    }
}

/// A group whose members bypass Conditional Access: changes to it are changes to the accounts' protection.
public struct WatchedGroup: Sendable, Hashable, Comparable {
    public var id: String
    public var displayName: String?

    public init(id: String, displayName: String? = nil) {
        self.id = id.lowercased()
        self.displayName = displayName
    }

    public static func < (lhs: WatchedGroup, rhs: WatchedGroup) -> Bool { lhs.id < rhs.id }
}

/// Where an alert goes: `monitoring.notify` of the configuration.
public struct Receiver: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case email, webhook, teams, slack, pagerduty
    }

    public var kind: Kind
    /// The e-mail address or the URL.
    public var target: String
    /// The environment variable holding an HMAC secret (never the secret itself).
    public var secretEnvironmentVariable: String?

    public init(kind: Kind, target: String, secretEnvironmentVariable: String? = nil) {
        self.kind = kind
        self.target = target
        self.secretEnvironmentVariable = secretEnvironmentVariable
    }
}

/// Everything the generators need, as plain values: the same input always gives the same bytes.
public struct MonitoringInput: Sendable, Hashable {
    /// The tenant's id (or, without a tenant, the configured name): it seeds the Sentinel rule ids.
    public var tenantID: String
    public var tenantName: String?
    public var accounts: [WatchedAccount]
    public var exclusionGroups: [WatchedGroup]
    public var receivers: [Receiver]

    /// Sorts accounts and groups (and drops repeats) so the order of the configuration does not change the output.
    public init(tenantID: String, tenantName: String? = nil, accounts: [WatchedAccount],
                exclusionGroups: [WatchedGroup] = [], receivers: [Receiver] = []) {
        self.tenantID = tenantID
        self.tenantName = tenantName
        var seen = Set<String>()
        self.accounts = accounts.sorted().filter { seen.insert($0.objectID ?? ($0.userPrincipalName ?? "").lowercased()).inserted }
        self.exclusionGroups = Array(Set(exclusionGroups.map(\.id))).sorted().compactMap { id in
            exclusionGroups.first { $0.id == id && $0.displayName != nil } ?? exclusionGroups.first { $0.id == id }
        }
        var receiverSeen = Set<Receiver>()
        self.receivers = receivers.filter { receiverSeen.insert($0).inserted }
    }

    public var tenantLabel: String { tenantName.map { "\($0) (\(tenantID))" } ?? tenantID }
    public var objectIDs: [String] { accounts.compactMap(\.objectID) }
    /// Accounts known only by UPN: matched by UPN, which a rename silences.
    public var accountsWithoutID: [WatchedAccount] { accounts.filter { $0.objectID == nil } }
}

public enum MonitoringError: Error, Equatable, Sendable {
    case noAccounts
    case destinationHasOtherFiles(path: String, files: [String])
    case cannotWrite(path: String, reason: String)
}

extension MonitoringError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .noAccounts:
            "no emergency accounts to watch: declare emergencyAccounts (by id) in breakglass.yml"
        case .destinationHasOtherFiles(let path, let files):
            "\(path) holds files this export did not write (\(files.prefix(5).joined(separator: ", "))); choose an empty or new folder"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

import EntraModel
import Foundation

/// The drills the custody ledger records, as the caller read them (`breakglass drill start|finish` writes them).
public enum DrillsOnFile: Sendable, Hashable {
    case read(path: String, [RecordedDrill])
    /// The ledger is missing, unreadable or fails verification: its drills cannot be trusted.
    case unusable(path: String, reason: String)

    public var path: String {
        switch self {
        case .read(let path, _), .unusable(let path, _): path
        }
    }
}

/// One drill from the ledger: the account, the window the sign-in was expected in, and what `drill finish` found.
public struct RecordedDrill: Sendable, Hashable {
    /// The account as breakglass.yml named it: object id or UPN.
    public var account: String
    public var windowStart: Date
    public var windowEnd: Date
    public var plannedBy: String
    public var approvedBy: [String]
    /// What `drill finish` found, when it ran: the sign-in inside the window and the password change after it.
    public var isFinished: Bool
    public var signedInAt: Date?
    public var passwordChangedAt: Date?

    public init(account: String, windowStart: Date, windowEnd: Date, plannedBy: String, approvedBy: [String] = [],
                isFinished: Bool = false, signedInAt: Date? = nil, passwordChangedAt: Date? = nil) {
        self.account = account
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.plannedBy = plannedBy
        self.approvedBy = approvedBy
        self.isFinished = isFinished
        self.signedInAt = signedInAt
        self.passwordChangedAt = passwordChangedAt
    }

    public func covers(_ date: Date) -> Bool { date >= windowStart && date <= windowEnd }

    public func isFor(_ user: User) -> Bool {
        let account = account.lowercased()
        return account == user.id.lowercased() || account == user.userPrincipalName?.lowercased()
    }
}

extension TenantContext {
    /// The drills recorded for `user`; empty when no ledger is named or it cannot be used.
    public func recordedDrills(of user: User) -> [RecordedDrill] {
        guard case .read(_, let drills)? = drillsOnFile else { return [] }
        return drills.filter { $0.isFor(user) }
    }

    /// When each recorded drill of `user` tested the account: the sign-in `drill finish` found, else a successful
    /// sign-in the tenant's data shows inside the drill's window (a drill started, signed in, not yet finished).
    /// Only tests at or before `now`.
    public func drillTests(of user: User) -> [(drill: RecordedDrill, signedInAt: Date)] {
        let signIns = successfulSignIns(of: user)?.map(\.createdDateTime) ?? []
        let fromActivity = user.signInActivity?.lastSuccessfulSignInDateTime.map { [$0] } ?? []
        return recordedDrills(of: user).compactMap { drill in
            let seen = drill.signedInAt ?? (signIns + fromActivity).filter(drill.covers).max()
            guard let seen, seen <= now else { return nil }
            return (drill, seen)
        }
    }
}

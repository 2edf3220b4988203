import AccessPolicy
import EntraModel
import Foundation

extension Check {
    /// Runs `body` for each resolved emergency account; unresolved declared accounts give `unknown`, and no account
    /// at all gives one tenant-level `unknown`.
    func forEachAccount(_ context: TenantContext, _ body: (EmergencyAccount, User) -> Finding) -> [Finding] {
        guard !context.emergencyAccounts.isEmpty else { return noAccounts(context) }
        return context.emergencyAccounts.map { account in
            guard let user = account.user else {
                return unknown(account.subject, "The configured account \(account.id) matches no user in users.json (see BG001).")
            }
            return body(account, user)
        }
    }

    /// Like `forEachAccount`, for checks that give several results per account.
    func flatMapAccounts(_ context: TenantContext, _ body: (EmergencyAccount, User) -> [Finding]) -> [Finding] {
        guard !context.emergencyAccounts.isEmpty else { return noAccounts(context) }
        return context.emergencyAccounts.flatMap { account -> [Finding] in
            guard let user = account.user else {
                return [unknown(account.subject, "The configured account \(account.id) matches no user in users.json (see BG001).")]
            }
            return body(account, user)
        }
    }
}

extension TenantContext {
    /// The methods the user can sign in with at `now`, or nil when the snapshot does not hold them: the registered
    /// ones that are usable (no expired or used Temporary Access Pass) and certificate-based authentication when a
    /// certificate is bound to the account (`Directory.authenticationMethods(ofUser:at:)`).
    public func methods(of user: User) -> [AuthenticationMethod]? {
        directory.authenticationMethods(ofUser: user.id, at: now)
    }

    /// Why the methods are unknown, for an `unknown` result.
    public func methodsUnavailable(_ user: User) -> String {
        if let reason = snapshot.whyUnavailable(.authenticationMethods) { return "\(reason)." }
        return "authentication-methods/\(user.id).json is not in the snapshot (needs UserAuthenticationMethod.Read.All)."
    }

    /// Successful sign-ins of the user from sign-ins.json, newest first; nil when the file is unavailable.
    public func successfulSignIns(of user: User) -> [SignIn]? {
        guard let signIns = snapshot.signIns else { return nil }
        return signIns.filter { $0.userId?.lowercased() == user.id.lowercased() && $0.succeeded }
            .sorted { $0.createdDateTime > $1.createdDateTime }
    }

    /// The last successful sign-in: the newest of `signInActivity` and sign-ins.json. `known` is false when neither
    /// source is available (no Entra ID P1).
    public func lastSuccessfulSignIn(of user: User) -> (date: Date?, known: Bool) {
        let fromActivity = user.signInActivity?.lastSuccessfulSignInDateTime
        let fromLog = successfulSignIns(of: user)?.first?.createdDateTime
        let known = user.signInActivity != nil || snapshot.signIns != nil
        let date = [fromActivity, fromLog].compactMap { $0 }.max()
        return (date, known)
    }

    public func describe(_ date: Date) -> String {
        let days = Int((now.timeIntervalSince(date) / 86_400).rounded(.down))
        let day = date.formatted(.iso8601.year().month().day())
        switch days {
        case ..<0: return day
        case 0: return "\(day), today"
        case 1: return "\(day), 1 day ago"
        default: return "\(day), \(days) days ago"
        }
    }
}

extension Array where Element == String {
    /// "a, b and c".
    var joinedAsList: String {
        switch count {
        case 0: ""
        case 1: self[0]
        default: dropLast().joined(separator: ", ") + " and " + (last ?? "")
        }
    }
}

import Foundation

/// BG060's rule applied to the logs: was the password changed after the account's last successful sign-in (within
/// the grace period)?
public struct RotationVerdict: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable {
        /// Changed after the last successful sign-in.
        case rotated
        /// No successful sign-in in the files: nothing to rotate.
        case noSignIn = "no-sign-in"
        /// Signed in, not changed yet, still within the grace period.
        case due
        /// Signed in and not changed within the grace period: rotate now.
        case overdue
        /// Signed in, but the files hold no directory audits, so a change cannot be seen.
        case unknown
    }

    public var account: String
    public var accountID: String?
    public var status: Status
    public var lastSuccessfulSignIn: Date?
    public var lastPasswordChange: Date?
    /// Where the last change was seen: `file:line (activity)` or the tenant's users.json.
    public var passwordChangeSource: String?
    public var deadline: Date?
    public var message: String

    static func all(events: [LogEvent], options: LogScanOptions, auditsRead: Bool) -> [RotationVerdict] {
        options.targets.accounts.map { account in
            let own = events.filter { event in
                if let id = account.objectID { return event.accountID == id }
                return event.account?.lowercased() == account.userPrincipalName?.lowercased()
            }
            return verdict(account, events: own, options: options, auditsRead: auditsRead)
        }
    }

    static func verdict(_ account: WatchedAccount, events: [LogEvent], options: LogScanOptions,
                        auditsRead: Bool) -> RotationVerdict {
        let signIn = events.filter { $0.kind == .signIn && $0.succeeded == true }.map(\.time).max()
        var changes: [(date: Date, source: String)] = events
            .filter { $0.kind == .changeToAccount && $0.isPasswordChange == true }
            .map { ($0.time, "\($0.activity ?? "password change"), \($0.file):\($0.line)") }
        if let id = account.objectID, let known = options.knownPasswordChanges[id] {
            changes.append((known, "users.json lastPasswordChangeDateTime"))
        }
        // A UPN the logs gave, when the configuration named the account by id only.
        let label = account.userPrincipalName ?? events.compactMap(\.account).first ?? account.label
        let failed = events.filter { $0.kind == .signIn && $0.succeeded == false }.count
        return evaluate(account: label, accountID: account.objectID, lastSuccessfulSignIn: signIn, passwordChanges: changes,
                        failedSignIns: failed, now: options.now, rotationGraceHours: options.rotationGraceHours,
                        auditsRead: auditsRead)
    }

    /// BG060's rule on what is known: the account's last successful sign-in, the password changes seen (with where
    /// each was seen), and whether directory audits were read at all. `logs scan` and the watch service both decide
    /// here.
    public static func evaluate(account: String, accountID: String?, lastSuccessfulSignIn signIn: Date?,
                                passwordChanges changes: [(date: Date, source: String)], failedSignIns failed: Int = 0,
                                now: Date, rotationGraceHours: Int, auditsRead: Bool) -> RotationVerdict {
        let change = changes.max { $0.date < $1.date }
        var verdict = RotationVerdict(account: account, accountID: accountID, status: .noSignIn,
                                      lastSuccessfulSignIn: signIn, lastPasswordChange: change?.date,
                                      passwordChangeSource: change?.source, deadline: nil, message: "")
        let grace = TimeInterval(rotationGraceHours * 3600)
        guard let signIn else {
            verdict.message = failed == 0
                ? "No successful sign-in in these files: nothing to rotate."
                : "No successful sign-in in these files (\(failed) failed): nothing to rotate."
            return verdict
        }
        // Strictly after: a change in the same second as the sign-in cannot be shown to follow it (fail-safe).
        if let change, change.date > signIn {
            verdict.status = .rotated
            verdict.message = "Password changed \(format(change.date)) (\(change.source)), after the last successful sign-in \(format(signIn))."
            return verdict
        }
        let deadline = signIn.addingTimeInterval(grace)
        verdict.deadline = deadline
        if !auditsRead {
            verdict.status = .unknown
            verdict.message = "Signed in \(format(signIn)); these files hold no directory audits, so a password change cannot be seen: scan the audit log too (rotation due by \(format(deadline)))."
            return verdict
        }
        let last = change.map { " (last change \(format($0.date)))" } ?? ""
        if now <= deadline {
            verdict.status = .due
            verdict.message = "Signed in \(format(signIn)); no password change since\(last): rotate it by \(format(deadline)) (\(rotationGraceHours)-hour grace)."
        } else {
            verdict.status = .overdue
            verdict.message = "Signed in \(format(signIn)) and the password was not changed after it\(last): rotate it now (it was due by \(format(deadline)))."
        }
        return verdict
    }

    static func format(_ date: Date) -> String { LogScanReport.timestamp(date) }
}

/// The result of `logs scan`: what was read, the timeline and the rotation verdicts.
public struct LogScanReport: Sendable, Codable, Hashable {
    public var files: [LogFileSummary]
    public var accounts: [String]
    public var since: Date?
    public var now: Date
    public var events: [LogEvent]
    public var rotation: [RotationVerdict]

    /// Some account signed in and its password was not changed within the grace period.
    public var needsRotation: Bool { rotation.contains { $0.status == .overdue } }

    /// `2026-11-16 16:55:20Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601).replacingOccurrences(of: "T", with: " ")
    }
}

import EntraModel
import Foundation

/// Something an emergency account did, or something done to it (or to what protects it), as one timeline entry.
public struct LogEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, Comparable {
        /// A sign-in of an emergency account.
        case signIn = "sign-in"
        /// A change whose target is an emergency account (a password reset, a new method, a role removed).
        case changeToAccount = "change-to-account"
        /// A change made by an emergency account while signed in.
        case changeByAccount = "change-by-account"
        /// A change to an exclusion group (its members, owners or settings).
        case exclusionGroupChange = "exclusion-group-change"
        /// A Conditional Access policy added, updated or deleted.
        case policyChange = "policy-change"

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var time: Date
    public var kind: Kind
    /// The emergency account concerned (its UPN, else its id), if any.
    public var account: String?
    public var accountID: String?

    // Sign-ins.
    public var succeeded: Bool?
    public var errorCode: String?
    public var failureReason: String?
    public var ipAddress: String?
    public var location: String?
    public var application: String?
    /// `success`, `failure` or `notApplied` (emergency accounts excluded from every policy expect `notApplied`).
    public var conditionalAccess: String?
    public var interactive: Bool?

    // Directory audits.
    public var activity: String?
    public var category: String?
    public var result: String?
    public var initiatedBy: String?
    public var target: String?
    /// A successful password reset or change of the account (BG060's rotation).
    public var isPasswordChange: Bool?
    /// For a policy change: whether it names an emergency account or an exclusion group.
    public var mentionsEmergencyAccess: Bool?
    /// For a change to an account: the names of the properties it modified (`AccountEnabled`, `PasswordProfile`).
    public var modifiedProperties: [String]?

    // Where it was read.
    public var file: String
    public var line: Int
    public var id: String?

    init(time: Date, kind: Kind, file: String, line: Int) {
        self.time = time
        self.kind = kind
        self.file = file
        self.line = line
    }

    /// Timeline order: time, then file and line (so the same input gives the same order).
    static func ordered(_ lhs: LogEvent, _ rhs: LogEvent) -> Bool {
        (lhs.time, lhs.file, lhs.line, lhs.kind) < (rhs.time, rhs.file, rhs.line, rhs.kind)
    }

    /// Events read twice (the same sign-in in a Graph export and a Log Analytics export) share this.
    var identity: String {
        if let id, !id.isEmpty { return "\(kind.rawValue)|\(id.lowercased())|\(accountID ?? "")" }
        return "\(kind.rawValue)|\(time.timeIntervalSince1970)|\(accountID ?? "")|\(activity ?? "")|\(ipAddress ?? "")"
    }
}

/// Turns records into timeline events: sign-ins of the accounts; audits that target them, that they initiated, that
/// touch an exclusion group, or that change a Conditional Access policy. Anything else is dropped (a needle can
/// match a record that is about someone else).
struct LogInterpreter {
    let targets: LogScanTargets

    func events(_ record: LogRecord, file: String, line: Int) -> [LogEvent] {
        switch record.shape {
        case .signIns: signIn(record, file: file, line: line).map { [$0] } ?? []
        case .directoryAudits: audit(record, file: file, line: line).map { [$0] } ?? []
        case .unknown: []
        }
    }

    func signIn(_ record: LogRecord, file: String, line: Int) -> LogEvent? {
        let userID = record.string("userid")
        let upn = record.string("userprincipalname", "username")
        guard let account = targets.account(id: userID, upn: upn),
            let time = record.date("createddatetime", "timegenerated", "timegeneratedutc", "dateutc", "date")
        else { return nil }
        var event = LogEvent(time: time, kind: .signIn, file: file, line: line)
        event.account = account.userPrincipalName ?? upn ?? account.label
        event.accountID = account.objectID
        let status = record.object("status")
        event.errorCode = status?.text("errorCode") ?? record.string("resulttype", "signinerrorcode", "errorcode")
        event.failureReason = status?.text("failureReason") ?? record.string("resultdescription", "failurereason")
        if let code = event.errorCode, !code.isEmpty {
            event.succeeded = code == "0"
        } else if let word = record.string("status") {
            event.succeeded = word.lowercased() == "success"
        }
        if event.succeeded == true { event.failureReason = nil }
        event.ipAddress = record.string("ipaddress")
        event.location = location(record)
        event.application = record.string("appdisplayname", "application")
        event.conditionalAccess = record.string("conditionalaccessstatus", "conditionalaccess")
        if let interactive = record.string("isinteractive") {
            event.interactive = interactive.lowercased() == "true"
        } else if let table = record.string("type", "category"), table.lowercased().contains("signinlogs") {
            event.interactive = !table.lowercased().contains("noninteractive")
        }
        event.id = record.string("id", "requestid")
        return event
    }

    func location(_ record: LogRecord) -> String? {
        let details = record.object("location") ?? record.object("locationdetails")
        if let details {
            let parts = [details.text("city"), details.text("state"), details.text("countryOrRegion")]
                .compactMap { $0 }.filter { !$0.isEmpty }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
        return record.string("location").flatMap { $0.isEmpty ? nil : $0 }
    }

    func audit(_ record: LogRecord, file: String, line: Int) -> LogEvent? {
        guard let time = record.date("activitydatetime", "timegenerated", "timegeneratedutc", "dateutc", "date"),
            let activity = record.string("activitydisplayname", "operationname", "activity")
        else { return nil }
        let audit = AuditFields(record)
        let targetAccounts = audit.targets.compactMap { targets.account(id: $0.id, upn: $0.userPrincipalName) }
        let initiator = targets.account(id: audit.initiatorID, upn: audit.initiatorUPN)
        let group = audit.targets.compactMap { targets.group(id: $0.id) }.first
            ?? targets.groups.first { group in audit.targets.contains { $0.values.contains { $0.lowercased().contains(group.id) } } }
        let service = record.string("loggedbyservice", "service") ?? ""
        let category = record.string("category")
        let isPolicy = activity.lowercased().contains(LogScanTargets.policyMarker)
            || (category?.lowercased() == "policy" && service.lowercased().contains("conditional access"))

        let kind: LogEvent.Kind
        let account: WatchedAccount?
        if let target = targetAccounts.first {
            (kind, account) = (.changeToAccount, target)
        } else if let initiator {
            (kind, account) = (.changeByAccount, initiator)
        } else if isPolicy {
            (kind, account) = (.policyChange, nil)
        } else if group != nil {
            (kind, account) = (.exclusionGroupChange, nil)
        } else {
            return nil
        }
        var event = LogEvent(time: time, kind: kind, file: file, line: line)
        if let account {
            let target = audit.targets.first { targets.account(id: $0.id, upn: $0.userPrincipalName) == account }
            let upn = kind == .changeToAccount ? target?.userPrincipalName : audit.initiatorUPN
            event.account = account.userPrincipalName ?? upn ?? account.label
            event.accountID = account.objectID
        }
        event.activity = activity
        event.category = category
        event.result = record.string("result")
        event.ipAddress = audit.initiatorIP
        event.initiatedBy = initiator.map { "\(event.kind == .changeByAccount ? event.account ?? $0.label : $0.userPrincipalName ?? audit.initiatorUPN ?? $0.label) (emergency account)" }
            ?? audit.initiatorName
        if kind == .exclusionGroupChange, let group {
            let groupTarget = audit.targets.first { $0.id?.lowercased() == group.id }
            let members = audit.targets.filter { $0.id?.lowercased() != group.id }.map(\.name).filter { !$0.isEmpty }
            let name = group.displayName ?? groupTarget?.displayName ?? group.id
            event.target = ([name] + members).joined(separator: ": ")
        } else {
            event.target = audit.targets.map(\.name).filter { !$0.isEmpty }.joined(separator: ", ")
        }
        event.id = record.string("id") ?? record.string("correlationid")
        if kind == .changeToAccount {
            event.isPasswordChange = Self.isPasswordChange(activity: activity, result: event.result, audit: audit)
            let modified = audit.targets.filter { targets.account(id: $0.id, upn: $0.userPrincipalName) != nil }
                .flatMap(\.modifiedProperties)
            if !modified.isEmpty { event.modifiedProperties = modified }
        }
        if isPolicy {
            let text = audit.targets.flatMap { [$0.id ?? ""] + $0.values }.joined(separator: " ").lowercased()
            event.mentionsEmergencyAccess = targets.accounts.contains { account in
                [account.objectID, account.userPrincipalName?.lowercased()].compactMap { $0 }.contains { text.contains($0) }
            } || targets.groups.contains { text.contains($0.id) }
        }
        return event
    }

    /// BG060's rotation: the password reset or changed (not merely a reset started or a change forced at next
    /// sign-in), or `Update user` with a new PasswordProfile — and the operation succeeded.
    static func isPasswordChange(activity: String, result: String?, audit: AuditFields) -> Bool {
        if let result, !result.isEmpty, result.lowercased() != "success" { return false }
        let name = activity.lowercased()
        let rotations = ["reset password (by admin)", "reset password (self-service)", "change password (self-service)",
                         "reset user password", "change user password", "reset password"]
        if rotations.contains(name) { return true }
        if name == "update user" {
            return audit.targets.contains { $0.modifiedProperties.contains { $0.lowercased() == "passwordprofile" } }
        }
        return false
    }
}

import EntraModel
import Foundation

/// Sign-in and directory-audit records as Microsoft Graph returns them (`GET /auditLogs/signIns`,
/// `GET /auditLogs/directoryAudits`), read with the same interpreter as `logs scan`: the watch service polls Graph
/// and classifies what it reads exactly as a scan of the downloaded files would.
public struct GraphLogReader: Sendable {
    public let targets: LogScanTargets

    public init(targets: LogScanTargets) { self.targets = targets }

    /// The events of one merged `{"value": [...]}` document; `source` names it in each event (`file`), the item's
    /// position is its `line`. Records about nobody we watch are dropped, as in a scan.
    public func events(page data: Data, source: String) throws -> [LogEvent] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw LogScanError.unknownFormat(file: source, reason: "not JSON")
        }
        let items: [JSONValue]
        switch value {
        case .object(let object): items = object["value"].flatMap { if case .array(let list) = $0 { list } else { nil } } ?? []
        case .array(let list): items = list
        default: items = []
        }
        let interpreter = LogInterpreter(targets: targets)
        var events: [LogEvent] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else { continue }
            events += interpreter.events(LogRecord(json: object), file: source, line: index + 1)
        }
        return events.sorted(by: LogEvent.ordered)
    }
}

extension LogEvent {
    /// The detection (Detections.swift) this event falls under, with the same activity rules as the KQL the
    /// exports write: sign-ins by result, changes to an account by activity, exclusion-group changes, and policy
    /// changes that name an emergency account or the exclusion group. Nil for a change made by an account (part of
    /// its use), for a password rotation (BG060's evidence, not an alarm) and for changes no detection names (a
    /// display name edited).
    public var detection: Detection.Kind? {
        switch kind {
        case .signIn: return succeeded == false ? .failedSignIn : .signIn
        case .exclusionGroupChange: return .exclusionGroupChange
        case .policyChange: return mentionsEmergencyAccess == true ? .policyChange : nil
        case .changeByAccount: return nil
        case .changeToAccount:
            if isPasswordChange == true { return nil }
            return Self.detection(activity: activity ?? "", category: category, modified: modifiedProperties ?? [])
        }
    }

    /// Mirrors the `where` clauses of `Detection.accountDisabledOrDeleted`, `credentialChange` and
    /// `membershipChange`.
    static func detection(activity: String, category: String?, modified: [String]) -> Detection.Kind? {
        let name = activity.lowercased()
        let properties = Set(modified.map { $0.lowercased() })
        if ["disable account", "delete user", "hard delete user"].contains(name) { return .accountDisabledOrDeleted }
        if name == "update user" {
            if properties.contains("accountenabled") { return .accountDisabledOrDeleted }
            if properties.contains("passwordprofile") || properties.contains(where: { $0.hasPrefix("strongauthentication") }) {
                return .credentialChange
            }
            return nil
        }
        if name.contains("password") || name.contains("credential") || name.contains("security info")
            || name.contains("security key") || name.contains("strong authentication") {
            return .credentialChange
        }
        let category = category?.lowercased() ?? ""
        if category == "rolemanagement" || category == "groupmanagement", name.contains("member") || name.contains("owner") {
            return .membershipChange
        }
        return nil
    }
}

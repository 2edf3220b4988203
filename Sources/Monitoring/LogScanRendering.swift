import Foundation

/// `logs scan` output formats.
public enum LogScanFormat: String, Sendable, CaseIterable {
    case text, json, csv
}

extension LogScanReport {
    public func rendered(_ format: LogScanFormat) -> String {
        switch format {
        case .text: text()
        case .json: json()
        case .csv: csv()
        }
    }

    func text() -> String {
        var lines: [String] = []
        let read = files.map { "\($0.file) (\($0.format), \($0.encoding), \($0.contents), \($0.recordsRead) records\($0.problems > 0 ? ", \($0.problems) malformed" : ""))" }
        lines.append("Read \(files.count) file\(files.count == 1 ? "" : "s"): \(read.joined(separator: "; ")).")
        lines.append("Emergency accounts: \(accounts.joined(separator: ", ")).")
        lines.append("")
        let heading = "Timeline (UTC)" + (since.map { ", since \(Self.timestamp($0))" } ?? "") + ": \(events.count) event\(events.count == 1 ? "" : "s")"
        lines.append(heading)
        if events.isEmpty { lines.append("  nothing about the emergency accounts in these files") }
        for event in events {
            lines.append("  \(Self.timestamp(event.time))  \(Self.describe(event))  [\(event.file):\(event.line)]")
        }
        lines.append("")
        lines.append("Rotation (BG060: the password is changed after every successful sign-in)")
        for verdict in rotation {
            let mark = switch verdict.status {
            case .rotated, .noSignIn: "ok     "
            case .due: "due    "
            case .overdue: "ROTATE "
            case .unknown: "unknown"
            }
            lines.append("  \(mark)  \(verdict.account): \(verdict.message)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line about an event, for a person.
    static func describe(_ event: LogEvent) -> String {
        let who = event.account ?? ""
        switch event.kind {
        case .signIn:
            var parts = [event.succeeded == true ? "sign-in succeeded" : event.succeeded == false ? "sign-in FAILED" : "sign-in"]
            if event.succeeded == false {
                parts[0] += " (" + [event.errorCode, event.failureReason].compactMap { $0 }.joined(separator: ": ") + ")"
            }
            if let ip = event.ipAddress { parts.append("from \(ip)" + (event.location.map { " (\($0))" } ?? "")) }
            if let app = event.application { parts.append("to \(app)") }
            if let ca = event.conditionalAccess { parts.append("Conditional Access: \(ca)") }
            if let interactive = event.interactive { parts.append(interactive ? "interactive" : "non-interactive") }
            return "\(who)  " + parts.joined(separator: ", ")
        case .changeToAccount:
            return "\(who)  changed: \(event.activity ?? "?")\(resultNote(event))\(event.isPasswordChange == true ? " [password rotated]" : "")"
                + (event.initiatedBy.map { " by \($0)" } ?? "") + (event.ipAddress.map { " from \($0)" } ?? "")
        case .changeByAccount:
            return "\(who)  did: \(event.activity ?? "?")\(resultNote(event))"
                + (event.target.flatMap { $0.isEmpty ? nil : " on \($0)" } ?? "") + (event.ipAddress.map { " from \($0)" } ?? "")
        case .exclusionGroupChange:
            return "exclusion group  \(event.activity ?? "?")\(resultNote(event))"
                + (event.target.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? "") + (event.initiatedBy.map { " by \($0)" } ?? "")
        case .policyChange:
            let mention = event.mentionsEmergencyAccess == true ? "names the emergency accounts or their group" : "does not name the emergency accounts or their group"
            return "Conditional Access  \(event.activity ?? "?")\(resultNote(event))"
                + (event.target.flatMap { $0.isEmpty ? nil : " '\($0)'" } ?? "") + (event.initiatedBy.map { " by \($0)" } ?? "")
                + "; \(mention)"
        }
    }

    static func resultNote(_ event: LogEvent) -> String {
        guard let result = event.result, !result.isEmpty, result.lowercased() != "success" else { return "" }
        return " (\(result))"
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601))
        }
        guard let data = try? encoder.encode(JSONReport(report: self)) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The timeline as CSV, one event a row.
    func csv() -> String {
        let header = ["time", "kind", "account", "accountId", "succeeded", "errorCode", "failureReason", "ipAddress",
                      "location", "application", "conditionalAccess", "interactive", "activity", "result", "initiatedBy",
                      "target", "passwordChange", "file", "line"]
        var rows = [header.joined(separator: ",")]
        for event in events {
            let values: [String?] = [
                event.time.formatted(.iso8601), event.kind.rawValue, event.account, event.accountID,
                event.succeeded.map(String.init), event.errorCode, event.failureReason, event.ipAddress, event.location,
                event.application, event.conditionalAccess, event.interactive.map(String.init), event.activity,
                event.result, event.initiatedBy, event.target, event.isPasswordChange.map(String.init), event.file,
                String(event.line),
            ]
            rows.append(values.map { SentinelExport.csvField($0 ?? "") }.joined(separator: ","))
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }
}

/// The JSON shape of a report (schema version 1).
private struct JSONReport: Encodable {
    var schemaVersion = 1
    var files: [LogFileSummary]
    var accounts: [String]
    var since: Date?
    var now: Date
    var events: [LogEvent]
    var rotation: [RotationVerdict]
    var needsRotation: Bool

    init(report: LogScanReport) {
        files = report.files
        accounts = report.accounts
        since = report.since
        now = report.now
        events = report.events
        rotation = report.rotation
        needsRotation = report.needsRotation
    }
}

import EntraModel
import Foundation

/// One record of a log file, its field names normalised so the formats meet: lower case, letters and digits only
/// (`userId`, `UserId` and "User ID" are all `userid`; "Date (UTC)" is `dateutc`; "TimeGenerated [UTC]" is
/// `timegeneratedutc`). Values stay JSON; a CSV cell is a string, and a string holding JSON (a dynamic column of a
/// Log Analytics export) is parsed when it is read as an object or a list.
struct LogRecord: Sendable {
    var fields: [String: JSONValue]

    init(json object: [String: JSONValue]) {
        var fields: [String: JSONValue] = [:]
        for (key, value) in object { fields[Self.normalise(key)] = value }
        self.fields = fields
    }

    init(header: [String], values: [String]) {
        var fields: [String: JSONValue] = [:]
        for (key, value) in zip(header, values) where !value.isEmpty {
            fields[Self.normalise(key)] = .string(value)
        }
        self.fields = fields
    }

    static func normalise(_ key: String) -> String {
        String(String.UnicodeScalarView(key.lowercased().unicodeScalars.filter {
            ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39)
        }))
    }

    func value(_ keys: [String]) -> JSONValue? {
        for key in keys {
            if let value = fields[key], value != .null { return value }
        }
        return nil
    }

    func string(_ keys: String...) -> String? { value(keys)?.text }
    func object(_ keys: String...) -> JSONValue? { value(keys)?.parsedObject }
    func list(_ keys: String...) -> [JSONValue]? { value(keys)?.parsedList }
    func date(_ keys: String...) -> Date? { string(keys).flatMap(LogDate.parse) }

    private func string(_ keys: [String]) -> String? { value(keys)?.text }

    /// What the record is, from its field names.
    var shape: LogShape { LogShape(keys: Set(fields.keys)) }
}

/// What a file (or one record) holds, from the field names of its first record or its CSV header.
enum LogShape: String, Sendable, Codable {
    case signIns = "sign-ins"
    case directoryAudits = "directory audits"
    case unknown

    init(keys: Set<String>) {
        let audit: Set<String> = ["activitydisplayname", "operationname", "activity", "activitydatetime", "initiatedby",
                                  "targetresources", "actorobjectid", "target1objectid"]
        let signIn: Set<String> = ["resulttype", "signinerrorcode", "createddatetime", "isinteractive",
                                   "conditionalaccessstatus", "conditionalaccess", "appdisplayname", "application"]
        let auditScore = keys.intersection(audit).count
        let signInScore = keys.intersection(signIn).count
        if auditScore == 0, signInScore == 0 {
            self = .unknown
        } else {
            self = auditScore >= signInScore ? .directoryAudits : .signIns
        }
    }
}

extension JSONValue {
    /// A scalar as text (numbers without a trailing `.0`).
    var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }

    /// An object, or a string holding one.
    var parsedObject: JSONValue? {
        switch self {
        case .object: return self
        case .string(let text) where text.first == "{": return JSONValue.parse(text).flatMap { $0.isObject ? $0 : nil }
        default: return nil
        }
    }

    /// A list, or a string holding one.
    var parsedList: [JSONValue]? {
        switch self {
        case .array(let items): return items
        case .string(let text) where text.first == "[":
            if case .array(let items) = JSONValue.parse(text) { return items }
            return nil
        default: return nil
        }
    }

    var isObject: Bool { if case .object = self { true } else { false } }

    static func parse(_ text: String) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    /// `value["a"]["b"]` as text.
    func text(_ path: String...) -> String? {
        var current: JSONValue? = self
        for key in path { current = current?.parsedObject?[key] }
        return current?.text
    }
}

/// The date-times of the exports: ISO 8601 (Graph, the admin center, `az monitor log-analytics query`) and the
/// Log Analytics portal's `11/16/2026, 4:55:20.123 PM` (month first, as it exports them; a first number above 12
/// is read as the day).
enum LogDate {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = GraphDate.parse(trimmed) { return date }
        if trimmed.count == 19 || trimmed.count == 16, let date = GraphDate.parse(trimmed + (trimmed.count == 16 ? ":00Z" : "Z")) {
            return date
        }
        return usDate(trimmed)
    }

    /// `M/d/yyyy, h:mm[:ss[.fff]] [AM|PM]` or `M/d/yyyy H:mm[:ss]`, UTC.
    static func usDate(_ text: String) -> Date? {
        let parts = text.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        guard parts.count >= 2 else { return nil }
        let date = parts[0].split(separator: "/").compactMap { Int($0) }
        let time = parts[1].split(separator: ":").map(String.init)
        guard date.count == 3, time.count >= 2, var hour = Int(time[0]), let minute = Int(time[1]) else { return nil }
        var (month, day, year) = (date[0], date[1], date[2])
        if month > 12 { swap(&month, &day) }
        let seconds = time.count > 2 ? Double(time[2]) ?? 0 : 0
        if parts.count > 2 {
            let meridiem = parts[2].uppercased()
            if meridiem == "PM", hour < 12 { hour += 12 }
            if meridiem == "AM", hour == 12 { hour = 0 }
        }
        guard (1...12).contains(month), (1...31).contains(day), year > 1900, hour < 24, minute < 60 else { return nil }
        let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, Int(seconds))
        return GraphDate.parse(iso).map { $0.addingTimeInterval(seconds - seconds.rounded(.down)) }
    }
}

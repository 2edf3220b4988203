import Foundation

/// One thing to watch for, as a KQL query over the Entra tables in Log Analytics, with what the alert rules and
/// analytics rules built from it need: severities, MITRE ATT&CK mapping and the columns that name the entities.
public struct Detection: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case signIn = "signin"
        case failedSignIn = "failed-signin"
        case credentialChange = "credential-change"
        case membershipChange = "membership-change"
        case exclusionGroupChange = "exclusion-group-change"
        case policyChange = "ca-policy-change"
        case accountDisabledOrDeleted = "account-disabled-deleted"
    }

    /// The columns of the result that name the account (object id, UPN) and the IP address, for entity mappings.
    public struct Entities: Sendable, Hashable {
        public var objectID: String
        public var userPrincipalName: String
        public var ipAddress: String
    }

    public var kind: Kind
    public var title: String
    /// What the query detects, for its header comment and the rules' descriptions.
    public var detects: String
    /// Azure Monitor severity, 0 (critical) to 4.
    public var azureSeverity: Int
    /// Sentinel severity: High, Medium, Low or Informational.
    public var sentinelSeverity: String
    public var tables: [String]
    public var tactics: [String]
    public var techniques: [String]
    /// The first line: the table or the `union` of tables.
    public var source: String
    /// `let` statements before the source, if any.
    public var preamble: [String] = []
    /// The operators after the source, one per line.
    public var pipeline: [String]
    public var entities: Entities

    public var slug: String { kind.rawValue }
    /// The name of the alert rule or analytics rule resource.
    public var ruleName: String { "breakglass-\(slug)" }

    /// The query as the alert rules run it.
    public var query: String { (preamble + [source] + pipeline).joined(separator: "\n") }

    /// The query for a scheduled Sentinel rule that looks back further than it runs, to catch late-ingested rows
    /// without alerting twice: only rows ingested since the previous run count (Microsoft Sentinel, "Handle
    /// ingestion delay in scheduled analytics rules").
    public func query(ingestedWithin window: String) -> String {
        (preamble + [source, "| where ingestion_time() > ago(\(window))"] + pipeline).joined(separator: "\n")
    }
}

/// Helpers that write KQL: literals, and lists of ids with the UPN as a comment.
enum KQL {
    /// A double-quoted KQL string literal.
    static func string(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }

    /// Text safe inside a `//` comment: one line.
    static func comment(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// The lines of a parenthesised list, one value per line with its comment:
    /// ```
    /// (
    ///     "6f1c…", // bg-01@contoso.onmicrosoft.com
    ///     "81f5…"  // bg-02@contoso.onmicrosoft.com
    /// )
    /// ```
    /// The first element is `(`, appended by the caller to the operator that takes the list.
    static func list(_ items: [(value: String, comment: String?)], indent: String) -> [String] {
        var lines = ["("]
        for (offset, item) in items.enumerated() {
            let separator = offset == items.count - 1 ? " " : ","
            var line = indent + "  " + string(item.value) + separator
            if let comment = item.comment, !comment.isEmpty { line += " // " + Self.comment(comment) }
            lines.append(line.trimmingTrailingSpaces)
        }
        lines.append(indent + ")")
        return lines
    }

    /// `<idExpression> in (ids…)`, with `or <upnExpression> in~ (upns…)` for accounts known only by UPN, as lines;
    /// the first line starts at the caller's position, the rest are indented by `indent`.
    static func accountMatch(_ input: MonitoringInput, idExpression: String, upnExpression: String,
                             indent: String) -> [String] {
        var lines: [String] = []
        let withID = input.accounts.filter { $0.objectID != nil }
        if !withID.isEmpty {
            let list = list(withID.map { ($0.objectID ?? "", $0.userPrincipalName ?? $0.displayName) }, indent: indent)
            lines.append("\(idExpression) in \(list[0])")
            lines += list.dropFirst()
        }
        let byUPN = input.accountsWithoutID.compactMap(\.userPrincipalName)
        if !byUPN.isEmpty {
            let list = list(byUPN.map { ($0, "no object id configured: matched by UPN") }, indent: indent)
            if lines.isEmpty {
                lines.append("\(upnExpression) in~ \(list[0])")
            } else {
                lines[lines.count - 1] += " or \(upnExpression) in~ \(list[0])"
            }
            lines += list.dropFirst()
        }
        return lines
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

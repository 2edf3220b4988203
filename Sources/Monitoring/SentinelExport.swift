import Foundation

/// Microsoft Sentinel analytics rules in the YAML format of the Azure-Sentinel repository (`Detections/*.yaml`,
/// `Solutions/*/Analytic Rules/*.yaml`), one file per detection, and the `BreakGlassAccounts` watchlist as CSV.
public enum SentinelExport {
    public static let watchlistFile = "BreakGlassAccounts.csv"
    /// How often the rules run, and how far back they look: an hour, with only rows ingested since the previous run
    /// counting, so a row that reaches the workspace up to an hour late is still caught, and only once.
    static let frequency = "5m"
    static let period = "1h"

    public static func files(_ input: MonitoringInput) throws -> [String: String] {
        var files: [String: String] = [:]
        for detection in try Detection.all(for: input) {
            files["\(detection.ruleName).yaml"] = rule(detection, input)
        }
        files[watchlistFile] = watchlist(input)
        return files
    }

    static func rule(_ detection: Detection, _ input: MonitoringInput) -> String {
        var lines = [
            "id: \(NameBasedUUID.sentinelRule(tenantID: input.tenantID, rule: detection.ruleName))",
            "name: \(yamlString(detection.title))",
            "description: |",
        ]
        lines += Text.wrap(detection.detects + " Tenant: \(input.tenantLabel). Written by `breakglass export sentinel`.",
                           width: 116).map { "  " + $0 }
        lines += [
            "severity: \(detection.sentinelSeverity)",
            "requiredDataConnectors:",
            "  - connectorId: AzureActiveDirectory",
            "    dataTypes:",
        ]
        lines += detection.tables.map { "      - \($0)" }
        lines += [
            "queryFrequency: \(frequency)",
            "queryPeriod: \(period)",
            "triggerOperator: gt",
            "triggerThreshold: 0",
            "status: Available",
            "tactics:",
        ]
        lines += detection.tactics.map { "  - \($0)" }
        lines.append("relevantTechniques:")
        lines += detection.techniques.map { "  - \($0)" }
        lines.append("query: |")
        lines += detection.query(ingestedWithin: frequency).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }
        lines += [
            "entityMappings:",
            "  - entityType: Account",
            "    fieldMappings:",
            "      - identifier: AadUserId",
            "        columnName: \(detection.entities.objectID)",
            "      - identifier: FullName",
            "        columnName: \(detection.entities.userPrincipalName)",
            "  - entityType: IP",
            "    fieldMappings:",
            "      - identifier: Address",
            "        columnName: \(detection.entities.ipAddress)",
            "eventGroupingSettings:",
            "  aggregationKind: AlertPerResult",
            "version: 1.0.0",
            "kind: Scheduled",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar: plain when it is safe, else single-quoted.
    static func yamlString(_ value: String) -> String {
        let plainSafe = !value.isEmpty && value.first.map { $0.isLetter || $0.isNumber } == true
            && !value.contains(": ") && !value.contains(" #") && !value.hasSuffix(":")
            && value.allSatisfy { $0 != "\n" && $0 != "'" && $0 != "\"" }
        return plainSafe ? value : "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// `ObjectId,UserPrincipalName,DisplayName`, one row per account (RFC 4180 quoting). Upload it as the watchlist
    /// `BreakGlassAccounts` with `ObjectId` as the search key.
    static func watchlist(_ input: MonitoringInput) -> String {
        var rows = ["ObjectId,UserPrincipalName,DisplayName"]
        for account in input.accounts {
            rows.append([account.objectID ?? "", account.userPrincipalName ?? "", account.displayName ?? ""]
                .map(csvField).joined(separator: ","))
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import EntraModel
import Foundation
import Posture

/// SARIF 2.1.0 for GitHub code scanning: rules are the catalogue's checks, results the non-pass results, located by
/// logical locations (the account, policy, group or scenario) since there is no source file.
public enum SARIFReport {
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    static func level(_ result: AuditReport.Result) -> String {
        switch result.status {
        case .fail: result.severity >= .high ? "error" : "warning"
        case .warn: "warning"
        default: "note"
        }
    }

    public static func render(_ results: [AuditReport.Result], toolVersion: String, catalogue: [CheckMetadata],
                              emulated: Bool = false, configuration: String? = nil) -> String {
        let rules: [JSONValue] = catalogue.map { check in
            .object([
                "id": .string(check.id),
                "name": .string(check.title.components(separatedBy: CharacterSet.alphanumerics.inverted).map(\.capitalized).joined()),
                "shortDescription": ["text": .string(check.title)],
                "fullDescription": ["text": .string(check.rationale)],
                "help": [
                    "text": .string("Portal: \(check.remediation.portal)\nGraph: \(check.remediation.graph)"),
                    "markdown": .string("**Portal:** \(check.remediation.portal)\n\n**Graph:** `\(check.remediation.graph)`"),
                ],
                "helpUri": .string(check.references.first?.url ?? "https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access"),
                "defaultConfiguration": ["level": .string(check.severity >= .high ? "error" : "warning")],
                "properties": [
                    "security-severity": .string(securitySeverity(check.severity)),
                    "tags": ["security", "entra-id", "emergency-access"],
                ],
            ])
        }
        let index = Dictionary(catalogue.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let sarifResults: [JSONValue] = results.filter { $0.status != .pass && $0.status != .notApplicable }.map { result in
            var locations: [JSONValue] = [location(result.subject)]
            if let related = result.related { locations.append(location(related)) }
            var object: [String: JSONValue] = [
                "ruleId": .string(result.check),
                "level": .string(level(result)),
                "message": ["text": .string((emulated ? "[emulated data, not Microsoft Graph] " : "") + result.message)],
                "locations": [["logicalLocations": .array(locations)]],
                "partialFingerprints": [
                    "breakglass/v1": .string([result.check, result.subject.id, result.related?.id ?? ""].joined(separator: "|")),
                ],
                "properties": ["severity": .string(result.severity.rawValue), "status": .string(result.status.rawValue)],
            ]
            if let ruleIndex = index[result.check] { object["ruleIndex"] = .number(Double(ruleIndex)) }
            return .object(object)
        }
        var run: [String: JSONValue] = [
            "tool": ["driver": [
                "name": "breakglass", "version": .string(toolVersion),
                "informationUri": "https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access",
                "rules": .array(rules),
            ]],
            "results": .array(sarifResults),
        ]
        var properties: [String: JSONValue] = [:]
        if emulated { properties["emulated"] = true }
        if let configuration { properties["configuration"] = .string(configuration) }
        if !properties.isEmpty { run["properties"] = .object(properties) }
        let document: JSONValue = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [.object(run)],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(document), as: UTF8.self)) ?? "{}"
    }

    static func location(_ subject: Subject) -> JSONValue {
        ["kind": .string(subject.kind == .policy ? "module" : "object"), "name": .string(subject.name),
         "fullyQualifiedName": .string("\(subject.kind.rawValue)/\(subject.id)")]
    }
}

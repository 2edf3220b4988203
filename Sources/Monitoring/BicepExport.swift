import Foundation

/// The same two deployments as `ARMExport`, in Bicep: `breakglass-alerts.bicep` (resource group) and
/// `diagnostic-setting.bicep` (`targetScope = 'tenant'`).
public enum BicepExport {
    public static let alertsFile = "breakglass-alerts.bicep"
    public static let diagnosticSettingFile = "diagnostic-setting.bicep"

    public static func files(_ input: MonitoringInput) throws -> [String: String] {
        let detections = try Detection.all(for: input)
        return [alertsFile: alerts(input, detections), diagnosticSettingFile: diagnosticSetting(input)]
    }

    static func alerts(_ input: MonitoringInput, _ detections: [Detection]) -> String {
        var out: [String] = []
        out += comment("""
            breakglass: Azure Monitor log search alerts on the emergency access accounts of \(input.tenantLabel).
            """)
        out.append("// Deploy: az deployment group create -g <resource group> -f \(alertsFile) -p workspaceId=<workspace resource id>")
        out.append("// Written by `breakglass export bicep`; regenerate it rather than edit it.")
        out.append("")
        out += param("workspaceId", description: "Resource id of the Log Analytics workspace that receives the Entra sign-in and audit logs.")
        out += param("location", description: "Region of the workspace: the alert rules are created there.",
                     default: "resourceGroup().location")
        out += param("actionGroupName", description: "Name of the action group to create.", default: "'ag-breakglass'")
        out += param("actionGroupShortName", description: "Short name of the action group, shown in e-mail and SMS (at most 12 characters).",
                     default: "'breakglass'", maxLength: 12)

        let names = ARMExport.receiverNames(input.receivers)
        var emails: [BicepValue] = []
        var webhooks: [BicepValue] = []
        for (receiver, name) in zip(input.receivers, names) {
            if receiver.kind == .email {
                emails.append(.object([("name", .string(name)), ("emailAddress", .string(receiver.target)),
                                       ("useCommonAlertSchema", .bool(true))]))
            } else {
                webhooks.append(.object([("name", .string(name)), ("serviceUri", .string(receiver.target)),
                                         ("useCommonAlertSchema", .bool(true))]))
            }
        }
        for note in ARMExport.receiverNotes(input.receivers) { out += comment(note) }
        out += resource("actionGroup", type: "Microsoft.Insights/actionGroups@\(ARMExport.actionGroupAPIVersion)", body: [
            ("name", .expression("actionGroupName")),
            ("location", .string("Global")),
            ("properties", .object([
                ("groupShortName", .expression("actionGroupShortName")),
                ("enabled", .bool(true)),
                ("emailReceivers", .array(emails)),
                ("webhookReceivers", .array(webhooks)),
            ])),
        ])

        for detection in detections {
            out += comment("\(detection.title): \(detection.detects)")
            out += resource(symbol(detection), type: "Microsoft.Insights/scheduledQueryRules@\(ARMExport.ruleAPIVersion)", body: [
                ("name", .string(detection.ruleName)),
                ("location", .expression("location")),
                ("kind", .string("LogAlert")),
                ("properties", .object([
                    ("displayName", .string(detection.title)),
                    ("description", .string(detection.detects)),
                    ("severity", .int(detection.azureSeverity)),
                    ("enabled", .bool(true)),
                    ("scopes", .array([.expression("workspaceId")])),
                    ("evaluationFrequency", .string("PT5M")),
                    ("windowSize", .string("PT5M")),
                    ("criteria", .object([("allOf", .array([.object([
                        ("query", .multiline(detection.query)),
                        ("timeAggregation", .string("Count")),
                        ("operator", .string("GreaterThan")),
                        ("threshold", .int(0)),
                        ("failingPeriods", .object([("numberOfEvaluationPeriods", .int(1)), ("minFailingPeriodsToAlert", .int(1))])),
                    ])]))])),
                    ("autoMitigate", .bool(false)),
                    ("actions", .object([
                        ("actionGroups", .array([.expression("actionGroup.id")])),
                        ("customProperties", .object([
                            ("breakglass.detection", .string(detection.slug)),
                            ("breakglass.tenant", .string(input.tenantID)),
                        ])),
                    ])),
                ])),
            ])
        }
        out.append("output actionGroupId string = actionGroup.id")
        return out.joined(separator: "\n") + "\n"
    }

    static func diagnosticSetting(_ input: MonitoringInput) -> String {
        var out: [String] = []
        out += comment("""
            breakglass: the Entra diagnostic setting of \(input.tenantLabel) that sends interactive and \
            non-interactive sign-in logs and audit logs to the workspace the alerts read.
            """)
        out.append("// Deploy: az deployment tenant create --location <region> -f \(diagnosticSettingFile) -p workspaceId=<workspace resource id>")
        out.append("// Written by `breakglass export bicep`; regenerate it rather than edit it.")
        out.append("targetScope = 'tenant'")
        out.append("")
        out += param("workspaceId", description: "Resource id of the Log Analytics workspace (the same as for \(alertsFile)).")
        out += param("settingName", description: "Name of the diagnostic setting.", default: "'breakglass-entra-logs'")
        out += resource("entraLogs", type: "microsoft.aadiam/diagnosticSettings@\(ARMExport.diagnosticSettingAPIVersion)", body: [
            ("name", .expression("settingName")),
            ("properties", .object([
                ("workspaceId", .expression("workspaceId")),
                ("logs", .array(ARMExport.logCategories.map { category in
                    .object([
                        ("category", .string(category)),
                        ("enabled", .bool(true)),
                        ("retentionPolicy", .object([("days", .int(0)), ("enabled", .bool(false))])),
                    ])
                })),
            ])),
        ])
        out.removeLast()
        return out.joined(separator: "\n") + "\n"
    }

    /// `signInRule`, `failedSignInRule`, … from the detection kind.
    static func symbol(_ detection: Detection) -> String { "\(detection.kind)Rule" }

    static func comment(_ text: String) -> [String] { Text.wrap(text, width: 116).map { "// \($0)" } }

    static func param(_ name: String, description: String, default value: String? = nil, maxLength: Int? = nil) -> [String] {
        var lines = ["@description(\(BicepValue.quote(description)))"]
        if let maxLength { lines.append("@maxLength(\(maxLength))") }
        lines.append("param \(name) string" + (value.map { " = \($0)" } ?? ""))
        lines.append("")
        return lines
    }

    static func resource(_ symbol: String, type: String, body: [(String, BicepValue)]) -> [String] {
        ["resource \(symbol) '\(type)' = " + BicepValue.object(body).rendered(indent: ""), ""]
    }
}

/// A Bicep value, printed the way `bicep format` lays values out: one property or element per line, two-space indent.
indirect enum BicepValue {
    case string(String)
    /// A `'''…'''` string when the text allows it (no `'''` inside), else an escaped one.
    case multiline(String)
    case int(Int)
    case bool(Bool)
    /// An expression written as is: a parameter, `actionGroup.id`, `resourceGroup().location`.
    case expression(String)
    case array([BicepValue])
    case object([(String, BicepValue)])

    func rendered(indent: String) -> String {
        let inner = indent + "  "
        switch self {
        case .string(let value): return Self.quote(value)
        case .multiline(let value):
            return value.contains("'''") ? Self.quote(value) : "'''\n\(value)'''"
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .expression(let value): return value
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: "\n") + "\n\(indent)]"
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            return "{\n" + members.map { inner + Self.key($0.0) + ": " + $0.1.rendered(indent: inner) }
                .joined(separator: "\n") + "\n\(indent)}"
        }
    }

    /// A property name: bare when it is an identifier, else quoted.
    static func key(_ name: String) -> String {
        let isIdentifier = name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return isIdentifier ? name : quote(name)
    }

    /// A single-quoted Bicep string: `\'`, `\\`, `\${` and control characters escaped.
    static func quote(_ value: String) -> String {
        var out = "'"
        var previous: Character?
        for character in value {
            switch character {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "$":
                out.removeLast()
                out += "\\${"
            default: out.append(character)
            }
            previous = character
        }
        return out + "'"
    }
}

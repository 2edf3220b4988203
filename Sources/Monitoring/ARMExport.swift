import Foundation

/// Two deployable ARM templates: the log search alert rules with their action group (resource-group scope,
/// `az deployment group create`), and the Entra diagnostic setting that sends the logs to the workspace (tenant
/// scope, `az deployment tenant create`: a tenant-scope resource cannot share a template with the others).
public enum ARMExport {
    public static let alertsFile = "breakglass-alerts.json"
    public static let diagnosticSettingFile = "diagnostic-setting.json"
    static let schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
    static let tenantSchema = "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#"
    static let ruleAPIVersion = "2023-12-01"
    static let actionGroupAPIVersion = "2023-01-01"
    static let diagnosticSettingAPIVersion = "2017-04-01"
    /// The Entra log categories the alerts read (category → table: SignInLogs → SigninLogs,
    /// NonInteractiveUserSignInLogs → AADNonInteractiveUserSignInLogs, AuditLogs → AuditLogs).
    public static let logCategories = ["SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs"]

    public static func files(_ input: MonitoringInput) throws -> [String: String] {
        let detections = try Detection.all(for: input)
        return [
            alertsFile: alertsTemplate(input, detections).rendered() + "\n",
            diagnosticSettingFile: diagnosticSettingTemplate(input).rendered() + "\n",
        ]
    }

    static func parameter(_ description: String, default value: OrderedJSON? = nil,
                          maxLength: Int? = nil) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [("type", "string")]
        if let value { members.append(("defaultValue", value)) }
        if let maxLength { members.append(("maxLength", .int(maxLength))) }
        members.append(("metadata", .object([("description", .string(description))])))
        return .object(members)
    }

    static func alertsTemplate(_ input: MonitoringInput, _ detections: [Detection]) -> OrderedJSON {
        let actionGroupID = "[resourceId('Microsoft.Insights/actionGroups', parameters('actionGroupName'))]"
        var resources: [OrderedJSON] = [actionGroup(input)]
        for detection in detections {
            resources.append(.object([
                ("type", "Microsoft.Insights/scheduledQueryRules"),
                ("apiVersion", .string(ruleAPIVersion)),
                ("name", .string(detection.ruleName)),
                ("location", "[parameters('location')]"),
                ("kind", "LogAlert"),
                ("dependsOn", [.string(actionGroupID)]),
                ("properties", .object([
                    ("displayName", .string(detection.title)),
                    ("description", .string(detection.detects)),
                    ("severity", .int(detection.azureSeverity)),
                    ("enabled", true),
                    ("scopes", ["[parameters('workspaceId')]"]),
                    ("evaluationFrequency", "PT5M"),
                    ("windowSize", "PT5M"),
                    ("criteria", .object([("allOf", [.object([
                        ("query", .string(detection.query)),
                        ("timeAggregation", "Count"),
                        ("operator", "GreaterThan"),
                        ("threshold", 0),
                        ("failingPeriods", .object([("numberOfEvaluationPeriods", 1), ("minFailingPeriodsToAlert", 1)])),
                    ])])])),
                    ("autoMitigate", false),
                    ("actions", .object([
                        ("actionGroups", [.string(actionGroupID)]),
                        ("customProperties", .object([
                            ("breakglass.detection", .string(detection.slug)),
                            ("breakglass.tenant", .string(input.tenantID)),
                        ])),
                    ])),
                ])),
            ]))
        }
        return .object([
            ("$schema", .string(schema)),
            ("contentVersion", "1.0.0.0"),
            ("metadata", .object([
                ("description", .string("""
                    Azure Monitor log search alerts on the emergency access accounts of \(input.tenantLabel): \
                    \(detections.map(\.title).joined(separator: "; ")). Written by `breakglass export arm`; regenerate \
                    it rather than edit it.
                    """)),
            ])),
            ("parameters", .object([
                ("workspaceId", parameter("Resource id of the Log Analytics workspace that receives the Entra sign-in and audit logs (/subscriptions/…/resourceGroups/…/providers/Microsoft.OperationalInsights/workspaces/…).")),
                ("location", parameter("Region of the workspace: the alert rules are created there.", default: "[resourceGroup().location]")),
                ("actionGroupName", parameter("Name of the action group to create.", default: "ag-breakglass")),
                ("actionGroupShortName", parameter("Short name of the action group, shown in e-mail and SMS (at most 12 characters).", default: "breakglass", maxLength: 12)),
            ])),
            ("resources", .array(resources)),
            ("outputs", .object([
                ("actionGroupId", .object([("type", "string"), ("value", .string(actionGroupID))])),
            ])),
        ])
    }

    /// Receiver names, unique within the group: `email-1`, `webhook-1`, `teams-1`, …
    static func receiverNames(_ receivers: [Receiver]) -> [String] {
        var counts: [Receiver.Kind: Int] = [:]
        return receivers.map { receiver in
            counts[receiver.kind, default: 0] += 1
            return "\(receiver.kind.rawValue)-\(counts[receiver.kind, default: 1])"
        }
    }

    /// What the template cannot say in a value: secrets stay out of it, and chat services want their own format.
    static func receiverNotes(_ receivers: [Receiver]) -> [String] {
        let names = receiverNames(receivers)
        var notes: [String] = []
        for (receiver, name) in zip(receivers, names) where receiver.kind != .email {
            var note = "\(name) (\(receiver.kind.rawValue)) receives the common alert schema."
            if let secret = receiver.secretEnvironmentVariable {
                note += " Its HMAC secret (environment variable \(secret)) is not in this template: Azure Monitor does not sign webhook calls, so keep the URL itself secret or verify calls in a relay."
            }
            switch receiver.kind {
            case .teams, .slack:
                note += " \(receiver.kind == .teams ? "A Teams workflow" : "A Slack incoming webhook") expects its own message format: point this receiver at a relay that converts the common alert schema."
            case .pagerduty:
                note += " Use the URL of a PagerDuty integration for Azure Monitor: the Events API v2 endpoint expects its own format."
            case .email, .webhook: break
            }
            notes.append(note)
        }
        if receivers.isEmpty {
            notes.append("monitoring.notify is empty in breakglass.yml: this action group has no receivers, so alerts notify nobody.")
        }
        return notes
    }

    static func actionGroup(_ input: MonitoringInput) -> OrderedJSON {
        let names = receiverNames(input.receivers)
        var emails: [OrderedJSON] = []
        var webhooks: [OrderedJSON] = []
        for (receiver, name) in zip(input.receivers, names) {
            if receiver.kind == .email {
                emails.append(.object([("name", .string(name)), ("emailAddress", .string(receiver.target)),
                                       ("useCommonAlertSchema", true)]))
            } else {
                webhooks.append(.object([("name", .string(name)), ("serviceUri", .string(receiver.target)),
                                         ("useCommonAlertSchema", true)]))
            }
        }
        var members: [(String, OrderedJSON)] = [
            ("type", "Microsoft.Insights/actionGroups"),
            ("apiVersion", .string(actionGroupAPIVersion)),
            ("name", "[parameters('actionGroupName')]"),
            ("location", "Global"),
        ]
        let notes = receiverNotes(input.receivers)
        if !notes.isEmpty { members.append(("comments", .string(notes.joined(separator: " ")))) }
        members.append(("properties", .object([
            ("groupShortName", "[parameters('actionGroupShortName')]"),
            ("enabled", true),
            ("emailReceivers", .array(emails)),
            ("webhookReceivers", .array(webhooks)),
        ])))
        return .object(members)
    }

    static func diagnosticSettingTemplate(_ input: MonitoringInput) -> OrderedJSON {
        .object([
            ("$schema", .string(tenantSchema)),
            ("contentVersion", "1.0.0.0"),
            ("metadata", .object([
                ("description", .string("""
                    Entra diagnostic setting of \(input.tenantLabel): interactive and non-interactive sign-in logs and \
                    audit logs to the Log Analytics workspace the breakglass alerts read. Tenant scope: deploy with \
                    `az deployment tenant create`. Written by `breakglass export arm`.
                    """)),
            ])),
            ("parameters", .object([
                ("workspaceId", parameter("Resource id of the Log Analytics workspace (the same as for breakglass-alerts.json).")),
                ("settingName", parameter("Name of the diagnostic setting.", default: "breakglass-entra-logs")),
            ])),
            ("resources", [
                .object([
                    ("type", "microsoft.aadiam/diagnosticSettings"),
                    ("apiVersion", .string(diagnosticSettingAPIVersion)),
                    ("name", "[parameters('settingName')]"),
                    ("properties", .object([
                        ("workspaceId", "[parameters('workspaceId')]"),
                        ("logs", .array(logCategories.map { category in
                            .object([
                                ("category", .string(category)),
                                ("enabled", true),
                                ("retentionPolicy", .object([("days", 0), ("enabled", false)])),
                            ])
                        })),
                    ])),
                ]),
            ]),
        ])
    }
}

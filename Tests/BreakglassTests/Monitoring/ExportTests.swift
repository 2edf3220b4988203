import Foundation
import Monitoring
import Testing
import Yams

/// The input the export tests share: the good fixture tenant's two accounts, its exclusion group and three receivers.
enum ExportFixture {
    static let ids = ["b9000001-0000-4000-8000-000000000001", "b9000001-0000-4000-8000-000000000002"]
    static let group = "e0000000-0000-4000-8000-0000000e0c10"

    static var input: MonitoringInput {
        MonitoringInput(
            tenantID: "f0000000-0000-4000-8000-0000000fab01", tenantName: "Fabrikam",
            accounts: [
                WatchedAccount(objectID: ids[1], userPrincipalName: "bg-02@fabrikam.onmicrosoft.com", displayName: "bg-02"),
                WatchedAccount(objectID: ids[0], userPrincipalName: "bg-01@fabrikam.onmicrosoft.com", displayName: "bg-01"),
            ],
            exclusionGroups: [WatchedGroup(id: group, displayName: "EA-Exclude")],
            receivers: [
                Receiver(kind: .email, target: "secops@fabrikam.com"),
                Receiver(kind: .webhook, target: "https://hooks.example.net/bg", secretEnvironmentVariable: "BG_WEBHOOK_SECRET"),
                Receiver(kind: .pagerduty, target: "https://events.pagerduty.com/integration/KEY/enqueue"),
            ])
    }

    static func text(_ format: ExportFormat, _ file: String, input: MonitoringInput = input) throws -> String {
        let data = try #require(try format.files(input)[file], "\(format) has no \(file)")
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite("breakglass export: KQL, ARM, Bicep and Sentinel")
struct MonitoringExportTests {
    @Test func kqlHasOneCommentedQueryPerDetection() throws {
        let files = try ExportFormat.kql.files(ExportFixture.input)
        #expect(files.keys.sorted() == Detection.Kind.allCases.map { "\($0.rawValue).kql" }.sorted())
        for (name, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.hasPrefix("// breakglass: "), "\(name)")
            #expect(text.contains("// Detects: "), "\(name)")
        }
        let signIn = try ExportFixture.text(.kql, "signin.kql")
        #expect(signIn.contains("union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs"))
        #expect(signIn.contains("\"b9000001-0000-4000-8000-000000000001\", // bg-01@fabrikam.onmicrosoft.com"))
        let group = try ExportFixture.text(.kql, "exclusion-group-change.kql")
        #expect(group.contains(ExportFixture.group) && group.contains("// EA-Exclude"))
        #expect(try ExportFixture.text(.kql, "ca-policy-change.kql").contains("Category =~ \"Policy\""))
    }

    @Test func withoutAnExclusionGroupThereIsNoGroupDetection() throws {
        var input = ExportFixture.input
        input.exclusionGroups = []
        #expect(try ExportFormat.kql.files(input)["exclusion-group-change.kql"] == nil)
    }

    @Test func noAccountsIsAnError() {
        #expect(throws: MonitoringError.noAccounts) {
            try ExportFormat.arm.files(MonitoringInput(tenantID: "t", accounts: []))
        }
    }

    @Test func armTemplateIsDeployableAsWritten() throws {
        let template = try ExportFixture.json(try ExportFixture.text(.arm, ARMExport.alertsFile))
        #expect(template["$schema"] as? String == "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")
        #expect(template["contentVersion"] as? String == "1.0.0.0")
        let parameters = try #require(template["parameters"] as? [String: [String: Any]])
        #expect(Set(parameters.keys) == ["workspaceId", "location", "actionGroupName", "actionGroupShortName"])
        #expect(parameters["actionGroupShortName"]?["maxLength"] as? Int == 12)
        let resources = try #require(template["resources"] as? [[String: Any]])

        let groups = resources.filter { $0["type"] as? String == "Microsoft.Insights/actionGroups" }
        let group = try #require(groups.first)
        #expect(groups.count == 1 && group["apiVersion"] as? String == "2023-01-01" && group["location"] as? String == "Global")
        let groupProperties = try #require(group["properties"] as? [String: Any])
        #expect(groupProperties["enabled"] as? Bool == true && groupProperties["groupShortName"] != nil)
        let emails = try #require(groupProperties["emailReceivers"] as? [[String: Any]])
        #expect(emails.map { $0["emailAddress"] as? String } == ["secops@fabrikam.com"])
        let hooks = try #require(groupProperties["webhookReceivers"] as? [[String: Any]])
        #expect(hooks.count == 2 && hooks.allSatisfy { $0["useCommonAlertSchema"] as? Bool == true })
        let comments = try #require(group["comments"] as? String)
        #expect(comments.contains("BG_WEBHOOK_SECRET"))

        let rules = resources.filter { $0["type"] as? String == "Microsoft.Insights/scheduledQueryRules" }
        #expect(rules.count == Detection.Kind.allCases.count)
        for rule in rules {
            let name = rule["name"] as? String ?? "?"
            #expect(rule["apiVersion"] as? String == "2023-12-01", "\(name)")
            #expect(rule["kind"] as? String == "LogAlert" && rule["location"] != nil, "\(name)")
            let properties = try #require(rule["properties"] as? [String: Any])
            for key in ["enabled", "scopes", "severity", "evaluationFrequency", "windowSize", "criteria", "autoMitigate"] {
                #expect(properties[key] != nil, "\(name) lacks \(key)")
            }
            #expect(properties["scopes"] as? [String] == ["[parameters('workspaceId')]"])
            #expect(properties["autoMitigate"] as? Bool == false)
            let criteria = try #require(properties["criteria"] as? [String: Any])
            let condition = try #require((criteria["allOf"] as? [[String: Any]])?.first)
            #expect(condition["timeAggregation"] as? String == "Count" && condition["operator"] as? String == "GreaterThan")
            #expect(condition["threshold"] as? Int == 0)
            let failing = try #require(condition["failingPeriods"] as? [String: Int])
            #expect(failing == ["numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1])
            let query = try #require(condition["query"] as? String)
            if name != "breakglass-exclusion-group-change" {
                for id in ExportFixture.ids { #expect(query.contains(id), "\(name) does not match \(id)") }
            }
            let actions = try #require(properties["actions"] as? [String: Any])
            #expect((actions["actionGroups"] as? [String])?.count == 1)
        }
        let signIn = try #require(rules.first { $0["name"] as? String == "breakglass-signin" }?["properties"] as? [String: Any])
        #expect(signIn["severity"] as? Int == 0)
        #expect(signIn["evaluationFrequency"] as? String == "PT5M" && signIn["windowSize"] as? String == "PT5M")
    }

    @Test func diagnosticSettingIsATenantTemplate() throws {
        let template = try ExportFixture.json(try ExportFixture.text(.arm, ARMExport.diagnosticSettingFile))
        #expect((template["$schema"] as? String)?.contains("tenantDeploymentTemplate.json") == true)
        let resource = try #require((template["resources"] as? [[String: Any]])?.first)
        #expect(resource["type"] as? String == "microsoft.aadiam/diagnosticSettings")
        #expect(resource["apiVersion"] as? String == "2017-04-01")
        let properties = try #require(resource["properties"] as? [String: Any])
        #expect(properties["workspaceId"] as? String == "[parameters('workspaceId')]")
        let logs = try #require(properties["logs"] as? [[String: Any]])
        #expect(logs.compactMap { $0["category"] as? String } == ["SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs"])
        #expect(logs.allSatisfy { $0["enabled"] as? Bool == true })
    }

    @Test func noWebhookSecretEverReachesATemplate() throws {
        for format in ExportFormat.allCases {
            for (name, data) in try format.files(ExportFixture.input) {
                #expect(!String(decoding: data, as: UTF8.self).contains("secretEnv:"), "\(format) \(name)")
            }
        }
    }

    @Test func bicepMatchesTheReviewedGoldenFiles() throws {
        for file in [BicepExport.alertsFile, BicepExport.diagnosticSettingFile] {
            let text = try ExportFixture.text(.bicep, file)
            let golden = Fixture.url("golden").appendingPathComponent(file)
            if ProcessInfo.processInfo.environment["BREAKGLASS_UPDATE_GOLDEN"] == "1" {
                try Data(text.utf8).write(to: golden)
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(text == expected, "\(file) differs from Fixtures/golden/\(file); review, then rerun with BREAKGLASS_UPDATE_GOLDEN=1")
        }
    }

    @Test func bicepQueriesAreTheARMQueries() throws {
        let bicep = try ExportFixture.text(.bicep, BicepExport.alertsFile)
        for detection in try Detection.all(for: ExportFixture.input) {
            #expect(bicep.contains("'''\n\(detection.query)'''"), "\(detection.slug)")
        }
        #expect(bicep.contains("targetScope") == false)
        #expect(try ExportFixture.text(.bicep, BicepExport.diagnosticSettingFile).contains("targetScope = 'tenant'"))
    }

    @Test func sentinelRulesParseWithTheRequiredKeys() throws {
        let files = try ExportFormat.sentinel.files(ExportFixture.input)
        let rules = files.filter { $0.key.hasSuffix(".yaml") }
        #expect(rules.count == Detection.Kind.allCases.count)
        var ids = Set<String>()
        for (name, data) in rules {
            let rule = try #require(try Yams.load(yaml: String(decoding: data, as: UTF8.self)) as? [String: Any], "\(name)")
            for key in ["id", "name", "description", "severity", "requiredDataConnectors", "queryFrequency", "queryPeriod",
                        "triggerOperator", "triggerThreshold", "tactics", "relevantTechniques", "query", "entityMappings",
                        "version", "kind"] {
                #expect(rule[key] != nil, "\(name) lacks \(key)")
            }
            let id = try #require(rule["id"] as? String)
            #expect(UUID(uuidString: id) != nil, "\(name): \(id) is not a GUID")
            ids.insert(id)
            #expect(rule["kind"] as? String == "Scheduled" && rule["triggerOperator"] as? String == "gt")
            #expect(rule["triggerThreshold"] as? Int == 0 && rule["version"] as? String == "1.0.0")
            #expect(["High", "Medium", "Low", "Informational"].contains(rule["severity"] as? String ?? ""))
            let connectors = try #require(rule["requiredDataConnectors"] as? [[String: Any]])
            #expect(connectors.first?["connectorId"] as? String == "AzureActiveDirectory")
            let mappings = try #require(rule["entityMappings"] as? [[String: Any]])
            #expect(mappings.compactMap { $0["entityType"] as? String } == ["Account", "IP"])
            let query = try #require(rule["query"] as? String)
            #expect(query.contains("ingestion_time() > ago(5m)"))
        }
        #expect(ids.count == rules.count)
        let signIn = try #require(try Yams.load(yaml: ExportFixture.text(.sentinel, "breakglass-signin.yaml")) as? [String: Any])
        #expect(signIn["tactics"] as? [String] == ["InitialAccess"] && signIn["relevantTechniques"] as? [String] == ["T1078.004"])
        let tables = (signIn["requiredDataConnectors"] as? [[String: Any]])?.first?["dataTypes"] as? [String]
        #expect(tables == ["SigninLogs", "AADNonInteractiveUserSignInLogs"])
    }

    @Test func sentinelIDsAreStablePerTenantAndRule() throws {
        let first = try ExportFixture.text(.sentinel, "breakglass-signin.yaml")
        var other = ExportFixture.input
        other.tenantID = "another-tenant"
        let otherTenant = try ExportFixture.text(.sentinel, "breakglass-signin.yaml", input: other)
        let id = { (text: String) in text.split(separator: "\n").first.map(String.init) ?? "" }
        #expect(id(first) == id(try ExportFixture.text(.sentinel, "breakglass-signin.yaml")))
        #expect(id(first) != id(otherTenant))
        #expect(NameBasedUUID.make("x") == NameBasedUUID.make("x") && NameBasedUUID.make("x") != NameBasedUUID.make("y"))
    }

    @Test func watchlistListsTheAccounts() throws {
        let csv = try ExportFixture.text(.sentinel, SentinelExport.watchlistFile)
        #expect(csv == """
            ObjectId,UserPrincipalName,DisplayName\r
            b9000001-0000-4000-8000-000000000001,bg-01@fabrikam.onmicrosoft.com,bg-01\r
            b9000001-0000-4000-8000-000000000002,bg-02@fabrikam.onmicrosoft.com,bg-02\r

            """)
    }

    @Test("every format gives the same bytes twice, whatever the order of the input", arguments: ExportFormat.allCases)
    func deterministic(format: ExportFormat) throws {
        var shuffled = ExportFixture.input
        shuffled.accounts.reverse()
        let reordered = MonitoringInput(tenantID: shuffled.tenantID, tenantName: shuffled.tenantName,
                                        accounts: shuffled.accounts, exclusionGroups: shuffled.exclusionGroups,
                                        receivers: shuffled.receivers)
        let first = try format.files(ExportFixture.input)
        #expect(first == (try format.files(ExportFixture.input)))
        #expect(first == (try format.files(reordered)))
    }
}

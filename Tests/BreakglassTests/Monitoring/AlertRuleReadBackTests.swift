import EntraModel
import Foundation
import Monitoring
import Testing

@testable import Posture

@Suite("BG050 and BG051 read exported templates and rule queries exactly")
struct MonitoringAlertRuleReadBackTests {
    /// The good fixture with `alert-rules.json` (and optionally `diagnostic-settings.json`) replaced.
    static func context(alertRules: String, diagnosticSettings: String? = nil) throws -> TenantContext {
        let folder = try Fixture.copy("good")
        try Data(alertRules.utf8).write(to: folder.appendingPathComponent("alert-rules.json"))
        if let diagnosticSettings {
            try Data(diagnosticSettings.utf8).write(to: folder.appendingPathComponent("diagnostic-settings.json"))
        }
        let snapshot = try SnapshotReader().read(folder)
        return TenantContext(snapshot: snapshot, configuration: try Fixture.configuration("good"),
                             now: snapshot.capturedAt ?? Date())
    }

    static func run(_ id: String, _ context: TenantContext) throws -> [Finding] {
        try #require(Catalogue.standard.first { $0.metadata.id == id }).run(in: context)
    }

    /// One enabled rule with `query`, as ARM lists it.
    static func rules(_ queries: [String], enabled: Bool = true, threshold: Int = 0) throws -> String {
        let items = try queries.enumerated().map { offset, query in
            let escaped = String(decoding: try JSONEncoder().encode(query), as: UTF8.self)
            return """
                {"name": "rule-\(offset)", "properties": {"displayName": "rule-\(offset)", "enabled": \(enabled),
                 "criteria": {"allOf": [{"query": \(escaped), "timeAggregation": "Count", "operator": "GreaterThan",
                 "threshold": \(threshold)}]}}}
                """
        }
        return "{\"value\": [\(items.joined(separator: ","))]}"
    }

    static let both = "union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs"

    @Test func exportedTemplateReadBackPasses() throws {
        let template = try ExportFixture.text(.arm, ARMExport.alertsFile)
        let findings = try Self.run("BG051", try Self.context(alertRules: template))
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.status == .pass }, "\(findings.map(\.message))")
        #expect(findings.allSatisfy { $0.message.contains("'Emergency access account sign-in'") })
    }

    @Test func exportedRulesAsAnARMListPass() throws {
        let template = try ExportFixture.json(try ExportFixture.text(.arm, ARMExport.alertsFile))
        let resources = (template["resources"] as? [[String: Any]] ?? [])
            .filter { $0["type"] as? String == "Microsoft.Insights/scheduledQueryRules" }
        let list = String(decoding: try JSONSerialization.data(withJSONObject: ["value": resources]), as: UTF8.self)
        let findings = try Self.run("BG051", try Self.context(alertRules: list))
        #expect(findings.map(\.status) == [.pass, .pass])
    }

    @Test func exportedDiagnosticSettingReadBackPasses() throws {
        let template = try ExportFixture.text(.arm, ARMExport.diagnosticSettingFile)
        let context = try Self.context(alertRules: "{\"value\": []}", diagnosticSettings: template)
        #expect(try Self.run("BG050", context).map(\.status) == [.pass])
    }

    @Test func aRuleMissingOneAccountFailsNamingIt() throws {
        var input = ExportFixture.input
        input.accounts = input.accounts.filter { $0.userPrincipalName?.hasPrefix("bg-01") == true }
        let template = try ExportFixture.text(.arm, ARMExport.alertsFile, input: input)
        let findings = try Self.run("BG051", try Self.context(alertRules: template))
        #expect(findings.map(\.status) == [.pass, .fail])
        let failure = try #require(findings.last)
        #expect(failure.message.contains("bg-02@fabrikam.onmicrosoft.com"))
        #expect(failure.message.contains(ExportFixture.ids[1]))
    }

    @Test func signInLogsOnlyWarnsNamingTheMissingTable() throws {
        let query = "SigninLogs | where UserId in (\"\(ExportFixture.ids[0])\", \"\(ExportFixture.ids[1])\")"
        let findings = try Self.run("BG051", try Self.context(alertRules: try Self.rules([query])))
        #expect(findings.map(\.status) == [.warn, .warn])
        #expect(findings.allSatisfy { $0.message.contains("not in AADNonInteractiveUserSignInLogs") })
    }

    @Test func twoRulesOneTableEachCoverBoth() throws {
        let ids = "(\"\(ExportFixture.ids[0])\", \"\(ExportFixture.ids[1])\")"
        let rules = try Self.rules(["SigninLogs | where UserId in \(ids)", "AADNonInteractiveUserSignInLogs | where UserId in \(ids)"])
        #expect(try Self.run("BG051", try Self.context(alertRules: rules)).map(\.status) == [.pass, .pass])
    }

    @Test func upnOnlyWarns() throws {
        let query = "\(Self.both) | where UserPrincipalName in~ (\"bg-01@fabrikam.onmicrosoft.com\", \"bg-02@fabrikam.onmicrosoft.com\")"
        let findings = try Self.run("BG051", try Self.context(alertRules: try Self.rules([query])))
        #expect(findings.map(\.status) == [.warn, .warn])
        #expect(findings.allSatisfy { $0.message.contains("by UPN only") })
    }

    @Test("union forms", arguments: [
        ("union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs", Status.pass),
        ("union SigninLogs, AADNonInteractiveUserSignInLogs", .pass),
        ("union *", .pass),
        ("union withsource=T *Sign*nLogs", .pass),
        // KQL table names are case-sensitive: *SigninLogs* does not match AADNonInteractiveUserSignInLogs.
        ("union isfuzzy=true *SigninLogs*", .warn),
        ("AADNonInteractiveUserSignInLogs", .warn),
        ("AuditLogs", .fail),
    ])
    func unionForms(source: String, expected: Status) throws {
        let query = "\(source)\n| where UserId in (\"\(ExportFixture.ids[0])\", \"\(ExportFixture.ids[1])\")"
        let findings = try Self.run("BG051", try Self.context(alertRules: try Self.rules([query])))
        #expect(findings.map(\.status) == [expected, expected], "\(findings.map(\.message))")
    }

    @Test func anIDInACommentMatchesNothing() throws {
        let query = "\(Self.both)\n| where UserId in (\"\(ExportFixture.ids[0])\") // \(ExportFixture.ids[1])"
        let findings = try Self.run("BG051", try Self.context(alertRules: try Self.rules([query])))
        #expect(findings.map(\.status) == [.pass, .fail])
    }

    @Test func disabledRuleFailsAndSaysSo() throws {
        let query = "\(Self.both) | where UserId in (\"\(ExportFixture.ids[0])\", \"\(ExportFixture.ids[1])\")"
        let findings = try Self.run("BG051", try Self.context(alertRules: try Self.rules([query], enabled: false)))
        #expect(findings.map(\.status) == [.fail, .fail])
        #expect(findings.allSatisfy { $0.message.contains("disabled") })
    }

    @Test func aRuleThatNeedsSeveralRowsWarns() throws {
        let query = "\(Self.both) | where UserId in (\"\(ExportFixture.ids[0])\", \"\(ExportFixture.ids[1])\")"
        let findings = try Self.run("BG051", try Self.context(alertRules: try Self.rules([query], threshold: 5)))
        #expect(findings.map(\.status) == [.warn, .warn])
        #expect(findings.allSatisfy { $0.message.contains("GreaterThan 5") })
    }

    @Test func sentinelRuleThroughARMCounts() throws {
        let query = "\(Self.both) | where UserId in (\"\(ExportFixture.ids[0])\", \"\(ExportFixture.ids[1])\")"
        let escaped = String(decoding: try JSONEncoder().encode(query), as: UTF8.self)
        let rules = """
            {"value": [{"name": "x", "kind": "Scheduled", "type": "Microsoft.SecurityInsights/alertRules",
              "properties": {"displayName": "Sentinel rule", "enabled": true, "severity": "High", "query": \(escaped)}}]}
            """
        #expect(try Self.run("BG051", try Self.context(alertRules: rules)).map(\.status) == [.pass, .pass])
    }
}

@Suite("Reading KQL for BG051")
struct MonitoringAlertQueryTests {
    @Test func stringsCommentsAndTables() {
        let query = AlertQuery("""
            let ids = dynamic(['A-1', @"B\\2"]); // "C-3"
            union isfuzzy=true SigninLogs, (AADNonInteractiveUserSignInLogs | where x == h"D-4")
            | where UserPrincipalName =~ "E\\"5" and Table == ```F-6```
            """)
        #expect(query.reads("SigninLogs") && query.reads("AADNonInteractiveUserSignInLogs"))
        #expect(query.mentions("a-1") && query.mentions("b\\2") && query.mentions("d-4") && query.mentions("e\"5"))
        #expect(query.mentions("f-6"))
        #expect(!query.mentions("c-3"))
    }

    @Test func wildcardsCountOnlyInUnion() {
        #expect(!AlertQuery("SigninLogs | project-away *").reads("AADNonInteractiveUserSignInLogs"))
        #expect(AlertQuery("union Sign*").reads("SigninLogs"))
        #expect(!AlertQuery("union Sign* | where a == 1").reads("AuditLogs"))
        #expect(AlertQuery("T | union *Logs").reads("AuditLogs"))
    }

    @Test func tableNamesAreCaseSensitive() {
        #expect(!AlertQuery("signinlogs | take 1").reads("SigninLogs"))
        #expect(AlertQuery("['SigninLogs'] | take 1").reads("SigninLogs"))
    }

    @Test func watchlistsAreNamed() {
        #expect(AlertQuery("_GetWatchlist('BreakGlassAccounts') | project x").watchlists == ["BreakGlassAccounts"])
    }
}

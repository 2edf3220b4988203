import Foundation
import Testing

@testable import Posture
@testable import Reports

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Every report format carries the same results")
struct ReportRendererTests {
    static let fixture = #"""
    {"schemaVersion":1,"tool":{"name":"breakglass","version":"0.1.0"},
     "tenant":{"id":"t1","displayName":"Contoso <Test> & Co","source":"snapshot","capturedAt":"2026-11-20T09:00:00Z"},
     "emergencyAccounts":[{"id":"u1","userPrincipalName":"bg-01@contoso.onmicrosoft.com","declared":true}],
     "summary":{"pass":2,"fail":2,"warn":1,"unknown":1,"notApplicable":1},
     "results":[
      {"check":"BG030","title":"No enabled Conditional Access policy applies","severity":"critical","status":"fail",
       "subject":{"kind":"account","id":"u1","name":"bg-01@contoso.onmicrosoft.com"},
       "related":{"kind":"policy","id":"p1","name":"CA008 <script>alert(1)</script> & \"quotes\" 'single'"},
       "message":"applies: <script>&\"'","remediation":"Exclude the group."},
      {"check":"BG061","title":"Password age","severity":"medium","status":"fail",
       "subject":{"kind":"account","id":"u1","name":"bg-01@contoso.onmicrosoft.com"},"message":"107 days old","remediation":"Rotate."},
      {"check":"BG051","title":"Alert rule","severity":"high","status":"warn",
       "subject":{"kind":"account","id":"u1","name":"bg-01@contoso.onmicrosoft.com"},"message":"UPN only","remediation":"Use the id."},
      {"check":"BG050","title":"Logs","severity":"high","status":"unknown",
       "subject":{"kind":"tenant","id":"t1","name":"Contoso"},"message":"diagnostic-settings.json is not in the snapshot","remediation":"Add it."},
      {"check":"BG010","title":"Enabled","severity":"critical","status":"pass",
       "subject":{"kind":"account","id":"u1","name":"bg-01@contoso.onmicrosoft.com"},"message":"enabled","remediation":"-"},
      {"check":"BG011","title":"Cloud-only","severity":"critical","status":"pass",
       "subject":{"kind":"account","id":"u1","name":"bg-01@contoso.onmicrosoft.com"},"message":"cloud-only","remediation":"-"},
      {"check":"BG034","title":"Risk","severity":"high","status":"notApplicable",
       "subject":{"kind":"account","id":"u1","name":"bg-01@contoso.onmicrosoft.com"},"message":"no risk policy","remediation":"-"}
     ]}
    """#

    func report() throws -> AuditReport { try JSONDecoder().decode(AuditReport.self, from: Data(Self.fixture.utf8)) }

    func render(_ format: ReportFormat, strict: Bool = false, color: Bool = false) throws -> String {
        ReportRenderer().render(try report(), format: format, options: RenderOptions(color: color, strict: strict))
    }

    @Test func jsonRoundTripsInTheReportShape() throws {
        let text = try render(.json)
        #expect(try JSONDecoder().decode(AuditReport.self, from: Data(text.utf8)) == report())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(Set(object.keys) == ["schemaVersion", "tool", "tenant", "emergencyAccounts", "summary", "results"])
        #expect(text.range(of: "\"emergencyAccounts\"")?.lowerBound ?? text.endIndex < text.range(of: "\"results\"")?.lowerBound ?? text.startIndex)
    }

    @Test func sarifIsStructurallyValid() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try render(.sarif).utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        #expect((object["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == Catalogue.metadata.map(\.id))
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 4)
        for result in results {
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(rules[ruleIndex]["id"] as? String == result["ruleId"] as? String)
            #expect(((result["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [Any])?.isEmpty == false)
        }
        let levels = Dictionary(uniqueKeysWithValues: results.map { ($0["ruleId"] as? String ?? "", $0["level"] as? String ?? "") })
        #expect(levels == ["BG030": "error", "BG061": "warning", "BG051": "warning", "BG050": "note"])
        let severities = rules.compactMap { ($0["properties"] as? [String: Any])?["security-severity"] as? String }
        #expect(severities.count == rules.count)
    }

    @Test("JUnit parses and counts; --strict turns warnings into failures", arguments: [false, true])
    func junit(strict: Bool) throws {
        let document = try XMLDocument(data: Data(try render(.junit, strict: strict).utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "7")
        #expect(root.attribute(forName: "failures")?.stringValue == (strict ? "3" : "2"))
        #expect(root.attribute(forName: "skipped")?.stringValue == "2")
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 7)
        #expect(try document.nodes(forXPath: "//failure").count == (strict ? 3 : 2))
    }

    @Test func htmlIsWellFormedSelfContainedAndEscaped() throws {
        let html = try render(.html)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        #expect(document.rootElement()?.name == "html")
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("<link"))
        #expect(html.contains("@media print"))
        #expect(html.contains("Contoso &lt;Test&gt; &amp; Co"))
    }

    @Test func textHasColourOnlyWhenAsked() throws {
        let plain = try render(.text)
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("BG030") && plain.contains("Summary: 2 failed · 1 warnings"))
        #expect(try render(.text, color: true).contains("\u{1B}[31m"))
    }

    @Test func markdownHasTheSummaryTableAndFixes() throws {
        let markdown = try render(.markdown)
        #expect(markdown.contains("| failed | warnings | unknown | passed | not applicable |"))
        #expect(markdown.contains("| 2 | 1 | 1 | 2 | 1 |"))
        #expect(markdown.contains("### BG030"))
        #expect(!markdown.contains("<script>"))
    }

    @Test func atomicFileReplacesWholeAndLeavesNothingOnFailure() throws {
        let folder = Fixture.temporaryDirectory()
        let file = folder.appendingPathComponent("report.txt")
        try AtomicFile.write(Data("first".utf8), to: file)
        try AtomicFile.write(Data("second".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.txt"])
        let missing = folder.appendingPathComponent("no-such-folder/report.txt")
        #expect(throws: AtomicFileError.self) { try AtomicFile.write(Data("x".utf8), to: missing) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.txt"])
    }
}

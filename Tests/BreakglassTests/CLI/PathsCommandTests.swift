import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `breakglass paths`, the paths in the audit's HTML report, and `simulate --scenario admin-compromise`.
@Suite("breakglass paths")
struct PathsCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("The demo tenant shows a take-over path through an application's owner and a lock-out path, with evidence")
    func demoPaths() throws {
        let result = try CLI.run(["paths", "--demo", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Self.json(result.stdout)
        let paths = try #require(document["paths"] as? [[String: Any]])
        func path(_ kind: String, _ principal: String) -> [String: Any]? {
            paths.first { $0["kind"] as? String == kind && ($0["principal"] as? [String: Any])?["name"] as? String == principal }
        }
        // Diego owns Contoso Ops Automation (Application.ReadWrite.All): he adds a secret to it, then to Contoso Identity
        // Governance, which holds RoleManagement.ReadWrite.Directory.
        let diego = try #require(path("take-over", "diegos@contoso.com"))
        let hops = try #require(diego["hops"] as? [[String: Any]])
        let targets = hops.compactMap { ($0["to"] as? [String: Any])?["name"] as? String }
        #expect(targets.contains("Contoso Identity Governance"))
        #expect(targets.last?.hasPrefix("take over bg-0") == true)
        let first = try #require(hops.first?["evidence"] as? [String: Any])
        #expect((first["file"] as? String).map { $0.hasPrefix("service-principal-owners/") || $0.hasPrefix("application-owners/") } == true)
        #expect(hops.allSatisfy { ($0["why"] as? String)?.isEmpty == false })
        // Henrietta (Conditional Access Administrator, and owner of the exclusion group) locks the accounts out.
        let henrietta = try #require(path("lock-out", "henriettam@contoso.com"))
        let relation = (henrietta["hops"] as? [[String: Any]])?.first?["relation"] as? String
        #expect(relation == "activeRole" || relation == "owner")
        #expect(path("lock-out", "CA Policy Backup") != nil)
        #expect((document["limitations"] as? [Any])?.isEmpty == true)
    }

    @Test("dot is one Graphviz digraph with the goals styled; html is well-formed; a bad --format is exit 2")
    func formats() throws {
        let dot = try CLI.run(["paths", "--demo", "--format", "dot"])
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("digraph tierzero {") && dot.stdout.hasSuffix("}\n"))
        #expect(dot.stdout.contains("doubleoctagon") && dot.stdout.contains("->"))
        #expect(dot.stdout.components(separatedBy: "{").count == dot.stdout.components(separatedBy: "}").count)

        let folder = Fixture.temporaryDirectory()
        let output = folder.appendingPathComponent("paths.html")
        let html = try CLI.run(["paths", "--demo", "--format", "html", "--output", output.path])
        #expect(html.status == 0 && html.stdout.isEmpty)
        let document = try XMLDocument(data: try Data(contentsOf: output), options: [])
        #expect(document.rootElement()?.name == "html")
        #expect(try String(contentsOf: output, encoding: .utf8).contains("group-owners/"))

        #expect(try CLI.run(["paths", "--demo", "--format", "svg"]).status == 2)
        let text = try CLI.run(["paths", "--snapshot", Fixture.url("bad").path, "--config",
                                Fixture.url("bad").appendingPathComponent("breakglass.yml").path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("TAKE OVER") && text.stdout.contains("Legacy HR Sync"))
    }

    @Test("The audit's HTML report includes the paths")
    func auditHTML() throws {
        let result = try CLI.run(["audit", "--demo", "--format", "html"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Who can take over or lock out the emergency accounts"))
        #expect(result.stdout.contains("Contoso Ops Automation"))
        _ = try XMLDocument(data: Data(result.stdout.utf8), options: [])
    }

    @Test("admin-compromise: other Global Administrators are disabled, the emergency accounts get in, the paths left are listed")
    func adminCompromise() throws {
        let result = try CLI.run(["simulate", "--demo", "--scenario", "admin-compromise", "--format", "json"])
        let document = try Self.json(result.stdout)
        let verdict = try #require((document["scenarios"] as? [[String: Any]])?.first)
        #expect(verdict["scenario"] as? String == "admin-compromise")
        #expect(verdict["recoverable"] as? Bool == true)
        let inside = Set(verdict["globalAdministratorsIn"] as? [String] ?? [])
        #expect(inside.isSubset(of: ["bg-01@contoso.onmicrosoft.com", "bg-02@contoso.onmicrosoft.com"]) && !inside.isEmpty)
        let remaining = try #require(document["remainingPaths"] as? [[String: Any]])
        let principals = Set(remaining.compactMap { ($0["principal"] as? [String: Any])?["name"] as? String })
        #expect(!principals.contains("lidiah@contoso.com") && !principals.contains("isaiahl@contoso.com"))
        #expect(principals.contains("Contoso Ops Automation"))
        let admins = try #require(document["admins"] as? [[String: Any]])
        let lidia = try #require(admins.first { $0["userPrincipalName"] as? String == "lidiah@contoso.com" })
        let outcome = (lidia["outcomes"] as? [String: [String: [String: Any]]])?["admin-compromise"]?["azure-portal"]
        #expect(outcome?["result"] as? String == "cannotAuthenticate")
    }
}

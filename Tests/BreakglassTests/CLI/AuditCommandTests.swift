import Foundation
import Testing

@Suite("breakglass audit, explain, checks and snapshot, as a user runs them")
struct AuditCommandTests {
    @Test func goodTenantExitsZeroAndBadTenantExitsOne() throws {
        let good = try CLI.run(["audit", "--snapshot", Fixture.url("good").path, "--config", Fixture.url("good").appendingPathComponent("breakglass.yml").path])
        #expect(good.status == 0, "\(good.stderr)")
        let bad = try CLI.run(["audit", "--snapshot", Fixture.url("bad").path, "--config", Fixture.url("bad").appendingPathComponent("breakglass.yml").path])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("BG011"))
    }

    @Test func failOnRaisesTheBar() throws {
        let config = Fixture.url("bad").appendingPathComponent("breakglass.yml").path
        let result = try CLI.run(["audit", "--snapshot", Fixture.url("bad").path, "--config", config, "--fail-on", "critical", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        let criticalFailures = results.filter { $0["severity"] as? String == "critical" && $0["status"] as? String == "fail" }
        #expect(result.status == (criticalFailures.isEmpty ? 0 : 1))
    }

    @Test func demoJSONFollowsTheReportShapeAndCoversEveryCheck() throws {
        let result = try CLI.run(["audit", "--demo", "--format", "json"], in: Fixture.temporaryDirectory())
        #expect([0, 1].contains(result.status), "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["schemaVersion"] as? Int == 1)
        let tenant = try #require(report["tenant"] as? [String: Any])
        #expect(tenant["source"] as? String == "demo")
        let results = try #require(report["results"] as? [[String: Any]])
        let checks = Set(results.compactMap { $0["check"] as? String })
        for id in ["BG001", "BG002", "BG010", "BG011", "BG012", "BG013", "BG014", "BG015", "BG020", "BG021", "BG022",
                   "BG030", "BG031", "BG032", "BG033", "BG034", "BG035", "BG036", "BG040", "BG041", "BG050", "BG051",
                   "BG060", "BG061", "BG062", "BG063"] {
            #expect(checks.contains(id), "no result for \(id)")
        }
        let summary = try #require(report["summary"] as? [String: Int])
        #expect(summary.values.reduce(0, +) == results.count)
    }

    @Test("A malformed snapshot exits 3 naming file and path, and --output is not written")
    func malformedSnapshot() throws {
        let folder = try Fixture.copy("good")
        try Data(#"{"value":[{"id":"u1","accountEnabled":"yes"}]}"#.utf8).write(to: folder.appendingPathComponent("users.json"))
        let output = Fixture.temporaryDirectory().appendingPathComponent("report.json")
        let result = try CLI.run(["audit", "--snapshot", folder.path, "--output", output.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("users.json: value[0].accountEnabled: expected a boolean"))
        #expect(!result.stderr.contains("Fatal") && !result.stderr.contains("Stack"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func configurationErrorsExitTwo() throws {
        let directory = Fixture.temporaryDirectory()
        let config = directory.appendingPathComponent("breakglass.yml")
        try Data("guidance:\n  minAcounts: 2\n".utf8).write(to: config)
        let result = try CLI.run(["audit", "--snapshot", Fixture.url("good").path, "--config", config.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("breakglass.yml:2: unknown key 'guidance.minAcounts'"))
        // ./breakglass.yml is picked up when no --config is given.
        let local = try CLI.run(["audit", "--snapshot", Fixture.url("good").path], in: directory)
        #expect(local.status == 2)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["audit"]).status == 2)
        #expect(try CLI.run(["audit", "--demo", "--snapshot", "x"]).status == 2)
        #expect(try CLI.run(["audit", "--demo", "--format", "pdf"]).status == 2)
        #expect(try CLI.run(["audit", "--demo", "--as-of", "tomorrow"]).status == 2)
        #expect(try CLI.run(["explain", "BG999"]).status == 2)
        #expect(try CLI.run(["audit", "--snapshot", "/nonexistent/folder"]).status == 3)
    }

    @Test func outputIsWrittenAtomically() throws {
        let directory = Fixture.temporaryDirectory()
        let output = directory.appendingPathComponent("report.json")
        let result = try CLI.run(["audit", "--demo", "--format", "json", "--output", output.path])
        #expect([0, 1].contains(result.status))
        #expect(result.stdout.isEmpty)
        let data = try Data(contentsOf: output)
        #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["schemaVersion"] as? Int == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.json"])
    }

    @Test func asOfMovesTheClock() throws {
        let config = Fixture.url("good").appendingPathComponent("breakglass.yml").path
        let now = try CLI.run(["audit", "--snapshot", Fixture.url("good").path, "--config", config])
        #expect(now.status == 0)
        let nextYear = try CLI.run(["audit", "--snapshot", Fixture.url("good").path, "--config", config, "--as-of", "2027-11-01T00:00:00Z", "--format", "json", "--fail-on", "medium"])
        #expect(nextYear.status == 1)
        #expect(nextYear.stdout.contains("BG061"))
    }

    @Test func snapshotDemoWritesAFolderThatAuditsLikeTheDemo() throws {
        let directory = Fixture.temporaryDirectory()
        let out = directory.appendingPathComponent("contoso")
        let written = try CLI.run(["snapshot", "--demo", "--out", out.path])
        #expect(written.status == 0, "\(written.stderr)")
        let fromFolder = try CLI.run(["audit", "--snapshot", out.path, "--config", out.appendingPathComponent("breakglass.yml").path, "--format", "json"])
        let fromDemo = try CLI.run(["audit", "--demo", "--format", "json"])
        func results(_ text: String) throws -> String {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let data = try JSONSerialization.data(withJSONObject: object["results"] ?? [], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try results(fromFolder.stdout) == results(fromDemo.stdout))
        #expect(fromFolder.status == fromDemo.status)
        // Refuses to overwrite a folder with content.
        #expect(try CLI.run(["snapshot", "--demo", "--out", out.path]).status == 2)
    }

    @Test func explainAndChecks() throws {
        let explain = try CLI.run(["explain", "bg030"])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("BG030") && explain.stdout.contains("How to fix it") && explain.stdout.contains("https://learn.microsoft.com"))
        let checks = try CLI.run(["checks", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(checks.stdout.utf8)) as? [[String: Any]])
        #expect(list.count >= 26)
        // A development build names no commit; scripts/release.sh stamps the tag's version and the commit.
        #expect(try CLI.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0-dev")
    }
}

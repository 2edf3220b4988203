import Foundation
import Testing

/// action.yml's steps run their scripts (scripts/action/); these tests run the same scripts on a fixture repository,
/// with GITHUB_STEP_SUMMARY and GITHUB_OUTPUT pointing at files, as a runner would.
@Suite("The GitHub Action's scripts on a fixture repository")
struct GitHubActionTests {
    /// A repository as a team keeps it: a snapshot of the demo tenant, breakglass.yml, and policy files.
    struct Repository {
        var root: URL
        var runner: URL

        var summary: URL { runner.appendingPathComponent("step-summary.md") }
        var output: URL { runner.appendingPathComponent("github-output.txt") }
        var results: URL { runner.appendingPathComponent("breakglass") }

        /// `name=value` lines of GITHUB_OUTPUT.
        func outputs() throws -> [String: String] {
            let text = try String(contentsOf: output, encoding: .utf8)
            return Dictionary(text.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }, uniquingKeysWith: { _, last in last })
        }
    }

    /// Reaches both emergency accounts: every user, no exclusion, a compliant device required.
    static let lockingPolicy = """
        {"id": "7d0c1f5e-0000-4000-8000-000000000020", "displayName": "CA020 - All users - Require compliant device",
         "state": "enabled",
         "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": []},
                        "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
         "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}}
        """

    /// The same policy, excluding the emergency accounts' group and bg-02 by id: the demo tenant plants bg-02
    /// outside the exclusion group (BG033), so excluding the group alone would still reach it.
    static let safePolicy = lockingPolicy
        .replacingOccurrences(of: #""excludeGroups": []"#, with: #""excludeGroups": ["91b1ca45-ab38-5f88-bbc3-9e814437d2d2"]"#)
        .replacingOccurrences(of: #""excludeUsers": []"#, with: #""excludeUsers": ["81f59451-b7b6-5837-8864-9836625967f1"]"#)

    static func repository(policy: String) throws -> Repository {
        let base = Fixture.temporaryDirectory()
        let root = base.appendingPathComponent("repo")
        let runner = base.appendingPathComponent("runner")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: runner, withIntermediateDirectories: true)
        let snapshot = try CLI.run(["snapshot", "--demo", "--out", root.appendingPathComponent("snapshot").path])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("DemoTenant/breakglass.yml"),
                                         to: root.appendingPathComponent("breakglass.yml"))
        try Data(policy.utf8).write(to: root.appendingPathComponent("policies/CA020-compliant-device.json"))
        for file in ["step-summary.md", "github-output.txt"] {
            try Data().write(to: runner.appendingPathComponent(file))
        }
        return Repository(root: root, runner: runner)
    }

    static func runAction(_ repository: Repository, _ inputs: [String: String]) throws -> CLI.Result {
        var environment = [
            "BREAKGLASS_BIN": CLI.executable.path,
            "GITHUB_STEP_SUMMARY": repository.summary.path,
            "GITHUB_OUTPUT": repository.output.path,
            "BREAKGLASS_OUTPUT_DIR": repository.results.path,
            "RUNNER_TEMP": repository.runner.path,
            "NO_COLOR": "1",
        ]
        environment.merge(inputs) { _, new in new }
        return try runScript("bash", [repositoryRoot.appendingPathComponent("scripts/action/run.sh").path],
                             environment: environment, in: repository.root)
    }

    @Test("A policy that reaches the emergency accounts: SARIF 2.1.0 with BG030 at the policy file, a failing summary, exit-code 1")
    func lockingPolicyFails() throws {
        let repository = try Self.repository(policy: Self.lockingPolicy)
        let result = try Self.runAction(repository, [
            "INPUT_COMMAND": "gate", "INPUT_POLICIES": "policies", "INPUT_CONFIG": "breakglass.yml",
            "INPUT_SNAPSHOT": "snapshot", "INPUT_FAIL_ON": "high", "INPUT_FORMAT": "junit",
        ])
        // Findings do not fail this step: the SARIF is uploaded first, then the action's last step fails the job.
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let outputs = try repository.outputs()
        #expect(outputs["exit-code"] == "1")
        let sarifPath = try #require(outputs["sarif"])
        #expect(outputs["report"]?.hasSuffix(".junit.xml") == true)
        #expect(FileManager.default.fileExists(atPath: outputs["report"] ?? ""))

        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarifPath))) as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
        #expect((sarif["$schema"] as? String)?.contains("sarif") == true)
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "breakglass")
        let ruleIDs = Set((driver["rules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        for sarifResult in results {
            let ruleID = try #require(sarifResult["ruleId"] as? String)
            #expect(ruleIDs.contains(ruleID), "\(ruleID) is not among the rules")
            #expect(["error", "warning", "note"].contains(sarifResult["level"] as? String ?? ""))
            #expect(((sarifResult["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            // Code scanning needs a file in the repository on every result.
            let physical = try #require(((sarifResult["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
            let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
            #expect(!uri.hasPrefix("/") && FileManager.default.fileExists(atPath: repository.root.appendingPathComponent(uri).path),
                    "\(uri) is not a file of the repository")
        }
        // BG030 for the policy that reaches an emergency account, located at that policy's file.
        let bg030 = results.filter { $0["ruleId"] as? String == "BG030" }
        #expect(!bg030.isEmpty)
        #expect(bg030.contains { result in
            let location = (result["locations"] as? [[String: Any]])?.first
            let logical = (location?["logicalLocations"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            let uri = ((location?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
            return logical.contains { $0.contains("CA020") } && uri == "policies/CA020-compliant-device.json"
        }, "no BG030 result names CA020 at its file")

        let summary = try String(contentsOf: repository.summary, encoding: .utf8)
        #expect(summary.hasPrefix("## breakglass gate: failed"))
        #expect(summary.contains("| severity | status | check | subject | finding |"))
        #expect(summary.contains("BG030") && summary.contains("CA020"))
    }

    @Test("The same policy excluding the emergency accounts' group passes: exit-code 0 and a passing summary")
    func safePolicyPasses() throws {
        let repository = try Self.repository(policy: Self.safePolicy)
        let result = try Self.runAction(repository, [
            "INPUT_COMMAND": "gate", "INPUT_POLICIES": "policies/CA020-compliant-device.json",
            "INPUT_CONFIG": "breakglass.yml", "INPUT_SNAPSHOT": "snapshot", "INPUT_FAIL_ON": "high",
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(try repository.outputs()["exit-code"] == "0")
        let summary = try String(contentsOf: repository.summary, encoding: .utf8)
        #expect(summary.hasPrefix("## breakglass gate: passed"))
        #expect(!summary.contains("| BG030 |"))
    }

    @Test("Mistakes stop the step with breakglass's exit code and an annotation: no config, no source, a bad policy file")
    func mistakes() throws {
        let repository = try Self.repository(policy: Self.lockingPolicy)
        let base = ["INPUT_COMMAND": "gate", "INPUT_POLICIES": "policies", "INPUT_CONFIG": "breakglass.yml",
                    "INPUT_SNAPSHOT": "snapshot"]
        let noConfig = try Self.runAction(repository, base.merging(["INPUT_CONFIG": "missing.yml"]) { _, new in new })
        #expect(noConfig.status == 2)
        #expect(noConfig.stdout.contains("::error title=breakglass::config: missing.yml does not exist"))
        let noSource = try Self.runAction(repository, base.merging(["INPUT_SNAPSHOT": ""]) { _, new in new })
        #expect(noSource.status == 2)
        try Data("{not json".utf8).write(to: repository.root.appendingPathComponent("policies/broken.json"))
        let broken = try Self.runAction(repository, base)
        #expect(broken.status == 3, "\(broken.stdout)")
        #expect(broken.stderr.contains("broken.json"))
        #expect(try repository.outputs()["exit-code"] == nil)
    }

    @Test("Audit mode and Azure DevOps: pipeline variables and an attached summary instead of GitHub's files")
    func auditOnAzureDevOps() throws {
        let repository = try Self.repository(policy: Self.safePolicy)
        var environment = ["INPUT_COMMAND": "audit", "INPUT_CONFIG": "breakglass.yml", "INPUT_SNAPSHOT": "snapshot",
                           "INPUT_FORMAT": "junit", "TF_BUILD": "True", "GITHUB_OUTPUT": "", "GITHUB_STEP_SUMMARY": ""]
        environment["AGENT_TEMPDIRECTORY"] = repository.runner.path
        let result = try Self.runAction(repository, environment)
        #expect(result.status == 0, "\(result.stderr)")
        // The demo tenant has critical findings on purpose.
        #expect(result.stdout.contains("##vso[task.setvariable variable=breakglassExitCode]1"))
        #expect(result.stdout.contains("##vso[task.uploadsummary]"))
        let report = try #require(result.stdout.split(separator: "\n")
            .first { $0.hasPrefix("##vso[task.setvariable variable=breakglassReport]") }
            .map { String($0.dropFirst("##vso[task.setvariable variable=breakglassReport]".count)) })
        let junit = try String(contentsOfFile: report, encoding: .utf8)
        #expect(junit.contains("<testsuite") && junit.contains("<failure"))
    }
}

@Suite("The GitHub Action's install script")
struct ActionInstallTests {
    /// A release as GitHub serves it, from a loopback server: owner/repo/releases/download/vVERSION/….
    struct Release {
        var server: Process
        var url: String
        var folder: URL
        var archive: String
    }

    static func serveRelease(tamper: Bool = false, listed: Bool = true) throws -> Release {
        let root = Fixture.temporaryDirectory()
        let arch = try runScript("uname", ["-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "breakglass-9.9.9-linux-\(arch)"
        let folder = root.appendingPathComponent("owner/repo/releases/download/v9.9.9")
        let stage = root.appendingPathComponent("stage/\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
        // A stand-in executable: the script runs `--version` on what it installed.
        let executable = stage.appendingPathComponent("breakglass")
        try Data("#!/bin/sh\necho '9.9.9 (commit 0123456789abcdef0123456789abcdef01234567)'\n".utf8).write(to: executable)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
        let archive = "\(name).tar.gz"
        #expect(try runScript("tar", ["-czf", folder.appendingPathComponent(archive).path, "-C",
                                      root.appendingPathComponent("stage").path, name]).status == 0)
        let sums = try runScript("sha256sum", [archive], in: folder)
        try Data((listed ? sums.stdout : "").utf8).write(to: folder.appendingPathComponent("SHA256SUMS"))
        if tamper {
            let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(archive))
            handle.seekToEndOfFile()
            handle.write(Data("tampered".utf8))
            try handle.close()
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.path]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let port = try #require(text.range(of: #"port (\d+)"#, options: .regularExpression).map { text[$0].dropFirst(5) })
        return Release(server: server, url: "http://127.0.0.1:\(port)", folder: folder, archive: archive)
    }

    /// `repositoryFromPath`: no repository input, as in a workflow; the script reads it from the action's path.
    static func install(from release: Release, sha256: String = "", repositoryFromPath: Bool = false) throws
        -> (CLI.Result, runner: URL) {
        let runner = Fixture.temporaryDirectory()
        for file in ["output", "path"] { try Data().write(to: runner.appendingPathComponent(file)) }
        let result = try runScript("bash", [repositoryRoot.appendingPathComponent("scripts/action/install.sh").path], environment: [
            "BREAKGLASS_BIN": "", "BREAKGLASS_VERSION": "9.9.9",
            "BREAKGLASS_REPOSITORY": repositoryFromPath ? "" : "owner/repo",
            "GITHUB_ACTION_PATH": "/home/runner/work/_actions/owner/repo/v9.9.9",
            "BREAKGLASS_SHA256": sha256, "GITHUB_SERVER_URL": release.url, "RUNNER_TEMP": runner.path,
            "GITHUB_OUTPUT": runner.appendingPathComponent("output").path,
            "GITHUB_PATH": runner.appendingPathComponent("path").path,
        ])
        return (result, runner)
    }

    @Test("Downloads the release archive, checks it against SHA256SUMS, and puts breakglass on PATH")
    func installsAVerifiedRelease() throws {
        let release = try Self.serveRelease()
        defer { release.server.terminate() }
        let (result, runner) = try Self.install(from: release)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("9.9.9 (commit "))
        let output = try String(contentsOf: runner.appendingPathComponent("output"), encoding: .utf8)
        let binary = try #require(output.split(separator: "\n").first { $0.hasPrefix("binary=") }.map { String($0.dropFirst(7)) })
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        let path = try String(contentsOf: runner.appendingPathComponent("path"), encoding: .utf8)
        #expect(path.trimmingCharacters(in: .whitespacesAndNewlines) == URL(fileURLWithPath: binary).deletingLastPathComponent().path)

        // github.action_repository is empty in composite actions: the repository comes from the action's path.
        #expect(try Self.install(from: release, repositoryFromPath: true).0.status == 0)

        // Pinned with the sha256 input as well: the right digest passes, another fails.
        let digest = try runScript("sha256sum", [release.archive], in: release.folder).stdout.prefix(64)
        #expect(try Self.install(from: release, sha256: String(digest)).0.status == 0)
        let wrong = try Self.install(from: release, sha256: String(repeating: "0", count: 64)).0
        #expect(wrong.status == 3)
        #expect(wrong.stdout.contains("does not match the sha256 input"))
    }

    @Test("An archive that does not match SHA256SUMS, or is not listed in it, is refused (exit 3) and not installed")
    func refusesAnUnverifiedArchive() throws {
        let tampered = try Self.serveRelease(tamper: true)
        defer { tampered.server.terminate() }
        let (result, runner) = try Self.install(from: tampered)
        #expect(result.status == 3)
        #expect(result.stdout.contains("does not match the release's SHA256SUMS"))
        #expect(try String(contentsOf: runner.appendingPathComponent("output"), encoding: .utf8).isEmpty)

        let unlisted = try Self.serveRelease(listed: false)
        defer { unlisted.server.terminate() }
        let (missing, _) = try Self.install(from: unlisted)
        #expect(missing.status == 3)
        #expect(missing.stdout.contains("is not listed in the release's SHA256SUMS"))
    }
}

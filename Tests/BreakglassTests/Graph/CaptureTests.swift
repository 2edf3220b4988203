import Foundation
import GraphEmulator
import Testing

/// `breakglass snapshot` and `audit --tenant` against the in-process emulator over loopback HTTP.
@Suite("Live capture from the Graph emulator", .serialized)
struct CaptureTests {
    static let asOf = "2026-11-01T09:00:00Z"

    /// The good fixture, every snapshot file of it (ARM diagnostic settings and alert rules included).
    static func served() throws -> URL {
        let folder = try Fixture.copy("good")
        for name in ["breakglass.yml"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        return folder
    }

    static var config: String { Fixture.url("good").appendingPathComponent("breakglass.yml").path }

    func capture(_ base: URL, out: URL, extra: [String] = [], env: [String: String]? = nil) async throws -> CLI.Result {
        try await CLI.runDetached(
            ["snapshot", "--tenant", "contoso.onmicrosoft.com", "--out", out.path, "--config", Self.config,
             "--graph-endpoint", base.absoluteString, "--authority", base.absoluteString,
             "--arm-endpoint", base.absoluteString, "--allow-credentials-to-host", "127.0.0.1"] + extra,
            environment: cleanEnvironment(env ?? ["AZURE_CLIENT_ID": "app", "AZURE_CLIENT_SECRET": "s3cret"]))
    }

    func audit(_ folder: URL) async throws -> CLI.Result {
        try await CLI.runDetached(["audit", "--snapshot", folder.path, "--config", Self.config, "--format", "json",
                                   "--as-of", Self.asOf])
    }

    @Test("A snapshot captured over many pages, with throttling and 503s, audits exactly like the one served")
    func roundTrip() async throws {
        let served = try Self.served()
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let options = EmulatorOptions(pageSize: 2, throttleEvery: 5, failEvery: 7, retryAfterSeconds: 0,
                                      clientID: "app", clientSecret: "s3cret")
        let result = try await InProcessEmulator.with(served, options: options) { base in
            try await capture(base, out: out)
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("s3cret"))
        let users = try Data(contentsOf: out.appendingPathComponent("users.json"))
        let servedUsers = try Data(contentsOf: served.appendingPathComponent("users.json"))
        #expect(try Self.ids(users) == Self.ids(servedUsers))
        #expect(try Self.ids(servedUsers).count > 4)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("diagnostic-settings.json").path))
        // Only the emergency accounts' audit records: what they did and what was done to them.
        let audits = try Data(contentsOf: out.appendingPathComponent("directory-audits.json"))
        #expect(try Self.ids(audits) == ["audit-1", "audit-2"])
        let rules = try Data(contentsOf: out.appendingPathComponent("alert-rules.json"))
        #expect(try Self.ids(rules) == Self.ids(try Data(contentsOf: served.appendingPathComponent("alert-rules.json"))))
        let before = try await audit(served)
        let after = try await audit(out)
        #expect(before.status == after.status)
        #expect(try Self.findings(before.stdout) == Self.findings(after.stdout))
    }

    @Test("A wrong secret exits 4 with the sign-in service's message, and writes nothing")
    func wrongSecret() async throws {
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let options = EmulatorOptions(clientID: "app", clientSecret: "s3cret")
        let result = try await InProcessEmulator.with(try Self.served(), options: options) { base in
            try await capture(base, out: out, env: ["AZURE_CLIENT_ID": "app", "AZURE_CLIENT_SECRET": "guess"])
        }
        #expect(result.status == 4)
        #expect(result.stderr.contains("invalid_client: AADSTS7000215: Invalid client secret provided."), "\(result.stderr)")
        #expect(!result.stderr.contains("guess"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("A certificate from AZURE_CLIENT_CERTIFICATE_PATH signs in; a ready token the service never issued is refused")
    func certificateAndToken() async throws {
        let pem = Fixture.url("graph/client.pem")
        let options = EmulatorOptions(clientID: "app", certificate: try EmulatorCertificate(pem: String(contentsOf: pem, encoding: .utf8)))
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let forged = Fixture.temporaryDirectory().appendingPathComponent("forged")
        let (good, bad) = try await InProcessEmulator.with(try Self.served(), options: options) { base in
            (try await capture(base, out: out, env: ["AZURE_CLIENT_ID": "app", "AZURE_CLIENT_CERTIFICATE_PATH": pem.path]),
             try await capture(base, out: forged, env: ["BREAKGLASS_GRAPH_TOKEN": "not-a-token"]))
        }
        #expect(good.status == 0, "\(good.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("users.json").path))
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("HTTP 401: InvalidAuthenticationToken"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("not-a-token"))
    }

    @Test("An expired device code exits 4 and says so")
    func expiredDeviceCode() async throws {
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let result = try await InProcessEmulator.with(try Self.served(), options: EmulatorOptions(deviceCodeLifetime: 0)) { base in
            try await capture(base, out: out, extra: ["--device-code"], env: [:])
        }
        #expect(result.status == 4)
        #expect(result.stderr.contains("devicelogin"))
        #expect(result.stderr.contains("device code expired"), "\(result.stderr)")
    }

    @Test("An endpoint that keeps failing exits 4 and leaves nothing in --out")
    func failingEndpoint() async throws {
        let parent = Fixture.temporaryDirectory()
        let out = parent.appendingPathComponent("captured")
        let result = try await InProcessEmulator.with(try Self.served(), options: EmulatorOptions(failingPaths: ["/groups"])) { base in
            try await capture(base, out: out, extra: ["--retry-budget", "2"])
        }
        #expect(result.status == 4)
        #expect(result.stderr.contains("GET /v1.0/groups kept failing"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
    }

    @Test("A licence-limited endpoint is recorded as notLicensed; the capture succeeds and its checks say unknown")
    func notLicensed() async throws {
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let options = EmulatorOptions(unlicensedFiles: ["sign-ins.json", "role-eligibility-schedules.json"])
        let result = try await InProcessEmulator.with(try Self.served(), options: options) { base in
            try await capture(base, out: out)
        }
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
            as? [String: Any])
        let files = try #require(manifest["files"] as? [String: [String: String]])
        #expect(files["sign-ins.json"]?["status"] == "notLicensed")
        #expect(files["role-eligibility-schedules.json"]?["status"] == "notLicensed")
        #expect(files["users.json"]?["status"] == "ok")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("sign-ins.json").path))
        let audit = try await audit(out)
        let statuses = try Self.findings(audit.stdout).filter { $0.hasPrefix("BG063") }
        #expect(!statuses.isEmpty && statuses.allSatisfy { $0.contains("unknown") }, "\(statuses)")
    }

    @Test("audit --tenant reads live and --save keeps the capture")
    func auditLive() async throws {
        let save = Fixture.temporaryDirectory().appendingPathComponent("kept")
        let result = try await InProcessEmulator.with(try Self.served()) { base in
            try await CLI.runDetached(
                ["audit", "--tenant", "t", "--config", Self.config, "--graph-endpoint", base.absoluteString,
                 "--authority", base.absoluteString, "--save", save.path, "--format", "json", "--as-of", Self.asOf,
                 "--allow-credentials-to-host", "127.0.0.1"],
                environment: cleanEnvironment(["BREAKGLASS_GRAPH_TOKEN": "", "AZURE_CLIENT_ID": "a", "AZURE_CLIENT_SECRET": "b"]))
        }
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: save.appendingPathComponent("manifest.json").path))
        let offline = try await audit(save)
        #expect(try Self.findings(result.stdout) == Self.findings(offline.stdout))
    }

    // Issue 9, items 7, 10 and 16: the capture asks for what the evaluator reads — B2B state, certificate user ids
    // and the FIDO2 key-model restrictions of custom strengths (a relationship the list leaves out).
    @Test("The capture selects B2B state and certificate ids, and expands strengths' combination configurations")
    func capturesWhatTheEvaluatorReads() async throws {
        let served = try Self.served()
        let strengths = """
            {"value":[{"id":"00000000-0000-0000-0000-000000000004","displayName":"Phishing-resistant MFA",
            "policyType":"builtIn","allowedCombinations":["fido2"]},
            {"id":"c0ffee00-0000-4000-8000-000000000001","displayName":"Approved keys","policyType":"custom",
            "allowedCombinations":["fido2"],"combinationConfigurations":[{"@odata.type":
            "#microsoft.graph.fido2CombinationConfiguration","id":"cc1","appliesToCombinations":["fido2"],
            "allowedAAGUIDs":["cb69481e-8ff7-4039-93ec-0a2729a154a8"]}]}]}
            """
        try Data(strengths.utf8).write(to: served.appendingPathComponent("authentication-strengths.json"))
        let usersURL = served.appendingPathComponent("users.json")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: usersURL)) as? [String: Any])
        var users = try #require(document["value"] as? [[String: Any]])
        users[0]["externalUserState"] = "Accepted"
        users[0]["creationType"] = "Invitation"
        users[0]["authorizationInfo"] = ["certificateUserIds": ["X509:<PN>someone@fabrikam.com"]]
        document["value"] = users
        try JSONSerialization.data(withJSONObject: document).write(to: usersURL)

        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let options = EmulatorOptions(pageSize: 50, clientID: "app", clientSecret: "s3cret")
        let result = try await InProcessEmulator.with(served, options: options) { base in
            try await capture(base, out: out)
        }
        #expect(result.status == 0, "\(result.stderr)")
        let captured = try String(contentsOf: out.appendingPathComponent("users.json"), encoding: .utf8)
        #expect(captured.contains("\"externalUserState\":\"Accepted\""))
        #expect(captured.contains("\"creationType\":\"Invitation\""))
        #expect(captured.contains("X509:<PN>someone@fabrikam.com"))
        let capturedStrengths = try String(contentsOf: out.appendingPathComponent("authentication-strengths.json"),
                                           encoding: .utf8)
        #expect(capturedStrengths.contains("cb69481e-8ff7-4039-93ec-0a2729a154a8"))
    }

    static func ids(_ data: Data) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return ((object["value"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    /// One line per result ("BG063 {…}"), sorted, then the summary and the emergency accounts of a JSON audit report, sorted.
    static func findings(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]], "no results in \(json.prefix(300))")
        func text(_ value: Any) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        let lines = results.map { "\($0["check"] ?? "") \(text($0))" }.sorted()
        return lines + ["summary \(text(object["summary"] ?? [:]))", "accounts \(text(object["emergencyAccounts"] ?? []))"]
    }
}

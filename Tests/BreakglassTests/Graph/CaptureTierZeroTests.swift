import Foundation
import GraphEmulator
import Testing

/// The tier-0 files captured from the Graph emulator: every request of SnapshotCapture.tierZeroJobs and the owner and
/// member lists after them, and a refused permission recorded, never guessed.
@Suite("Capture of owners, applications, administrative units and the methods policy", .serialized)
struct CaptureTierZeroTests {
    static let config = Fixture.url("good").appendingPathComponent("breakglass.yml").path

    func capture(_ served: URL, out: URL) async throws -> CLI.Result {
        let options = EmulatorOptions(pageSize: 2, clientID: "app", clientSecret: "s3cret")
        return try await InProcessEmulator.with(served, options: options) { base in
            try await CLI.runDetached(
                ["snapshot", "--tenant", "fabrikam.onmicrosoft.com", "--out", out.path, "--config", Self.config,
                 "--graph-endpoint", base.absoluteString, "--authority", base.absoluteString,
                 "--allow-credentials-to-host", "127.0.0.1"],
                environment: cleanEnvironment(["AZURE_CLIENT_ID": "app", "AZURE_CLIENT_SECRET": "s3cret"]))
        }
    }

    func paths(_ folder: URL) throws -> [String: Any] {
        let result = try CLI.run(["paths", "--snapshot", folder.path, "--config", Self.config, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("Every tier-0 file is captured and the paths come out the same as from the folder served")
    func roundTrip() async throws {
        let served = try Fixture.copy("good")
        try FileManager.default.removeItem(at: served.appendingPathComponent("breakglass.yml"))
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let result = try await capture(served, out: out)
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["service-principals.json", "graph-service-principal.json", "graph-app-role-assignments.json",
                     "applications.json", "administrative-units.json", "authentication-methods-policy.json",
                     "administrative-unit-members/d0000000-0000-4000-8000-0000000ea0a1.json",
                     "group-owners/e0000000-0000-4000-8000-0000000e0c10.json",
                     "service-principal-owners/c0000000-0000-4000-8000-00000000b001.json",
                     "application-owners/c1000000-0000-4000-8000-00000000b001.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) not captured")
        }
        // Owners are read only where they matter: the backup app holds a read permission.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("service-principal-owners/c0000000-0000-4000-8000-00000000b002.json").path))
        let before = try paths(served)
        let after = try paths(out)
        let encode = { (value: Any?) in
            String(decoding: (try? JSONSerialization.data(withJSONObject: value ?? [], options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
        #expect(encode(before["paths"]) == encode(after["paths"]))
        #expect(encode(after["limitations"]) == "[]")
    }

    @Test("Without Application.Read.All the capture records the refusal and BG023 says unknown, naming the permission")
    func forbidden() async throws {
        let served = try Fixture.copy("good")
        try FileManager.default.removeItem(at: served.appendingPathComponent("breakglass.yml"))
        let manifest = #"{"tenantId":"f0000000-0000-4000-8000-0000000fab01","capturedAt":"2026-11-01T09:00:00Z","files":{"service-principals.json":{"status":"forbidden"}}}"#
        try Data(manifest.utf8).write(to: served.appendingPathComponent("manifest.json"))
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let result = try await capture(served, out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let captured = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])
        let entry = (captured["files"] as? [String: Any])?["service-principals.json"] as? [String: Any]
        #expect(entry?["status"] as? String == "forbidden")
        let audit = try CLI.run(["audit", "--snapshot", out.path, "--config", Self.config, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let bg023 = try #require((report["results"] as? [[String: Any]])?.first { $0["check"] as? String == "BG023" })
        #expect(bg023["status"] as? String == "unknown")
        #expect((bg023["message"] as? String)?.contains("Application.Read.All") == true)
    }
}

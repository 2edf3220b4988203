import AccessPolicy
import Foundation
import GraphEmulator
import Testing

/// `whatif --compare-live` against the emulator's What If endpoint (answered by the local evaluator, with one
/// planted disagreement): it must report exactly that policy and nothing else.
@Suite("whatif --compare-live against Microsoft's What If (emulated)", .serialized)
struct CompareLiveTests {
    static let user = "alexw@contoso.com"

    func served() throws -> (folder: URL, policy: String) {
        let folder = Fixture.temporaryDirectory().appendingPathComponent("demo")
        let result = try CLI.run(["snapshot", "--demo", "--out", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let policies = try Data(contentsOf: folder.appendingPathComponent("conditional-access-policies.json"))
        let list = try #require(try JSONSerialization.jsonObject(with: policies) as? [String: Any])
        let first = try #require((list["value"] as? [[String: Any]])?.first?["id"] as? String)
        return (folder, first)
    }

    func compare(_ base: URL, config: URL, extra: [String]) async throws -> CLI.Result {
        try await CLI.runDetached(
            ["whatif", "--tenant", "contoso.onmicrosoft.com", "--compare-live", "--config", config.path,
             "--graph-endpoint", base.absoluteString, "--authority", base.absoluteString,
             "--allow-credentials-to-host", "127.0.0.1"] + extra,
            environment: cleanEnvironment(["AZURE_CLIENT_ID": "app", "AZURE_CLIENT_SECRET": "s3cret"]))
    }

    @Test("Reports exactly the planted disagreement, with both sides' reasons, and exits 1")
    func reportsThePlantedDisagreement() async throws {
        let (folder, policy) = try served()
        var options = EmulatorOptions(clientID: "app", clientSecret: "s3cret")
        options.whatIfDisagreements = [policy]
        let config = folder.appendingPathComponent("breakglass.yml")
        let result = try await InProcessEmulator.with(folder, options: options) { base in
            try await compare(base, config: config, extra: ["--user", Self.user, "--format", "json"])
        }
        #expect(result.status == 1, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let disagreements = try #require(object["disagreements"] as? [[String: Any]])
        #expect(disagreements.map { $0["id"] as? String } == [policy])
        let local = try #require(disagreements.first?["local"] as? [String: Any])
        #expect((local["reasons"] as? [String])?.isEmpty == false)
        #expect((object["agreed"] as? Int ?? 0) >= 10)
    }

    @Test("With nothing planted every policy agrees, in a batch too, and the exit code is 0")
    func agreesWhenNothingIsPlanted() async throws {
        let (folder, _) = try served()
        let batch = folder.appendingPathComponent("sign-ins.jsonl")
        let lines = [
            #"{"user":"alexw@contoso.com","resource":"azure-portal"}"#,
            #"{"user":"bg-01@contoso.onmicrosoft.com","resource":"graph","clientApp":"mobileAppsAndDesktopClients"}"#,
            #"{"user":"alexw@contoso.com","resource":"exchange-online","clientApp":"exchangeActiveSync","country":"FR","ip":"192.0.2.10"}"#,
            #"{"user":"nobody@contoso.com"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: batch)
        let config = folder.appendingPathComponent("breakglass.yml")
        let result = try await InProcessEmulator.with(folder, options: EmulatorOptions(clientID: "app", clientSecret: "s3cret")) { base in
            try await compare(base, config: config, extra: ["--batch", batch.path])
        }
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(outputs.count == 4)
        #expect(outputs.prefix(3).allSatisfy { ($0["disagreements"] as? [Any])?.isEmpty == true })
        #expect(outputs.last?["line"] as? Int == 4 && outputs.last?["error"] != nil)
    }

    @Test("The request carries the sign-in as Graph's signInConditions, and reads back the same context")
    func requestRoundTrip() throws {
        let device = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                            properties: ["trustType": "AzureAD", "deviceOwnership": "Company", "systemLabels": "a, b"])
        let context = SignInContext(userID: "u1", resource: Resource.graph, clientApp: "mobileAppsAndDesktopClients",
                                    platform: "macOS", ipAddress: "203.0.113.9", country: "NL", userRisk: "low",
                                    signInRisk: "medium", device: device, insiderRisk: "minor")
        let body = WhatIfAPI.requestBody(for: context)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let conditions = try #require(object["signInConditions"] as? [String: Any])
        #expect(conditions["devicePlatform"] as? String == "macOS")
        #expect((conditions["deviceInfo"] as? [String: Any])?["ownership"] as? String == "Company")
        #expect((conditions["deviceInfo"] as? [String: Any])?["systemLabels"] as? [String] == ["a", "b"])
        let back = try WhatIfAPI.context(fromRequest: body)
        #expect(back.userID == "u1" && back.resource == Resource.graph && back.platform == "macOS")
        #expect(back.device.isCompliant && back.device.properties["deviceOwnership"] == "Company")
        #expect(back.insiderRisk == "minor" && back.country == "NL" && back.signInRisk == "medium")
    }
}

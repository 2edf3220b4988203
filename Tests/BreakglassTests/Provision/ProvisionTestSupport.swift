import Custody
import Foundation
import Graph
import GraphEmulator
import Testing

/// A provisioning scenario: three enrolled custodians (keys in a temporary folder), a breakglass.yml naming them and
/// the two accounts to create, and every CLI output kept so a test can look for leaked secrets.
final class ProvisionScenario: @unchecked Sendable {
    let folder: URL
    let config: URL
    let lock = NSLock()
    private var outputs: [String] = []
    static let passphrase = "correct horse battery staple"
    static let custodians = ["alice", "bob", "carol"]
    static let tenantID = "f0000000-0000-4000-8000-0000000fab01"
    static let accounts = ["bg-01@fabrikam.onmicrosoft.com", "bg-02@fabrikam.onmicrosoft.com"]

    init(requirePhishingResistantMfa: Bool = false,
         accounts: [String] = ProvisionScenario.accounts.map { "userPrincipalName: \($0)" },
         exclusionGroup: String? = nil) throws {
        folder = Fixture.temporaryDirectory()
        var keys: [String] = []
        for name in Self.custodians {
            let path = folder.appendingPathComponent("\(name).key").path
            let key = CustodianKey(name: name)
            try key.write(toPath: path, passphrase: Secret(utf8: Self.passphrase), parameters: ScryptParameters(n: 1 << 12, r: 8, p: 1))
            keys.append("    - name: \(name)\n      publicKey: \(key.publicKey)")
        }
        config = folder.appendingPathComponent("breakglass.yml")
        let yaml = """
            tenant: \(Self.tenantID)
            emergencyAccounts:
            \(accounts.map { "  - \($0)" }.joined(separator: "\n"))
            \(exclusionGroup.map { "exclusionGroup: \($0)" } ?? "")
            guidance:
              requirePhishingResistantMfa: \(requirePhishingResistantMfa)
            custody:
              threshold: 2
              approvals: 2
              custodians:
            \(keys.joined(separator: "\n"))

            """
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        // The custody ledger exists before the first apply, as in a tenant where custody is set up: apply refuses
        // to create one from a mistyped path (issue 10, item 6).
        _ = try Ledger(path: folder.appendingPathComponent("custody.db").path)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    var environment: [String: String] {
        cleanEnvironment(["AZURE_CLIENT_ID": "breakglass-tests", "AZURE_CLIENT_SECRET": "emulator-secret",
                          "BREAKGLASS_PASSPHRASE": Self.passphrase, "NO_COLOR": "1"])
    }

    /// Runs the CLI, keeping its output for the leak check.
    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CLI.Result {
        let result = try await CLI.runDetached(arguments, environment: environment.merging(extra) { _, new in new })
        lock.withLock { outputs += [result.stdout, result.stderr] }
        return result
    }

    var allOutput: [String] { lock.withLock { outputs } }

    func live(_ url: URL, arm: Bool = true) -> [String] {
        ["--tenant", Self.tenantID, "--graph-endpoint", url.absoluteString, "--authority", url.absoluteString,
         "--retry-budget", "2", "--allow-credentials-to-host", "127.0.0.1"]
            + (arm ? ["--arm-endpoint", url.absoluteString] : [])
    }

    func approve(_ plan: String, by custodians: [String], command: String = "provision") async throws {
        for name in custodians {
            let result = try await run([command, "approve", plan, "--key", path("\(name).key")])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// The audit of a fresh capture, as JSON results: check id → statuses.
    func audit(_ url: URL, asOf: Date? = nil) async throws -> [(check: String, status: String, subject: String, message: String)] {
        let clock = asOf.map { ["--as-of", ISO8601DateFormatter().string(from: $0)] } ?? []
        let result = try await run(["audit"] + live(url) + ["--config", config.path, "--format", "json", "--fail-on", "critical"] + clock)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let results = try #require(json["results"] as? [[String: Any]])
        return results.map {
            ($0["check"] as? String ?? "", $0["status"] as? String ?? "",
             ($0["subject"] as? [String: Any])?["name"] as? String ?? "", $0["message"] as? String ?? "")
        }
    }

    /// Every file under the folder (plans, journals, ledgers, keys), as text, for the leak check.
    func filesText(excluding excluded: (String) -> Bool) throws -> [(path: String, text: String)] {
        var found: [(String, String)] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !excluded(url.path), let data = FileManager.default.contents(atPath: url.path) else { continue }
            found.append((url.path, String(decoding: data, as: UTF8.self)))
        }
        return found
    }

    /// The share lines (between BEGIN and END) of every sheet under the folder.
    func shareLines() throws -> [String] {
        try filesText { !$0.contains("/shares/") }.flatMap { file in
            file.text.split(separator: "\n").map(String.init).filter { $0.wholeMatch(of: /\d\d  [0-9A-Z]{1,4}( [0-9A-Z]{1,4})*  [0-9A-Z]/) != nil }
        }
    }
}

enum EmulatorHarness {
    /// Serves `emulator` on a free loopback port for the duration of `body`.
    static func with<T: Sendable>(_ emulator: GraphEmulator, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let server = EmulatorServer(emulator: emulator, port: 0)
        return try await server.serving(body)
    }

    /// A Graph client signed in to the emulator with client credentials.
    static func client(_ url: URL) -> (GraphClient, AsyncHTTPTransport) {
        let transport = AsyncHTTPTransport()
        let endpoints = GraphEndpoints(graph: url, authority: url)
        let provider = ClientSecretProvider(tenant: ProvisionScenario.tenantID, clientID: "tests", secret: "any",
                                            endpoints: endpoints, transport: transport)
        return (GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport), transport)
    }
}

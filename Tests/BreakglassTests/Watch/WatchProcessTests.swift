import Foundation
import GraphEmulator
import Testing
import Watch

/// `breakglass watch` as a real process.
final class WatchProcess: @unchecked Sendable {
    let process = Process()
    let output = Pipe()
    let errors = Pipe()
    private(set) var port = 0

    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = CLI.executable
        process.arguments = ["watch"] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("\n"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("listening on http://127.0.0.1:"),
              let port = Int(line.split(separator: ":").last ?? "") else {
            process.terminate()
            let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw CLIFailure(message: "watch did not start: \(text) \(stderr)")
        }
        self.port = port
    }

    struct CLIFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    /// SIGKILL: no graceful shutdown, nothing flushed.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }
}

@Suite("breakglass watch as a process", .serialized)
struct WatchProcessTests {
    static func configuration(emulator: URL, receiver: URL) -> String {
        """
        tenants:
          - tenant: fabrikam.onmicrosoft.com
            name: Fabrikam
            graphEndpoint: \(emulator.absoluteString)
            authority: \(emulator.absoluteString)
            emergencyAccounts:
              - id: \(WatchFixture.bg01)
              - userPrincipalName: bg-02@fabrikam.onmicrosoft.com
            exclusionGroup: \(WatchFixture.group)
            credentials:
              clientId: watch-tests
              clientSecretEnv: BG_TEST_CLIENT_SECRET
        monitoring:
          notify:
            - type: webhook
              url: \(receiver.appendingPathComponent("webhook").absoluteString)
              secretEnv: BG_TEST_WEBHOOK_SECRET
            - type: pagerduty
              url: \(receiver.appendingPathComponent("pagerduty").absoluteString)
              secretEnv: BG_TEST_PAGERDUTY_KEY
          watch:
            pollIntervalSeconds: 1
            tokenEnv: BG_TEST_TOKEN
            webhookSecretEnv: BG_TEST_ALERT_SECRET
        """
    }

    static let environment = [
        "BG_TEST_CLIENT_SECRET": "any", "BG_TEST_WEBHOOK_SECRET": WatchHarness.webhookSecret,
        "BG_TEST_PAGERDUTY_KEY": WatchHarness.routingKey, "BG_TEST_TOKEN": DashboardHarness.token,
        "BG_TEST_ALERT_SECRET": DashboardHarness.webhookSecret,
    ]

    @Test("kill -9 mid-delivery, restart: every notification is delivered; a repeat carries the same webhook-id")
    func killMidDelivery() async throws {
        let folder = Fixture.temporaryDirectory()
        let timeline = EmulatorTimeline(entries: [
            .init(at: 0, change: .add(file: "sign-ins.json", item: WatchFixture.signIn(id: "crash-1"))),
        ])
        let receiver = Recorder()
        // The first delivery is never answered: the service is killed while it waits.
        await receiver.setHold(1)
        try await InProcessEmulator.with(Fixture.url("good"), options: EmulatorOptions(timeline: timeline)) { emulator in
            try await Recorder.with(receiver) { hooks in
                let config = folder.appendingPathComponent("breakglass.yml")
                try Self.configuration(emulator: emulator, receiver: hooks).write(to: config, atomically: true, encoding: .utf8)
                let arguments = ["--config", config.path, "--database", folder.appendingPathComponent("watch.sqlite").path,
                                 "--port", "0", "--allow-credentials-to-host", "127.0.0.1"]
                let first = try WatchProcess(arguments, environment: Self.environment)
                try await receiver.wait(timeout: 60) { $0.count >= 1 }
                let held = try #require(await receiver.received.first)
                first.kill9()

                let second = try WatchProcess(arguments, environment: Self.environment)
                defer { _ = second.stop() }
                // Both notifications of the opening (webhook and PagerDuty) arrive, the held one again.
                try await receiver.wait(timeout: 60) { received in
                    Set(received.dropFirst().map(\.path)) == ["/webhook", "/pagerduty"]
                }
                let repeated = try #require(await receiver.received.dropFirst().first { $0.path == held.path })
                if held.path == "/webhook" {
                    #expect(repeated.headers["webhook-id"] == held.headers["webhook-id"])
                    #expect(verifyStandardWebhook(repeated, secret: WatchHarness.webhookSecret))
                } else {
                    #expect(repeated.json["dedup_key"] as? String == held.json["dedup_key"] as? String)
                }
                // Nothing is pending or lost: the API lists every notification as delivered.
                let list = try await http("GET", second.baseURL.appendingPathComponent("api/incidents"),
                                          headers: [("Authorization", "Bearer \(DashboardHarness.token)")])
                let incidentID = try #require((try JSONSerialization.jsonObject(with: list.body) as? [[String: Any]])?.first?["id"] as? String)
                try await eventually("every notification delivered") {
                    let detail = try await http("GET", second.baseURL.appendingPathComponent("api/incidents/\(incidentID)"),
                                                headers: [("Authorization", "Bearer \(DashboardHarness.token)")])
                    let notifications = (try JSONSerialization.jsonObject(with: detail.body) as? [String: Any])?["notifications"] as? [[String: Any]] ?? []
                    return notifications.count == 2 && notifications.allSatisfy { $0["deliveredAt"] != nil }
                }
                // Every webhook delivery the receiver saw is one of the two messages (at least once, not more ids).
                let ids = Set(await receiver.requests(to: "/webhook").compactMap { $0.headers["webhook-id"] })
                #expect(ids.count == 1)
            }
        }
    }

    @Test("A configuration with a secret in clear, or a missing secret, exits 2 naming the key; nothing starts")
    func configurationErrors() throws {
        let folder = Fixture.temporaryDirectory()
        let config = folder.appendingPathComponent("breakglass.yml")
        try """
        tenant: fabrikam.onmicrosoft.com
        monitoring:
          notify:
            - type: slack
              url: https://hooks.slack.com/services/T000/B000/XXXX
        """.write(to: config, atomically: true, encoding: .utf8)
        let clear = try CLI.run(["watch", "--config", config.path, "--database", folder.appendingPathComponent("w.sqlite").path],
                                environment: cleanEnvironment(["BREAKGLASS_WATCH_TOKEN": DashboardHarness.token]))
        #expect(clear.status == 2)
        #expect(clear.stderr.contains("monitoring.notify[0]") && clear.stderr.contains("urlEnv"))
        #expect(!clear.stderr.contains("XXXX"))
        try "tenant: fabrikam.onmicrosoft.com\n".write(to: config, atomically: true, encoding: .utf8)
        let noToken = try CLI.run(["watch", "--config", config.path, "--database", folder.appendingPathComponent("w.sqlite").path],
                                  environment: cleanEnvironment(["BREAKGLASS_WATCH_TOKEN": ""]))
        #expect(noToken.status == 2)
        #expect(noToken.stderr.contains("BREAKGLASS_WATCH_TOKEN"))
        let badDatabase = try CLI.run(["watch", "--config", config.path, "--database", "postgres://u:p@db.example.net/x?sslmode=disable"],
                                      environment: cleanEnvironment(["BREAKGLASS_WATCH_TOKEN": DashboardHarness.token]))
        #expect(badDatabase.status == 2)
        #expect(badDatabase.stderr.contains("loopback"))
    }
}

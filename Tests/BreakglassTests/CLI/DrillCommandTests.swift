import Custody
import EntraModel
import Foundation
import GraphEmulator
import Testing

@Suite("breakglass drill start|finish")
struct DrillCommandTests {
    static let bg01 = "b9000001-0000-4000-8000-000000000001"
    static let passphrase = "correct horse battery staple"

    /// A folder with breakglass.yml (the good tenant's accounts, custodians alice with a key and bob without, the
    /// ledger custody.db), alice's key, mallory's key (no custodian) and an empty ledger.
    struct Scene {
        let folder: URL
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        var config: String { path("breakglass.yml") }
        var ledger: String { path("custody.db") }

        init() throws {
            folder = Fixture.temporaryDirectory()
            let weak = ScryptParameters(n: 1 << 12, r: 8, p: 1)
            let alice = CustodianKey(name: "alice")
            try alice.write(toPath: folder.appendingPathComponent("alice.key").path, passphrase: Secret(utf8: DrillCommandTests.passphrase),
                            parameters: weak)
            try CustodianKey(name: "mallory").write(toPath: folder.appendingPathComponent("mallory.key").path,
                                                    passphrase: Secret(utf8: DrillCommandTests.passphrase), parameters: weak)
            try """
                tenant: fabrikam.onmicrosoft.com
                emergencyAccounts:
                  - id: \(DrillCommandTests.bg01)
                  - userPrincipalName: bg-02@fabrikam.onmicrosoft.com
                custody:
                  ledger: custody.db
                  custodians:
                    - name: alice
                      publicKey: \(alice.publicKey)
                    - bob

                """.write(toFile: folder.appendingPathComponent("breakglass.yml").path, atomically: true, encoding: .utf8)
            _ = try Ledger(path: folder.appendingPathComponent("custody.db").path)
        }

        @discardableResult
        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Result {
            try CLI.run(arguments, in: folder, environment: cleanEnvironment(
                ["BREAKGLASS_PASSPHRASE": DrillCommandTests.passphrase, "NO_COLOR": "1"].merging(environment) { _, new in new }))
        }

        func start(_ extra: [String] = [], starts: String = "2026-11-10T07:00:00Z") throws -> CLI.Result {
            try run(["drill", "start", "--account", DrillCommandTests.bg01, "--ledger", ledger, "--config", config,
                     "--starts", starts, "--window", "4h"] + extra)
        }

        func finish(_ extra: [String]) throws -> CLI.Result {
            try run(["drill", "finish", "--account", DrillCommandTests.bg01, "--ledger", ledger, "--config", config] + extra)
        }

        /// A Graph signIns page of bg-01's successful sign-ins at `times`.
        func signIns(_ times: [String], name: String = "sign-ins.json") throws -> String {
            let items = times.enumerated().map { index, time in
                """
                {"id": "s-\(index)", "createdDateTime": "\(time)", "userId": "\(DrillCommandTests.bg01)",
                 "userPrincipalName": "bg-01@fabrikam.onmicrosoft.com", "appDisplayName": "Azure Portal",
                 "isInteractive": true, "status": {"errorCode": 0}}
                """
            }
            try "{\"value\": [\(items.joined(separator: ","))]}".write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }

        /// A Graph directoryAudits page: alice resets bg-01's password at `time`.
        func passwordReset(at time: String) throws -> String {
            try """
                {"value": [{"id": "a-1", "category": "UserManagement", "activityDisplayName": "Reset password (by admin)",
                  "activityDateTime": "\(time)", "result": "success", "loggedByService": "Core Directory",
                  "initiatedBy": {"user": {"id": "a1000000-0000-4000-8000-00000000a11c", "userPrincipalName": "alice@fabrikam.com"}},
                  "targetResources": [{"id": "\(DrillCommandTests.bg01)", "type": "User",
                                       "userPrincipalName": "bg-01@fabrikam.onmicrosoft.com", "modifiedProperties": []}]}]}
                """.write(toFile: path("audits.json"), atomically: true, encoding: .utf8)
            return path("audits.json")
        }

        func entries() throws -> [LedgerEntry] { try Ledger(readingAt: ledger).entries() }
    }

    @Test("an account that is not a configured emergency account is refused with exit 2, and nothing is recorded")
    func unknownAccount() throws {
        let scene = try Scene()
        for command in ["start", "finish"] {
            var arguments = ["drill", command, "--account", "alice@fabrikam.com", "--ledger", scene.ledger, "--config", scene.config]
            if command == "finish" { arguments += ["--logs", try scene.signIns([])] }
            let result = try scene.run(arguments)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("alice@fabrikam.com is not a configured emergency account"))
            #expect(result.stderr.contains("bg-02@fabrikam.onmicrosoft.com"))
        }
        #expect(try scene.entries().isEmpty)
    }

    @Test("start records who, which account, the window and alice's verified approval; no password is asked for")
    func startRecordsTheDrill() throws {
        let scene = try Scene()
        let result = try scene.start(["--approve-key", scene.path("alice.key"), "--reason", "Q4 drill"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sign-in expected 2026-11-10T07:00:00Z to 2026-11-10T11:00:00Z; approved by alice"))
        let drills = try Ledger(readingAt: scene.ledger).verifiedDrills()
        let plan = try #require(drills.first?.plan)
        #expect(drills.count == 1)
        #expect(plan.account == Self.bg01 && plan.plannedBy == "alice" && plan.reason == "Q4 drill")
        #expect(plan.tenant == "fabrikam.onmicrosoft.com")
        #expect(plan.verifyApprovals(custodians: [(name: "alice", publicKey: try Self.alicePublicKey(scene))]).valid == ["alice"])
        #expect(try scene.entries().first?.actor == "alice")
        #expect(!result.stdout.contains(Self.passphrase) && !result.stderr.contains(Self.passphrase))
    }

    @Test("a key whose custodian breakglass.yml does not list is refused (exit 5), and nothing is recorded")
    func unlistedKeyRefused() throws {
        let scene = try Scene()
        let result = try scene.start(["--approve-key", scene.path("mallory.key")])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("mallory"))
        #expect(try scene.entries().isEmpty)
    }

    @Test("finish without a sign-in in the window: exit 1 naming it, and the outcome recorded")
    func finishWithoutSignIn() throws {
        let scene = try Scene()
        #expect(try scene.start(["--actor", "carol"]).status == 0)
        // bg-01 signed in the day before the window: not the drill.
        let result = try scene.finish(["--logs", try scene.signIns(["2026-11-09T08:00:00Z"]), try scene.passwordReset(at: "2026-11-10T09:00:00Z")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("Drill incomplete: no sign-in seen between 2026-11-10T07:00:00Z and 2026-11-10T11:00:00Z"))
        let last = try #require(try scene.entries().last)
        #expect(last.action == .drill)
        #expect(last.outcome.hasSuffix("signed in no, rotated no"))
        #expect(try Ledger(readingAt: scene.ledger).verifiedDrills().first?.outcome?.signedIn == false)
    }

    @Test("finish after the sign-in but before rotation is 1 naming the rotation; after it, 0 with a ledger entry")
    func finishAfterSignInAndRotation() throws {
        let scene = try Scene()
        #expect(try scene.start(["--actor", "carol"]).status == 0)
        let signIns = try scene.signIns(["2026-11-10T08:00:00Z", "2026-11-10T08:05:00Z"])

        // A reset before the last sign-in is not a rotation after it.
        let early = try scene.finish(["--logs", signIns, try scene.passwordReset(at: "2026-11-10T08:01:00Z"), "--actor", "dave"])
        #expect(early.status == 1, "\(early.stderr)")
        #expect(early.stdout.contains("rotation not done yet: no password change after the sign-in at 2026-11-10T08:05:00Z"))

        let done = try scene.finish(["--logs", signIns, try scene.passwordReset(at: "2026-11-10T08:30:00Z"), "--actor", "dave"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("signed in: yes, 2026-11-10T08:05:00Z"))
        #expect(done.stdout.contains("rotated:   yes, password changed 2026-11-10T08:30:00Z"))
        let entries = try scene.entries()
        #expect(entries.count == 3)
        #expect(entries.last?.actor == "dave")
        #expect(entries.last?.outcome.hasSuffix("signed in yes (2026-11-10T08:05:00Z), rotated yes (2026-11-10T08:30:00Z)") == true)
        let drill = try #require(try Ledger(readingAt: scene.ledger).verifiedDrills().first)
        #expect(drill.outcome?.isComplete == true)
        #expect(drill.outcome?.checkedIn.hasPrefix("logs ") == true)
        #expect(try Ledger(readingAt: scene.ledger).verify().isIntact)
    }

    @Test("finish with no drill started is a usage error (exit 2)")
    func finishWithoutStart() throws {
        let scene = try Scene()
        let result = try scene.finish(["--logs", try scene.signIns(["2026-11-10T08:00:00Z"])])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no drill of \(Self.bg01) is recorded"))
    }

    @Test("a ledger whose drill entry was edited fails verification; drill refuses it (exit 5)")
    func tamperedLedger() throws {
        let scene = try Scene()
        #expect(try scene.start(["--actor", "carol"]).status == 0)
        let detail = try #require(try scene.entries().first?.detail)
        try tamperLedgerFile(scene.ledger, "UPDATE ledgerEntry SET detail = '\(detail.replacingOccurrences(of: "2026-11-10T11:00:00Z", with: "2026-12-10T11:00:00Z"))' WHERE sequence = 1;")
        let verify = try scene.run(["custody", "ledger", "verify", "--ledger", scene.ledger])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("entry 1 was changed after it was written"))
        let finish = try scene.finish(["--logs", try scene.signIns(["2026-11-10T08:00:00Z"])])
        #expect(finish.status == 5, "\(finish.stderr)")
        #expect(finish.stderr.contains("fails verification"))
        #expect(try scene.start([]).status == 5)
        #expect(try scene.entries().count == 1)
    }

    @Test("audit reads the drills of the ledger breakglass.yml names: BG062 counts only recorded drills")
    func auditReadsTheLedger() throws {
        let scene = try Scene()
        let audit = try scene.run(["audit", "--snapshot", Fixture.url("good").path, "--config", scene.config, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any], "\(audit.stderr)")
        let results = try #require(report["results"] as? [[String: Any]])
        let bg062 = try #require(results.first {
            $0["check"] as? String == "BG062" && ($0["subject"] as? [String: Any])?["id"] as? String == Self.bg01
        })
        #expect(bg062["status"] as? String == "fail")
        #expect((bg062["message"] as? String)?.contains("No drill of bg-01@fabrikam.onmicrosoft.com is recorded in custody.db") == true)
    }

    @Test("finish --tenant reads the sign-in and the password change live through Graph (the emulator over loopback)")
    func finishLive() async throws {
        let scene = try Scene()
        let clock = ManualClock()
        let started = clock.now.addingTimeInterval(-600)
        let timeline = EmulatorTimeline(entries: [
            .init(at: 0, lag: 120, change: .add(file: "sign-ins.json", item: WatchFixture.signIn(id: "live-drill-1"))),
            .init(at: 0, change: .update(file: "users.json", id: Self.bg01, set: ["lastPasswordChangeDateTime": "$now"])),
        ])
        #expect(try scene.start(starts: GraphDate.format(started)).status == 0)
        try await InProcessEmulator.with(Fixture.url("good"), options: EmulatorOptions(timeline: timeline, now: clock.read)) { emulator in
            let result = try await CLI.runDetached(
                ["drill", "finish", "--account", Self.bg01, "--ledger", scene.ledger, "--config", scene.config,
                 "--tenant", "fabrikam.onmicrosoft.com", "--graph-endpoint", emulator.absoluteString,
                 "--authority", emulator.absoluteString, "--allow-credentials-to-host", "127.0.0.1"],
                environment: cleanEnvironment(["AZURE_CLIENT_ID": "drill-tests", "AZURE_CLIENT_SECRET": "emulator-secret",
                                               "NO_COLOR": "1"]))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("checked in the live tenant"))
            #expect(result.stdout.contains("signed in: yes, \(GraphDate.format(clock.now.addingTimeInterval(-120)))"))
        }
        #expect(try Ledger(readingAt: scene.ledger).verifiedDrills().first?.outcome?.isComplete == true)
    }

    @Test("each command's help carries a real example")
    func helpHasExamples() throws {
        let scene = try Scene()
        for command in ["start", "finish"] {
            let help = try scene.run(["drill", command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example: breakglass drill \(command) --account bg-01@contoso.onmicrosoft.com"))
        }
    }

    static func alicePublicKey(_ scene: Scene) throws -> String {
        try CustodianKey.publicKey(atPath: scene.path("alice.key")).key.description
    }
}

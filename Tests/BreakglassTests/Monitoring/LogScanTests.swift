import Foundation
import Monitoring
import Testing

/// Scans the log fixtures (Fixtures/logs/), which plant events for the good fixture tenant's two emergency accounts
/// and its exclusion group among records about other people.
enum LogFixture {
    static let bg01 = ExportFixture.ids[0]
    static let bg02 = ExportFixture.ids[1]
    static let asOf = Date(timeIntervalSince1970: 1_795_132_800)  // 2026-11-20T00:00:00Z

    static var targets: LogScanTargets {
        LogScanTargets(accounts: [WatchedAccount(objectID: bg01), WatchedAccount(objectID: bg02)],
                       groups: [WatchedGroup(id: ExportFixture.group)])
    }

    static func path(_ name: String) -> String { Fixture.url("logs").appendingPathComponent(name).path }

    static func scan(_ names: [String], now: Date = asOf, chunkSize: Int = 4 << 20) throws -> (report: LogScanReport, problems: [String]) {
        let collected = Problems()
        let options = LogScanOptions(targets: targets, now: now, rotationGraceHours: 24, chunkSize: chunkSize)
        let report = try LogScanner(options: options).scan(paths: names.map(path)) { collected.add($0) }
        return (report, collected.all)
    }

    final class Problems: @unchecked Sendable {
        private(set) var all: [String] = []
        func add(_ problem: String) { all.append(problem) }
    }

    static func verdict(_ report: LogScanReport, _ id: String) -> RotationVerdict? {
        report.rotation.first { $0.accountID == id }
    }
}

@Suite("breakglass logs scan: formats, planted events, malformed lines, rotation")
struct MonitoringLogScanTests {
    /// (file, format, encoding, contents, the planted events as "kind account line").
    static let cases: [(String, String, String, String, [String])] = [
        ("graph-signins-page.json", "JSON", "UTF-8", "sign-ins",
         ["sign-in \(LogFixture.bg01) 5", "sign-in \(LogFixture.bg02) 32"]),
        ("graph-audits-array.json", "JSON", "UTF-8", "directory audits",
         ["change-to-account \(LogFixture.bg01) 2", "exclusion-group-change - 12", "policy-change - 27",
          "change-by-account \(LogFixture.bg02) 38"]),
        ("signins.jsonl", "JSON Lines", "UTF-8", "sign-ins", ["sign-in \(LogFixture.bg02) 2"]),
        ("la-signins.csv", "CSV (comma-separated)", "UTF-8 with BOM", "sign-ins", ["sign-in \(LogFixture.bg01) 2"]),
        ("la-signins.json", "JSON", "UTF-8", "sign-ins", ["sign-in \(LogFixture.bg02) 2"]),
        ("admin-signins-unicode.txt", "CSV (tab-separated)", "UTF-16 LE", "sign-ins", ["sign-in \(LogFixture.bg01) 2"]),
        ("admin-audits-utf16.csv", "CSV (comma-separated)", "UTF-16 LE", "directory audits",
         ["change-to-account \(LogFixture.bg02) 2", "change-to-account \(LogFixture.bg01) 3"]),
    ]

    @Test("finds exactly the planted events", arguments: cases.map(\.0))
    func plantedEvents(file: String) throws {
        let expected = try #require(Self.cases.first { $0.0 == file })
        for chunkSize in [4 << 20, 7] {
            let (report, _) = try LogFixture.scan([file], chunkSize: chunkSize)
            let summary = try #require(report.files.first)
            #expect(summary.format == expected.1 && summary.encoding == expected.2 && summary.contents == expected.3,
                    "\(summary)")
            let found = report.events.map { "\($0.kind.rawValue) \($0.accountID ?? "-") \($0.line)" }
            #expect(found == expected.4, "chunk size \(chunkSize)")
        }
    }

    @Test func signInDetailsSurviveEveryFormat() throws {
        let (report, _) = try LogFixture.scan(["graph-signins-page.json", "la-signins.csv", "admin-signins-unicode.txt", "la-signins.json"])
        let page = try #require(report.events.first { $0.file == "graph-signins-page.json" && $0.accountID == LogFixture.bg01 })
        #expect(page.succeeded == true && page.ipAddress == "203.0.113.7" && page.location == "Oslo, Oslo, NO")
        #expect(page.application == "Azure Portal" && page.conditionalAccess == "notApplied" && page.interactive == true)
        #expect(page.account == "bg-01@fabrikam.onmicrosoft.com")
        let analytics = try #require(report.events.first { $0.file == "la-signins.csv" })
        #expect(analytics.time == Date(timeIntervalSince1970: 1_794_554_100))  // 11/13/2026, 7:15:00 AM
        #expect(analytics.interactive == false && analytics.location == "Oslo, NO" && analytics.succeeded == true)
        let admin = try #require(report.events.first { $0.file == "admin-signins-unicode.txt" })
        #expect(admin.succeeded == false && admin.errorCode == "50126" && admin.location == "Kyiv, Kyiv, UA")
        #expect(admin.conditionalAccess == "Not Applied")
        let locked = try #require(report.events.first { $0.file == "la-signins.json" })
        #expect(locked.succeeded == false && locked.errorCode == "50053" && locked.failureReason == "Account is locked.")
    }

    @Test func auditDetails() throws {
        let (report, _) = try LogFixture.scan(["graph-audits-array.json", "admin-audits-utf16.csv"])
        let reset = try #require(report.events.first { $0.activity == "Reset password (by admin)" })
        #expect(reset.isPasswordChange == true && reset.initiatedBy == "alice@fabrikam.com")
        let group = try #require(report.events.first { $0.kind == .exclusionGroupChange })
        #expect(group.target == "EA-Exclude: dave@fabrikam.com")
        let policy = try #require(report.events.first { $0.kind == .policyChange })
        #expect(policy.mentionsEmergencyAccess == true && policy.target == "CA001 Require MFA")
        let byAccount = try #require(report.events.first { $0.kind == .changeByAccount })
        #expect(byAccount.target == "alice@fabrikam.com" && byAccount.ipAddress == "192.0.2.66")
        let profile = try #require(report.events.first { $0.file == "admin-audits-utf16.csv" && $0.activity == "Update user" })
        #expect(profile.isPasswordChange == true)
        let disabled = try #require(report.events.first { $0.activity == "Disable account" })
        #expect(disabled.isPasswordChange == false && disabled.initiatedBy == "mallory@fabrikam.com")
    }

    @Test func malformedAndTruncatedLinesAreReportedAndSkipped() throws {
        for chunkSize in [4 << 20, 5] {
            let (report, problems) = try LogFixture.scan(["signins.jsonl"], chunkSize: chunkSize)
            #expect(problems.count == 3, "\(problems)")
            #expect(problems.contains { $0.hasPrefix("signins.jsonl:3: not a JSON object") })
            #expect(problems.contains { $0.hasPrefix("signins.jsonl:5: not valid JSON") })
            #expect(problems.contains { $0.hasPrefix("signins.jsonl:7: truncated") })
            let summary = try #require(report.files.first)
            #expect(summary.recordsRead == 6 && summary.problems == 3)
            #expect(report.events.count == 1)
        }
    }

    @Test func aTruncatedJSONDocumentIsReported() throws {
        let folder = Fixture.temporaryDirectory()
        let source = try String(contentsOfFile: LogFixture.path("graph-signins-page.json"), encoding: .utf8)
        let cut = folder.appendingPathComponent("cut.json")
        let carol = try #require(source.range(of: "carol@"))
        try Data(source[..<carol.lowerBound].utf8).write(to: cut)
        let collected = LogFixture.Problems()
        let report = try LogScanner(options: LogScanOptions(targets: LogFixture.targets, now: LogFixture.asOf))
            .scan(paths: [cut.path]) { collected.add($0) }
        #expect(report.events.count == 2)
        #expect(collected.all.count == 1 && collected.all[0].contains("truncated"))
    }

    @Test("a Graph page is a page however it is laid out", arguments: ["minified", "one record a line"])
    func pageLayouts(layout: String) throws {
        let source = try Data(contentsOf: URL(fileURLWithPath: LogFixture.path("graph-signins-page.json")))
        let page = try #require(try JSONSerialization.jsonObject(with: source) as? [String: Any])
        let records = try #require(page["value"] as? [[String: Any]])
        var text: String
        if layout == "minified" {
            text = String(decoding: try JSONSerialization.data(withJSONObject: page), as: UTF8.self)
        } else {
            let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            text = "{\"value\":[" + lines.joined(separator: ",\n") + "]}\n"
        }
        let file = Fixture.temporaryDirectory().appendingPathComponent("page.json")
        try Data(text.utf8).write(to: file)
        let collected = LogFixture.Problems()
        let report = try LogScanner(options: LogScanOptions(targets: LogFixture.targets, now: LogFixture.asOf))
            .scan(paths: [file.path]) { collected.add($0) }
        #expect(collected.all.isEmpty, "\(collected.all)")
        #expect(report.files.first?.format == "JSON" && report.files.first?.recordsRead == 4)
        #expect(report.events.compactMap(\.accountID) == [LogFixture.bg01, LogFixture.bg02])
    }

    @Test func rotatedAfterTheLastSignIn() throws {
        let (report, _) = try LogFixture.scan(["graph-signins-page.json", "graph-audits-array.json"])
        let bg01 = try #require(LogFixture.verdict(report, LogFixture.bg01))
        #expect(bg01.status == .rotated, "\(bg01.message)")
        #expect(bg01.passwordChangeSource == "Reset password (by admin), graph-audits-array.json:2")
        #expect(LogFixture.verdict(report, LogFixture.bg02)?.status == .noSignIn)
        #expect(!report.needsRotation)
    }

    @Test func notRotatedAfterTheLastSignIn() throws {
        let (report, _) = try LogFixture.scan(["signins.jsonl", "graph-audits-array.json"])
        let bg02 = try #require(LogFixture.verdict(report, LogFixture.bg02))
        #expect(bg02.status == .overdue, "\(bg02.message)")
        #expect(bg02.message.contains("rotate it now"))
        #expect(report.needsRotation)
        // Within the grace period it is due, not overdue.
        let early = try LogFixture.scan(["signins.jsonl", "graph-audits-array.json"], now: Date(timeIntervalSince1970: 1_794_488_400))
        #expect(LogFixture.verdict(early.report, LogFixture.bg02)?.status == .due)
    }

    @Test func anUpdateUserWithAPasswordProfileRotates() throws {
        let (report, _) = try LogFixture.scan(["signins.jsonl", "admin-audits-utf16.csv"])
        #expect(LogFixture.verdict(report, LogFixture.bg02)?.status == .rotated)
    }

    @Test func withoutAuditsTheVerdictIsUnknown() throws {
        let (report, _) = try LogFixture.scan(["signins.jsonl"])
        #expect(LogFixture.verdict(report, LogFixture.bg02)?.status == .unknown)
        #expect(!report.needsRotation)
    }

    @Test func allFormatsTogetherMakeOneOrderedTimeline() throws {
        let (report, _) = try LogFixture.scan(Self.cases.map(\.0))
        #expect(report.events.count == Self.cases.map(\.4.count).reduce(0, +))
        #expect(report.events.map(\.time) == report.events.map(\.time).sorted())
        #expect(report.files.count == Self.cases.count)
    }

    @Test func sinceTrimsTheTimelineNotTheVerdict() throws {
        let collected = LogFixture.Problems()
        let options = LogScanOptions(targets: LogFixture.targets, since: Date(timeIntervalSince1970: 1_794_960_000),
                                     now: LogFixture.asOf)
        let report = try LogScanner(options: options).scan(paths: ["signins.jsonl", "graph-audits-array.json"].map(LogFixture.path)) {
            collected.add($0)
        }
        #expect(report.events.isEmpty)
        #expect(LogFixture.verdict(report, LogFixture.bg02)?.status == .overdue)
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: LogScanError.self) { try LogFixture.scan(["no-such-file.json"]) }
    }

    @Test("renders text, JSON and CSV the same way twice", arguments: LogScanFormat.allCases)
    func renderings(format: LogScanFormat) throws {
        let first = try LogFixture.scan(["signins.jsonl", "graph-audits-array.json"]).report.rendered(format)
        #expect(first == (try LogFixture.scan(["signins.jsonl", "graph-audits-array.json"]).report.rendered(format)))
        switch format {
        case .text:
            #expect(first.contains("ROTATE") && first.contains("bg-02@fabrikam.onmicrosoft.com"))
        case .json:
            let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
            #expect(object["needsRotation"] as? Bool == true && (object["events"] as? [Any])?.count == 5)
        case .csv:
            #expect(first.hasPrefix("time,kind,account,accountId,") && first.split(separator: "\r\n").count == 6)
        }
    }
}

@Suite("breakglass logs scan and bench logs from the command line")
struct MonitoringLogsCLITests {
    @Test func exitsOneWhenAPasswordNeedsRotating() throws {
        let config = LogFixture.path("breakglass.yml")
        let overdue = try CLI.run(["logs", "scan", "--config", config, LogFixture.path("signins.jsonl"),
                                   LogFixture.path("graph-audits-array.json"), "--as-of", "2026-11-20T00:00:00Z"])
        #expect(overdue.status == 1, "\(overdue.stderr)")
        #expect(overdue.stderr.contains("signins.jsonl:7: truncated"))
        #expect(overdue.stdout.contains("ROTATE"))
        let rotated = try CLI.run(["logs", "scan", "--config", config, LogFixture.path("signins.jsonl"),
                                   LogFixture.path("admin-audits-utf16.csv"), "--as-of", "2026-11-20T00:00:00Z",
                                   "--format", "csv"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
    }

    @Test func demoAccountsResolveAgainstTheTenant() throws {
        let folder = Fixture.temporaryDirectory()
        let log = folder.appendingPathComponent("signins.jsonl")
        let bench = try CLI.run(["bench", "logs", "--records", "2000", "--out", log.path])
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(bench.stdout.contains("line 285:") && bench.stdout.contains("2a008d1e-f028-5bb4-99df-c82b624f5476"))
        let scan = try CLI.run(["logs", "scan", "--demo", log.path, "--format", "json", "--as-of", "2026-11-25T00:00:00Z"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        let events = try #require(report["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["line"] as? Int } == [285, 571, 857, 1142, 1428, 1714])
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.first?["recordsRead"] as? Int == 2000)
    }

    @Test func exportWritesAFolderAndRefusesAForeignOne() throws {
        let folder = Fixture.temporaryDirectory().appendingPathComponent("arm")
        let first = try CLI.run(["export", "arm", "--demo", "--out", folder.path])
        #expect(first.status == 0, "\(first.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["breakglass-alerts.json", "diagnostic-setting.json"])
        let again = try CLI.run(["export", "arm", "--demo", "--out", folder.path])
        #expect(again.status == 0, "\(again.stderr)")
        try Data("x".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let refused = try CLI.run(["export", "bicep", "--demo", "--out", folder.path])
        #expect(refused.status == 2 && refused.stderr.contains("notes.txt"))
        let needsOut = try CLI.run(["export", "sentinel", "--demo"])
        #expect(needsOut.status == 2)
        let kql = try CLI.run(["export", "kql", "--demo"])
        #expect(kql.status == 0 && kql.stdout.contains("union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs"))
    }
}

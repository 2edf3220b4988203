import EntraModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Posture
@testable import Reports

/// External tools the runbook tests drive when the machine has them (.ci/run installs both).
enum ExternalTool {
    static func path(_ name: String) -> String? {
        for folder in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static var chromium: String? { path("chromium") ?? path("chromium-browser") }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Where tests keep pictures for a person to look at (a CI artifact).
    static var artifacts: URL {
        let folder = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/test-artifacts")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

@Suite("Runbook")
struct RunbookTests {
    static let made = Date(timeIntervalSince1970: 1_795_000_000)

    static func demo() throws -> TenantContext {
        let snapshot = try DemoTenant.snapshot()
        var configuration = try DemoTenant.configuration()
        configuration.runbook.authorizers = ["CISO (Henrietta Mueller)", "Head of IT operations"]
        configuration.runbook.sheetLocations = ["lidiah@contoso.com": "Safe 1, Redmond HQ, shelf B"]
        return TenantContext(snapshot: snapshot, configuration: configuration, now: snapshot.capturedAt ?? made)
    }

    @Test("The runbook names the accounts, custodians, authorisers, every incident and today's scenario results")
    func content() throws {
        let context = try Self.demo()
        let runbook = Runbook(context: context, generatedAt: Self.made)
        #expect(runbook.accounts.map(\.userPrincipalName) == ["bg-01@contoso.onmicrosoft.com", "bg-02@contoso.onmicrosoft.com"])
        #expect(runbook.accounts.allSatisfy { $0.signsInWith.contains("FIDO2") })
        #expect(runbook.playbooks.map(\.id) == ["federation", "conditional-access", "mfa", "compromise"])
        #expect(runbook.federatedDomains == ["fed.contoso.com"])
        // bg-02 is caught by the compliant-device policy when device compliance is down (the demo's BG070 finding).
        let bg02 = try #require(runbook.accounts.last)
        #expect(bg02.scenarios.first { $0.scenario == "device-compliance-outage" }?.getsIn == false)
        #expect(bg02.scenarios.first { $0.scenario == "normal" }?.getsIn == true)

        let markdown = try RunbookRenderer(format: .markdown).render(runbook)
        for expected in ["# Emergency access runbook: Contoso Ltd", "CISO (Henrietta Mueller)", "Safe 1, Redmond HQ, shelf B",
                         "## Federation (AD FS) outage", "Update-MgDomain -DomainId fed.contoso.com -AuthenticationType Managed",
                         "## Conditional Access lock-out", "## MFA outage", "## Compromised or deleted administrator accounts",
                         "breakglass rotate plan", "| `bg-02@contoso.onmicrosoft.com` |", "LOCKED OUT"] {
            #expect(markdown.contains(expected), "missing: \(expected)")
        }
        #expect(RunbookStamp(findingIn: markdown) == runbook.stamp)
        let html = try RunbookRenderer(format: .html).render(runbook)
        #expect(RunbookStamp(findingIn: html) == runbook.stamp)
        #expect(!html.contains("<user id>"), "HTML escapes what it prints")
        #expect(html.contains("&lt;user id&gt;"))
    }

    @Test("The HTML runbook is well-formed and self-contained")
    func htmlWellFormed() throws {
        let html = try RunbookRenderer(format: .html).render(Runbook(context: try Self.demo(), generatedAt: Self.made))
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let parser = XMLParser(data: Data(body.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http"))
    }

    @Test("The Markdown runbook lints clean (markdownlint, line length aside)",
          .enabled(if: ExternalTool.path("mdl") != nil))
    func markdownLints() throws {
        let markdown = try RunbookRenderer(format: .markdown).render(Runbook(context: try Self.demo(), generatedAt: Self.made))
        let file = Fixture.temporaryDirectory().appendingPathComponent("runbook.md")
        try Data(markdown.utf8).write(to: file)
        let mdl = try #require(ExternalTool.path("mdl"))
        let (status, output) = try ExternalTool.run(mdl, ["--rules", "~MD013", file.path])
        #expect(status == 0, "\(output)")
    }

    /// Printed by headless Chromium on A4 and on Letter: nothing wider than the page, pages numbered, a screenshot of
    /// the first page kept in .build/test-artifacts for a person to look at.
    @Test("The HTML runbook prints on A4 and Letter without overflowing", .enabled(if: ExternalTool.chromium != nil),
          arguments: [RunbookRenderer.Paper.a4, .letter])
    func printsOnPaper(paper: RunbookRenderer.Paper) throws {
        let chromium = try #require(ExternalTool.chromium)
        let html = try RunbookRenderer(format: .html, paper: paper)
            .render(Runbook(context: try Self.demo(), generatedAt: Self.made))
        let folder = Fixture.temporaryDirectory()
        let page = folder.appendingPathComponent("runbook.html")
        try Data(html.utf8).write(to: page)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(folder.path)/profile"]

        let pdf = folder.appendingPathComponent("runbook.pdf")
        try ExternalTool.run(chromium, flags + ["--print-to-pdf=\(pdf.path)", page.absoluteString])
        let bytes = try String(decoding: Data(contentsOf: pdf), as: UTF8.self)
        let pages = bytes.matches(of: /\/Type\s*\/Page[^s]/).count
        #expect((3...12).contains(pages), "\(pages) pages")
        // A4 is 595 × 842 points, Letter 612 × 792.
        let mediaBox = paper == .a4 ? /MediaBox\s*\[\s*0\s+0\s+59[45]/ : /MediaBox\s*\[\s*0\s+0\s+612/
        #expect(bytes.contains(mediaBox), "page size \(paper)")

        // The widest element must fit the printable width: measured in the browser on a copy with a probe script.
        let width = paper == .a4 ? 687 : 711  // (paper width − 2 × 14 mm) at 96 px per inch
        let probe = html.replacingOccurrences(of: "</body>", with: """
            <script>document.title = "width:" + document.documentElement.scrollWidth;</script></body>
            """).replacingOccurrences(of: "max-width: 182mm", with: "max-width: \(width)px")
        let probeFile = folder.appendingPathComponent("probe.html")
        try Data(probe.utf8).write(to: probeFile)
        let (_, dom) = try ExternalTool.run(chromium, flags + ["--window-size=\(width),1000", "--dump-dom", probeFile.absoluteString])
        let measured = dom.firstMatch(of: /<title>width:(\d+)<\/title>/).flatMap { Int($0.output.1) }
        #expect(measured != nil && measured! <= width, "content is \(measured.map(String.init) ?? "?") px wide on \(width)")

        let screenshot = ExternalTool.artifacts.appendingPathComponent("runbook-\(paper.rawValue).png")
        try ExternalTool.run(chromium, flags + ["--window-size=\(width),1100", "--screenshot=\(screenshot.path)", page.absoluteString])
        #expect(FileManager.default.fileExists(atPath: screenshot.path))
    }
}

@Suite("BG064 the runbook on file")
struct BG064Tests {
    func finding(_ context: TenantContext) throws -> Finding {
        try #require(BG064RunbookCurrent().run(in: context).first)
    }

    @Test("A runbook made from this tenant passes; one made before a policy changed warns, naming the policy")
    func comparesTheTenantState() throws {
        var context = try RunbookTests.demo()
        let runbook = Runbook(context: context, generatedAt: RunbookTests.made)
        context.runbookOnFile = .stamped(path: "runbook.html", runbook.stamp)
        #expect(try finding(context).status == .pass)

        var snapshot = context.snapshot
        snapshot.policies[0].state = PolicyState.disabled
        snapshot.policies[0].modifiedDateTime = RunbookTests.made.addingTimeInterval(3_600)
        var changed = TenantContext(snapshot: snapshot, configuration: context.configuration, now: context.now)
        changed.runbookOnFile = context.runbookOnFile
        let result = try finding(changed)
        #expect(result.status == .warn)
        #expect(result.message.contains(snapshot.policies[0].displayName))
    }

    @Test("No runbook on file is not applicable; one without a stamp, or unreadable, warns")
    func withoutAStamp() throws {
        var context = try RunbookTests.demo()
        #expect(try finding(context).status == .notApplicable)
        context.runbookOnFile = RunbookOnFile(path: "wiki.md", text: "# Our runbook\nCall Bob.")
        #expect(try finding(context).status == .warn)
        context.runbookOnFile = .unreadable(path: "gone.html", reason: "no such file")
        #expect(try finding(context).message.contains("gone.html"))
    }

    @Test("audit reads runbook.file beside breakglass.yml")
    func auditReadsTheRunbookOnFile() throws {
        let folder = Fixture.temporaryDirectory()
        let snapshot = folder.appendingPathComponent("snap")
        #expect(try CLI.run(["snapshot", "--demo", "--out", snapshot.path]).status == 0)
        let config = try String(contentsOf: snapshot.appendingPathComponent("breakglass.yml"), encoding: .utf8)
            + "\nrunbook:\n  file: runbook.md\n"
        let configURL = folder.appendingPathComponent("breakglass.yml")
        try Data(config.utf8).write(to: configURL)
        let made = try CLI.run(["runbook", "--snapshot", snapshot.path, "--config", configURL.path,
                                "--output", folder.appendingPathComponent("runbook.md").path])
        #expect(made.status == 0, "\(made.stderr)")
        let audit = try CLI.run(["audit", "--snapshot", snapshot.path, "--config", configURL.path, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        let bg064 = try #require(results.first { $0["check"] as? String == "BG064" })
        #expect(bg064["status"] as? String == "pass", "\(bg064)")
    }
}

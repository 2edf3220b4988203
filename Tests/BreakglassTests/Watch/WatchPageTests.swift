import Foundation
import GraphEmulator
import Lockout
import Testing
import Watch

/// Chromium runs where `.ci/run` installs it; elsewhere the test needs `apt-get install -y chromium`, or is skipped
/// when BREAKGLASS_SKIP_BROWSER is set.
let browserWanted = ProcessInfo.processInfo.environment["BREAKGLASS_SKIP_BROWSER"] == nil

@Suite("The watch page in headless Chromium")
struct WatchPageTests {
    /// Where the screenshot is kept: .build/test-artifacts/ of the package.
    static var artifacts: URL {
        Fixture.root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/test-artifacts")
    }

    @Test("Shows the open incident with its timeline and the failure-scenario grid, readable at a glance (screenshot kept)",
          .enabled(if: browserWanted))
    func pageInChromium() async throws {
        let clock = ManualClock()
        let timeline = EmulatorTimeline(entries: [
            .init(at: 5, lag: 30, change: .add(file: "sign-ins.json", item: WatchFixture.signIn(id: "page-1"))),
            .init(at: 5, lag: 20, change: .add(file: "sign-ins.json",
                                              item: WatchFixture.signIn(id: "page-2", errorCode: 50126, ip: "198.51.100.9"))),
        ])
        let store = try await TestStores.make("sqlite")
        try await InProcessEmulator.with(Fixture.url("good"), options: EmulatorOptions(timeline: timeline, now: clock.read)) { emulator in
            try await Recorder.with(Recorder()) { hooks in
                try await WatchHarness.with(store: store, emulator: emulator, receiver: hooks, clock: clock) { watch in
                    try await eventually(timeout: 120, "the first posture audit") {
                        try await store.posture(tenant: WatchFixture.tenant.id) != nil
                    }
                    clock.advance(5)
                    try await eventually("the use to be recorded") {
                        try await store.incidents(tenant: nil, activeOnly: true, limit: 5).first?.eventCount ?? 0 >= 3
                    }
                    let incident = try #require(try await store.incidents(tenant: nil, activeOnly: true, limit: 5).first)
                    let minted = try await http("POST", watch.baseURL.appendingPathComponent("api/login-codes"),
                                                headers: [("Authorization", "Bearer \(DashboardHarness.token)")])
                    let code = try #require((try JSONSerialization.jsonObject(with: minted.body) as? [String: Any])?["code"] as? String)

                    let browser = try HeadlessChromium()
                    defer { browser.stop() }
                    let page = try await browser.open(watch.baseURL.absoluteString + "/login?code=\(code)")
                    #expect(try await browser.evaluate("location.pathname", session: page) as? String == "/")

                    // The open incident: present, displayed, on the first screen, with its timeline.
                    let box = try #require(try await browser.evaluate("""
                        (() => { const e = document.getElementById('incident-\(incident.id)'); if (!e) return null;
                          const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                          return {w: r.width, h: r.height, top: r.top, vh: innerHeight, visibility: s.visibility,
                                  display: s.display, text: e.innerText,
                                  entries: e.querySelectorAll('ol.timeline li').length}; })()
                        """, session: page) as? [String: Any])
                    #expect((box["w"] as? Double ?? 0) > 300 && (box["h"] as? Double ?? 0) > 60)
                    #expect((box["top"] as? Double ?? .infinity) < (box["vh"] as? Double ?? 0))
                    #expect(box["visibility"] as? String == "visible" && box["display"] as? String != "none")
                    let text = box["text"] as? String ?? ""
                    #expect(text.contains("Emergency account used") && text.contains("bg-01@fabrikam.onmicrosoft.com"))
                    #expect(text.contains("Open until the password is changed"))
                    #expect((box["entries"] as? Int ?? 0) >= 3)

                    // The grid: administrators × scenarios, green and red cells of the page's own colours, a verdict row.
                    let grid = try #require(try await browser.evaluate("""
                        (() => { const g = document.getElementById('grid-\(WatchFixture.tenant.id)'); if (!g) return null;
                          const rows = g.querySelectorAll('tbody tr:not(.verdict)');
                          const cells = g.querySelectorAll('td.cell');
                          const colour = c => getComputedStyle(c).backgroundColor;
                          const r = g.getBoundingClientRect();
                          return {rows: rows.length, scenarios: g.querySelectorAll('th.scenario').length, cells: cells.length,
                                  green: [...cells].filter(c => colour(c) === 'rgb(45, 164, 78)').length,
                                  red: [...cells].filter(c => colour(c) === 'rgb(207, 34, 46)').length,
                                  w: r.width, h: r.height,
                                  emergency: g.querySelector('tr.emergency td.who')?.innerText ?? ''}; })()
                        """, session: page) as? [String: Any])
                    let rows = grid["rows"] as? Int ?? 0
                    let scenarios = grid["scenarios"] as? Int ?? 0
                    #expect(rows >= 2 && scenarios == Scenario.allCases.count)
                    #expect(grid["cells"] as? Int == rows * scenarios)
                    #expect((grid["green"] as? Int ?? 0) + (grid["red"] as? Int ?? 0) == rows * scenarios)
                    #expect((grid["green"] as? Int ?? 0) > 0)
                    #expect((grid["w"] as? Double ?? 0) > 300 && (grid["h"] as? Double ?? 0) > 100)
                    #expect((grid["emergency"] as? String ?? "").contains("bg-0"))

                    let png = try await browser.screenshot(session: page)
                    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                    try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
                    try png.write(to: Self.artifacts.appendingPathComponent("watch-page.png"))
                }
            }
        }
        try await store.close()
    }
}

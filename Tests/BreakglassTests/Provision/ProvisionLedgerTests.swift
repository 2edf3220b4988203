import Foundation
import Testing

/// `provision apply` and `rotate apply` record every step in the custody ledger; a mistyped `--ledger` must not start
/// a second, empty ledger beside the real one (issue 10, item 6, as for `custody split` and `combine`).
@Suite("apply's custody ledger")
struct ProvisionLedgerTests {
    @Test("A --ledger that does not exist is refused before anything is read or written, and no file is created")
    func mistypedLedgerIsRefused() async throws {
        let scenario = try ProvisionScenario()
        let plan = scenario.path("plan.json")
        let planned = try await scenario.run(["provision", "plan", "--snapshot", Fixture.url("provision").path,
                                              "--config", scenario.config.path, "--out", plan])
        #expect(planned.status == 0, "\(planned.stderr)")
        let typo = scenario.path("custdy.db")
        // Nothing listens on port 9: had the ledger been accepted, the run would fail later with a remote error (4).
        let applied = try await scenario.run(["provision", "apply", plan, "--tenant", ProvisionScenario.tenantID,
                                              "--graph-endpoint", "http://127.0.0.1:9", "--authority", "http://127.0.0.1:9",
                                              "--config", scenario.config.path, "--ledger", typo,
                                              "--shares-out", scenario.path("shares")])
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(applied.stderr.contains("custdy.db"))
        #expect(!FileManager.default.fileExists(atPath: typo))

        let existing = try await scenario.run(["provision", "apply", plan, "--tenant", ProvisionScenario.tenantID,
                                               "--graph-endpoint", "http://127.0.0.1:9", "--authority", "http://127.0.0.1:9",
                                               "--config", scenario.config.path, "--ledger", scenario.path("custody.db"),
                                               "--new-ledger", "--shares-out", scenario.path("shares")])
        #expect(existing.status != 0 && existing.stderr.contains("already exists"), "\(existing.stderr)")
    }
}

import Foundation
import Testing

/// `bench run --repeat`: every snapshot runs the asked number of times, the `audit` command is timed too, and the
/// summary gives medians and the growth from the first snapshot — the numbers README's Performance section quotes.
@Suite("bench run")
struct BenchRunTests {
    @Test func repeatedRunsEndWithMediansAndGrowth() throws {
        let folder = Fixture.temporaryDirectory()
        for users in [300, 600] {
            let generated = try CLI.run(["bench", "generate", "--shape", "harsh", "--users", String(users),
                                         "--out", folder.appendingPathComponent("t\(users)").path])
            try #require(generated.status == 0, "\(generated.stderr)")
        }
        let result = try CLI.run(["bench", "run", "--snapshot", folder.appendingPathComponent("t300").path,
                                  "--snapshot", folder.appendingPathComponent("t600").path,
                                  "--repeat", "2", "--whatifs", "5", "--skip-simulate"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout
        #expect(output.components(separatedBy: "audit command, end to end (own process)").count - 1 == 4)
        #expect(output.contains("summary — medians (min – max) of 2 runs of each snapshot, interleaved"))
        #expect(output.contains("t300: 300 users"))
        #expect(output.contains("t600: 600 users"))
        #expect(output.contains("t600 against t300: 2.0× the users; audit "))
        #expect(output.contains(", audit command "))
    }

    @Test func repeatOutOfRangeIsAUsageError() throws {
        let result = try CLI.run(["bench", "run", "--snapshot", "/nonexistent", "--repeat", "0"])
        #expect(result.status == 2)  // usage error (spec/report.md)
        #expect(result.stderr.contains("--repeat takes 1 to 100."))
    }
}

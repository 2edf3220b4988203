import ArgumentParser
import Bench
import Foundation

extension BenchCommand {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic JSON Lines sign-in export (about 1 KB a record) for timing `logs scan`.",
            discussion: """
                A few sign-ins of the demo tenant's emergency accounts are planted; their lines are printed. Then time:
                  breakglass logs scan --demo FILE
                  jq -c 'select(.userId == "2a008d1e-f028-5bb4-99df-c82b624f5476")' FILE
                  grep -c -F 2a008d1e-f028-5bb4-99df-c82b624f5476 FILE
                and /usr/bin/time -v for peak memory (maximum resident set size).
                Example: breakglass bench logs --records 1000000 --out /tmp/signins-1m.jsonl
                """)

        @Option(help: "Records (lines) to write.") var records = 1_000_000
        @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 7
        @Option(help: "The file to write.", completion: .file()) var out: String

        func run() async throws {
            let start = ContinuousClock.now
            let log = SyntheticSignInLog(records: records, seed: seed)
            let url = URL(fileURLWithPath: out)
            let plants: [SyntheticSignInLog.Plant]
            do {
                plants = try log.write(to: url)
            } catch {
                throw OutputError(message: "cannot write \(out): \(error.localizedDescription)")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            var lines = ["Wrote \(records) records (\(size / 1_048_576) MiB) to \(out) in \(Measure.format(ContinuousClock.now - start))."]
            lines.append("Planted sign-ins of the demo tenant's emergency accounts:")
            for plant in plants {
                lines.append("  line \(plant.line): \(plant.account.userPrincipalName) (\(plant.account.id)) \(plant.succeeded ? "success" : "failure")")
            }
            Terminal.write(lines.joined(separator: "\n"))
        }
    }
}

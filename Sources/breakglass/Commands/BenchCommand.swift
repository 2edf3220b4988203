import AccessPolicy
import ArgumentParser
import Bench
import EntraModel
import Foundation
import Lockout
import Paths
import Posture
import Reports

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: generate a synthetic tenant, then time audit, whatif and simulate on it.",
        subcommands: [Generate.self, Run.self, Logs.self, Capture.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a deterministic synthetic tenant as a snapshot folder (with its breakglass.yml).",
            discussion: "Example: breakglass bench generate --users 200000 --groups 20000 --policies 195 --out /tmp/syn200k")

        @Option(help: "Users.") var users = 200_000
        @Option(help: "Groups (nested).") var groups = 20_000
        @Option(help: "Conditional Access policies.") var policies = 195
        @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 42
        @Option(help: "Service principals with Microsoft Graph permissions and owners (0: none).")
        var servicePrincipals = 0
        @Option(help: "The folder to create.") var out: String

        func run() async throws {
            let start = ContinuousClock.now
            var files = SyntheticTenant(users: users, groups: groups, policies: policies, seed: seed,
                                        servicePrincipals: servicePrincipals).files()
            files["breakglass.yml"] = Data(SyntheticTenant.configuration.utf8)
            try SnapshotWriter.write(files, to: URL(fileURLWithPath: out))
            let bytes = files.values.reduce(0) { $0 + $1.count }
            Terminal.note("Wrote \(files.count) files (\(bytes / 1_048_576) MiB) to \(out) in \(Measure.format(ContinuousClock.now - start)).")
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time each stage of an audit, one whatif, and simulate --all-users on a snapshot; print peak memory.",
            discussion: "Example: breakglass bench run --snapshot /tmp/syn200k --compare-python")

        @Option(name: .customLong("snapshot"), help: "A snapshot folder (bench generate writes one).") var snapshotPath: String
        @Option(name: .customLong("config"), help: "breakglass.yml (default: the one in the snapshot folder).") var configPath: String?
        @Option(help: "whatif evaluations to average over.") var whatifs = 2_000
        @Flag(help: "Also time Python's json.load of the same files (needs python3).") var comparePython = false
        @Flag(help: "Skip simulate --all-users.") var skipSimulate = false

        func run() async throws {
            let folder = URL(fileURLWithPath: snapshotPath)
            let configURL = configPath.map(URL.init(fileURLWithPath:)) ?? folder.appendingPathComponent("breakglass.yml")
            var measure = Measure()
            let total = ContinuousClock.now
            let configuration = FileManager.default.fileExists(atPath: configURL.path) ? try Configuration.load(configURL) : Configuration()
            let snapshot = try measure.stage("read + decode snapshot") { try SnapshotReader().read(folder) }
            let context = measure.stage("index + evaluator") {
                TenantContext(snapshot: snapshot, configuration: configuration, now: snapshot.capturedAt ?? Date())
            }
            let findings = measure.stage("run checks") { Catalogue.run(in: context) }
            let json = measure.stage("render JSON report") {
                ReportRenderer().render(AuditReport(context: context, findings: findings, version: Breakglass.version),
                                        format: .json, options: RenderOptions())
            }
            let auditTime = ContinuousClock.now - total
            measure.lines.append("  = audit, snapshot folder to JSON report   \(Measure.format(auditTime))  (\(findings.count) results, \(json.utf8.count / 1024) KiB)")

            let users = snapshot.users
            let evaluations = max(1, whatifs)
            var decisions = 0
            let whatifStart = ContinuousClock.now
            for index in 0..<evaluations {
                let user = users[(index &* 7919) % users.count]
                let evaluation = context.evaluator.evaluate(SignInContext(userID: user.id))
                if evaluation.decision == .block { decisions += 1 }
            }
            let perWhatif = (ContinuousClock.now - whatifStart) / evaluations
            measure.lines.append("whatif (one sign-in, tenant loaded)        \(Measure.format(perWhatif))  (mean of \(evaluations); \(decisions) blocked)")

            // `breakglass paths` once the tenant is loaded: the analysis and its JSON (issue 15).
            let pathsStart = ContinuousClock.now
            let analysis = TierZeroAnalysis(directory: context.directory, emergencyAccounts: context.resolvedAccounts.map(\.user.id),
                                            exclusionGroups: context.exclusionGroups, now: context.now)
            let pathsJSON = PathsReport(analysis: analysis, tenant: "bench").render(.json)
            measure.lines.append("tier-0 paths + JSON (tenant loaded)".padding(42) + Measure.format(ContinuousClock.now - pathsStart)
                + "  (\(snapshot.servicePrincipals?.count ?? 0) service principals; \(analysis.nodeCount) nodes, \(analysis.edgeCount) edges; \(analysis.paths.count) paths, \(pathsJSON.utf8.count / 1024) KiB)")

            if !skipSimulate {
                let start = ContinuousClock.now
                let coverage = await Coverage(simulation: Simulation(evaluator: context.evaluator), users: users)
                measure.lines.append("simulate --all-users, \(Scenario.allCases.count) scenarios".padding(42) + Measure.format(ContinuousClock.now - start))
                measure.lines.append("  (\(users.count) users × \(Scenario.allCases.count) scenarios × \(AdminResource.allCases.count) resources; \(coverage.classCount) classes evaluated)")
            }
            measure.lines.append("peak memory (max RSS)                      \(Measure.peakMemoryMiB()) MiB")
            if comparePython, let python = Measure.pythonJSONLoad(folder) {
                let ratio = Measure.seconds(python) / max(Measure.seconds(auditTime), 1e-9)
                measure.lines.append("python3 json.load of the same files        \(Measure.format(python))  (the whole audit takes \(String(format: "%.2f", 1 / ratio))× as long)")
            }
            let header = "breakglass bench — \(snapshot.users.count) users, \(snapshot.groups.count) groups, \(snapshot.policies.count) policies, \(ProcessInfo.processInfo.activeProcessorCount) cores"
            Terminal.write(([header] + measure.lines).joined(separator: "\n"))
        }
    }
}

/// Stage timings and peak memory for `bench`.
struct Measure {
    var lines: [String] = []

    mutating func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let value = try body()
        lines.append(name.padding(42) + Self.format(ContinuousClock.now - start))
        return value
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ duration: Duration) -> String {
        let seconds = seconds(duration)
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 0.001 { return String(format: "%.1f ms", seconds * 1000) }
        return String(format: "%.1f µs", seconds * 1_000_000)
    }

    static func peakMemoryMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) / 1024
    }

    /// Python's json.load over every JSON file of the folder, timed inside Python.
    static func pythonJSONLoad(_ folder: URL) -> Duration? {
        let script = """
            import json, os, sys, time
            root = sys.argv[1]; t = time.perf_counter()
            for d, _, fs in os.walk(root):
                for f in fs:
                    if f.endswith('.json'):
                        with open(os.path.join(d, f), 'rb') as h: json.load(h)
            print(time.perf_counter() - t)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let seconds = Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return .nanoseconds(Int64(seconds * 1e9))
    }
}

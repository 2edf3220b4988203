import AccessPolicy
import ArgumentParser
import Bench
import EntraModel
import Foundation
import Lockout
import Paths
import Posture
import Reports

extension SyntheticTenant.Shape.Preset: ExpressibleByArgument {}

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: generate a synthetic tenant, then time audit, whatif and simulate on it.",
        subcommands: [Generate.self, Run.self, Logs.self, Capture.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a deterministic synthetic tenant as a snapshot folder (with its breakglass.yml).",
            discussion: """
                --shape default is the original generator: a forest of groups (an earlier parent half the time), \
                two group memberships per user, a mix of policies naming a few hundred groups. --shape harsh is a \
                realistic but harsh directory: every group nests three of the 100 groups created after it (early groups reach \
                most of the directory), 1-40 direct users per group, 5 % guests, two thirds synchronised, 20 \
                role-assignable groups holding roles, one direct role assignment per 100 users over six roles, and \
                policies of which a third include 5 groups, a third 3 roles and a third All users, each excluding \
                the exclusion group or 2 groups: 324 distinct groups. The other options change one trait of the shape.
                
                Example: breakglass bench generate --users 200000 --groups 20000 --policies 195 --out /tmp/syn200k
                """)

        @Option(help: "Users.") var users = 200_000
        @Option(help: "Groups (default: one per 10 users).") var groups: Int?
        @Option(help: "Conditional Access policies.") var policies = 195
        @Option(help: "default or harsh.") var shape: SyntheticTenant.Shape.Preset = .standard
        @Option(help: "Each group nests this many groups created after it (default shape: a forest).") var nesting: Int?
        @Option(help: "Groups the policies pick from (harsh: distinct groups they name besides the exclusion group).") var policyGroups: Int?
        @Option(help: "Fraction of users who are guests (default 0.03, harsh 0.05).") var guests: Double?
        @Option(help: "Fraction of the other users synchronised from on-premises AD.") var synchronized: Double?
        @Option(help: "Direct users per group, MIN-MAX (harsh; default 1-40).") var directUsers: String?
        @Option(help: "Role-assignable groups holding roles (harsh; default 20).") var roleGroups: Int?
        @Option(help: "Direct role assignments to users (harsh; default one per 100 users).") var roleAssignments: Int?
        @Option(help: "Cycles to close in the group graph.") var cycles: Int?
        @Option(help: "Groups the policies name whose member files are left out (unknown membership).")
        var unknownGroups: Int?
        @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 42
        @Option(help: "Service principals with Microsoft Graph permissions and owners (0: none).")
        var servicePrincipals = 0
        @Option(help: "The folder to create.") var out: String

        func validate() throws {
            if shape == .standard, directUsers != nil || roleGroups != nil || roleAssignments != nil {
                throw ValidationError("--direct-users, --role-groups and --role-assignments need --shape harsh.")
            }
            if let directUsers, Self.range(directUsers) == nil {
                throw ValidationError("--direct-users '\(directUsers)' must be MIN-MAX, e.g. 1-40.")
            }
            for (name, value) in [("--guests", guests), ("--synchronized", synchronized)] {
                if let value, !(0...1).contains(value) { throw ValidationError("\(name) must be between 0 and 1.") }
            }
            for (name, value) in [("--groups", groups), ("--nesting", nesting), ("--policy-groups", policyGroups),
                                  ("--role-groups", roleGroups), ("--role-assignments", roleAssignments),
                                  ("--cycles", cycles), ("--unknown-groups", unknownGroups)] {
                if let value, value < 0 { throw ValidationError("\(name) cannot be negative.") }
            }
        }

        static func range(_ text: String) -> ClosedRange<Int>? {
            let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 0, low <= high else { return nil }
            return low...high
        }

        var tenantShape: SyntheticTenant.Shape {
            var result = SyntheticTenant.Shape.preset(shape)
            if let nesting { result.nesting = nesting }
            if let policyGroups { result.policyGroups = policyGroups }
            if let guests { result.guests = guests }
            if let synchronized { result.synchronized = synchronized }
            if let range = directUsers.flatMap(Self.range) { result.directUsers = range }
            if let roleGroups { result.roleGroups = roleGroups }
            if let roleAssignments { result.roleAssignments = roleAssignments }
            if let cycles { result.cycles = cycles }
            if let unknownGroups { result.unknownGroups = unknownGroups }
            return result
        }

        func run() async throws {
            let start = ContinuousClock.now
            let tenant = SyntheticTenant(users: users, groups: groups ?? max(users / 10, 4), policies: policies,
                                         seed: seed, shape: tenantShape, servicePrincipals: servicePrincipals)
            var files = tenant.files()
            files["breakglass.yml"] = Data(SyntheticTenant.configuration.utf8)
            try SnapshotWriter.write(files, to: URL(fileURLWithPath: out))
            let bytes = files.values.reduce(0) { $0 + $1.count }
            Terminal.note("Wrote \(files.count) files (\(bytes / 1_048_576) MiB) to \(out) in \(Measure.format(ContinuousClock.now - start)).")
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time each stage of an audit, whatif and simulate --all-users on snapshots; print peak memory.",
            discussion: """
                Give --snapshot once per tenant (for example one of each shape): each runs in its own process, so \
                that its peak memory is its own. The machine's load average is printed before and after, and with \
                --compare-python, Python's json.load of the same files runs before and after the audit.
                Example: breakglass bench run --snapshot /tmp/syn200k --compare-python
                """)

        @Option(name: .customLong("snapshot"), help: "A snapshot folder (bench generate writes one); repeatable.")
        var snapshotPaths: [String]
        @Option(name: .customLong("config"), help: "breakglass.yml (default: the one in the snapshot folder).") var configPath: String?
        @Option(help: "whatif evaluations to average over.") var whatifs = 2_000
        @Flag(help: "Also time Python's json.load of the same files (needs python3).") var comparePython = false
        @Flag(help: "Skip simulate --all-users.") var skipSimulate = false
        @Option(name: .customLong("repeat"),
                help: "Runs of each snapshot, each in its own process, interleaved; a summary gives medians and how the audit grows.")
        var repeats = 1
        @Option(name: .customLong("record"), help: .hidden) var recordPath: String?

        func validate() throws {
            guard !snapshotPaths.isEmpty else { throw ValidationError("Give --snapshot DIR (repeatable).") }
            guard (1...100).contains(repeats) else { throw ValidationError("--repeat takes 1 to 100.") }
            if snapshotPaths.count > 1, configPath != nil {
                throw ValidationError("--config goes with a single --snapshot.")
            }
        }

        func run() async throws {
            guard snapshotPaths.count == 1, repeats == 1 else { return try runInChildren() }
            try await measure(URL(fileURLWithPath: snapshotPaths[0]))
        }

        /// Each snapshot in processes of their own, `repeats` rounds with the snapshots interleaved (so that a slow
        /// spell of the machine falls on all of them), each round also timing the `audit` command end to end; then the
        /// medians.
        private func runInChildren() throws {
            let records = FileManager.default.temporaryDirectory.appendingPathComponent("breakglass-bench-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: records) }
            var endToEnd: [String: [Double]] = [:]
            for round in 1...repeats {
                for path in snapshotPaths {
                    if repeats > 1 { Terminal.write("— round \(round) of \(repeats)") }
                    try runInChild(path, record: records.path)
                    endToEnd[path, default: []].append(try auditCommandSeconds(path))
                }
            }
            let lines = (try? String(contentsOf: records, encoding: .utf8)) ?? ""
            let runs = lines.split(separator: "\n").compactMap { try? JSONDecoder().decode(BenchRecord.self, from: Data($0.utf8)) }
            Terminal.write(BenchSummary(order: snapshotPaths, runs: runs, endToEnd: endToEnd).text)
        }

        /// `bench run` for one snapshot in a process of its own.
        private func runInChild(_ path: String, record: String) throws {
            guard let executable = Bundle.main.executableURL else { throw OutputError(message: "cannot find the breakglass executable") }
            let process = Process()
            process.executableURL = executable
            process.arguments = ["bench", "run", "--snapshot", path, "--whatifs", String(whatifs), "--record", record]
                + (comparePython ? ["--compare-python"] : []) + (skipSimulate ? ["--skip-simulate"] : [])
                + (configPath.map { ["--config", $0] } ?? [])
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
        }

        /// Wall-clock seconds of `breakglass audit --snapshot DIR --format json --output FILE` in its own process, as a
        /// user runs it (with the snapshot's breakglass.yml when it has one).
        private func auditCommandSeconds(_ path: String) throws -> Double {
            guard let executable = Bundle.main.executableURL else { throw OutputError(message: "cannot find the breakglass executable") }
            let folder = URL(fileURLWithPath: path)
            let config = configPath ?? folder.appendingPathComponent("breakglass.yml").path
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("breakglass-bench-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: output) }
            let process = Process()
            process.executableURL = executable
            process.arguments = ["audit", "--snapshot", path, "--format", "json", "--output", output.path]
                + (FileManager.default.fileExists(atPath: config) ? ["--config", config] : [])
            process.standardOutput = FileHandle.nullDevice
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            let elapsed = ContinuousClock.now - start
            // 0: every check passed; 1: some failed (spec/report.md). Anything else is the audit failing to run.
            guard [0, 1].contains(process.terminationStatus) else { throw ExitCode(process.terminationStatus) }
            Terminal.write("audit command, end to end (own process)".padding(42) + Measure.format(elapsed))
            return Measure.seconds(elapsed)
        }

        private func measure(_ folder: URL) async throws {
            let configURL = configPath.map(URL.init(fileURLWithPath:)) ?? folder.appendingPathComponent("breakglass.yml")
            var measure = Measure()
            let loadBefore = Measure.loadAverage()
            let pythonBefore = comparePython ? Measure.pythonJSONLoad(folder) : nil
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
            measure.seconds["audit"] = Measure.seconds(auditTime)
            measure.lines.append("  = audit, snapshot folder to JSON report   \(Measure.format(auditTime))  (\(findings.count) results, \(json.utf8.count / 1024) KiB)")
            let pythonAfter = comparePython ? Measure.pythonJSONLoad(folder) : nil

            let population = measure.stage("column index (closures, roles, policies)") {
                PopulationEvaluator(evaluator: context.evaluator)
            }
            let users = snapshot.users
            let evaluations = max(1, whatifs)
            func whatif(_ name: String, _ evaluate: (SignInContext) -> Evaluation) {
                var blocked = 0
                let start = ContinuousClock.now
                for index in 0..<evaluations {
                    let user = users[(index &* 7919) % users.count]
                    if evaluate(SignInContext(userID: user.id)).decision == .block { blocked += 1 }
                }
                let mean = (ContinuousClock.now - start) / evaluations
                measure.lines.append(name.padding(42) + "\(Measure.format(mean))  (mean of \(evaluations); \(blocked) blocked)")
                measure.seconds[name] = Measure.seconds(mean)
            }
            // Explained, the user's groups are walked up once (the per-user evaluation); decision only, they are
            // answered from the columns' closures.
            whatif("whatif, explained (as the CLI)") { population.evaluate($0) }
            whatif("whatif, decision only (no group list)") { population.evaluate($0, explain: false) }
            do {
                // The walk up from the user through every group it is in (what "nested through" paths need).
                var groups = 0
                let start = ContinuousClock.now
                for index in 0..<evaluations { groups += context.directory.ancestry(of: users[(index &* 7919) % users.count].id).count }
                measure.lines.append("  of which the user's groups, walked up".padding(42)
                    + "\(Measure.format((ContinuousClock.now - start) / evaluations))  (\(groups / evaluations) groups on average)")
            }

            // `breakglass paths` once the tenant is loaded: the analysis and its JSON (issue 15).
            let pathsStart = ContinuousClock.now
            let analysis = TierZeroAnalysis(directory: context.directory, emergencyAccounts: context.resolvedAccounts.map(\.user.id),
                                            exclusionGroups: context.exclusionGroups, now: context.now)
            let pathsJSON = PathsReport(analysis: analysis, tenant: "bench").render(.json)
            measure.lines.append("tier-0 paths + JSON (tenant loaded)".padding(42) + Measure.format(ContinuousClock.now - pathsStart)
                + "  (\(snapshot.servicePrincipals?.count ?? 0) service principals; \(analysis.nodeCount) nodes, \(analysis.edgeCount) edges; \(analysis.paths.count) paths, \(pathsJSON.utf8.count / 1024) KiB)")

            if !skipSimulate {
                // As `simulate --all-users` does once the tenant is loaded: the administrators' matrix, then coverage.
                let start = ContinuousClock.now
                let simulation = Simulation(evaluator: context.evaluator,
                                            emergencyAccountIDs: Set(context.resolvedAccounts.map(\.user.id)))
                let population = PopulationEvaluator(evaluator: simulation.evaluator)
                var admins = context.resolvedAccounts.map(\.user)
                for admin in context.directory.activeAdministrators(at: context.now) where !admins.contains(where: { $0.id == admin.id }) {
                    admins.append(admin)
                }
                let matrix = LockoutMatrix(simulation: simulation, users: admins,
                                           priority: Set(context.resolvedAccounts.map(\.user.id)), population: population)
                let coverage = await Coverage(simulation: simulation, users: users, population: population)
                let blocked = Scenario.allCases.map { coverage.blockedCount(in: $0) }.reduce(0, +)
                measure.lines.append("simulate --all-users, \(Scenario.allCases.count) scenarios".padding(42) + Measure.format(ContinuousClock.now - start))
                measure.seconds["simulate"] = Measure.seconds(ContinuousClock.now - start)
                measure.lines.append("  (\(matrix.rows.count) administrators' matrix; \(users.count) users × \(Scenario.allCases.count) scenarios × "
                    + "\(AdminResource.allCases.count) resources: \(coverage.classCount) sign-ins in columns, \(blocked) user × scenario blocked)")
            }
            measure.lines.append("peak memory (max RSS)                      \(Measure.peakMemoryMiB()) MiB")
            let pythons = [pythonBefore, pythonAfter].compactMap { $0 }
            if !pythons.isEmpty {
                let mean = pythons.map(Measure.seconds).reduce(0, +) / Double(pythons.count)
                measure.seconds["python"] = mean
                measure.lines.append("python3 json.load of the same files        \(pythons.map(Measure.format).joined(separator: " / "))"
                    + "  (before / after; the audit takes \(String(format: "%.2f", Measure.seconds(auditTime) / max(mean, 1e-9)))× their mean)")
            }
            measure.lines.append("load average (1 min) before / after       \(loadBefore) / \(Measure.loadAverage())")
            let header = "breakglass bench — \(folder.lastPathComponent): \(snapshot.users.count) users, \(snapshot.groups.count) groups, "
                + "\(snapshot.groupMembers.count) member files, \(snapshot.policies.count) policies, \(ProcessInfo.processInfo.activeProcessorCount) cores"
            Terminal.write(([header] + measure.lines).joined(separator: "\n"))
            if let recordPath {
                let record = BenchRecord(snapshot: folder.path, users: snapshot.users.count, stages: measure.seconds,
                                         peakMiB: Measure.peakMemoryMiB())
                try BenchRecord.append(record, to: recordPath)
            }
        }
    }
}

/// Stage timings and peak memory for `bench`.
struct Measure {
    var lines: [String] = []
    /// Each stage's seconds, by name.
    var seconds: [String: Double] = [:]

    mutating func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let value = try body()
        lines.append(name.padding(42) + Self.format(ContinuousClock.now - start))
        seconds[name] = Self.seconds(ContinuousClock.now - start)
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

    /// The 1-minute load average (/proc/loadavg), or "?" where there is none.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return String(text.split(separator: " ").first ?? "?")
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

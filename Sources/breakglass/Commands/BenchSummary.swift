import Foundation

/// One `bench run` of one snapshot, as the child process records it for the summary.
struct BenchRecord: Codable {
    var snapshot: String
    var users: Int
    /// Seconds by stage name (`audit` for the whole audit, `simulate`, `python`, the whatif means).
    var stages: [String: Double]
    var peakMiB: Int

    static func append(_ record: BenchRecord, to path: String) throws {
        var line = try JSONEncoder().encode(record)
        line.append(UInt8(ascii: "\n"))
        guard let handle = FileHandle(forWritingAtPath: path) else {
            try line.write(to: URL(fileURLWithPath: path))
            return
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}

/// The medians of repeated `bench run`s, and how the audit grows from the first snapshot to the others.
struct BenchSummary {
    var order: [String]
    var runs: [BenchRecord]
    /// Wall-clock seconds of the `audit` command per snapshot path.
    var endToEnd: [String: [Double]]

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The records of the snapshot at `path` (the child records its folder's standardized path).
    private func records(_ path: String) -> [BenchRecord] {
        runs.filter { $0.snapshot == URL(fileURLWithPath: path).path }
    }

    private func values(_ stage: String, _ path: String) -> [Double] { records(path).compactMap { $0.stages[stage] } }

    private static func format(_ seconds: Double) -> String { Measure.format(.nanoseconds(Int64(seconds * 1e9))) }

    private func describe(_ values: [Double]) -> String {
        guard let median = Self.median(values) else { return "—" }
        guard values.count > 1, let low = values.min(), let high = values.max() else { return Self.format(median) }
        return "\(Self.format(median)) (\(Self.format(low)) – \(Self.format(high)))"
    }

    var text: String {
        let rounds = order.map { path in values("audit", path).count }.min() ?? 0
        var lines = ["", "summary — medians (min – max) of \(rounds) run\(rounds == 1 ? "" : "s") of each snapshot, interleaved"]
        for path in order {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let users = records(path).first?.users ?? 0
            let peak = records(path).map(\.peakMiB).max() ?? 0
            lines.append("\(name): \(users) users, peak memory \(peak) MiB")
            lines.append("  audit, snapshot folder to JSON report".padding(42) + describe(values("audit", path)))
            lines.append("  audit command, end to end".padding(42) + describe(endToEnd[path] ?? []))
            for stage in ["read + decode snapshot", "index + evaluator", "run checks", "whatif, explained (as the CLI)", "simulate", "python"]
            where !values(stage, path).isEmpty {
                lines.append("  \(stage == "python" ? "python3 json.load (mean of before/after)" : stage)".padding(42) + describe(values(stage, path)))
            }
        }
        guard let base = order.first, let baseAudit = Self.median(values("audit", base)),
              let baseUsers = records(base).first?.users, baseUsers > 0
        else { return lines.joined(separator: "\n") }
        for path in order.dropFirst() {
            guard let audit = Self.median(values("audit", path)),
                  let users = records(path).first?.users else { continue }
            var growth = "\(URL(fileURLWithPath: path).lastPathComponent) against \(URL(fileURLWithPath: base).lastPathComponent): "
                + String(format: "%.1f× the users; audit %.2f×", Double(users) / Double(baseUsers), audit / baseAudit)
            if let command = Self.median(endToEnd[path] ?? []), let baseCommand = Self.median(endToEnd[base] ?? []) {
                growth += String(format: ", audit command %.2f×", command / baseCommand)
            }
            lines.append(growth + " (medians)")
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation

extension Array where Element: Sendable {
    /// `map` over contiguous chunks, one task per core, results in order. For pure, CPU-bound transforms over many
    /// elements (a class key per user, an evaluation per class).
    func parallelMap<Result: Sendable>(_ transform: @escaping @Sendable (Element) -> Result) async -> [Result] {
        let workers = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / 64))
        guard workers > 1 else { return map(transform) }
        let chunk = (count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [Result]).self) { group in
            for start in stride(from: 0, to: count, by: chunk) {
                let slice = Array(self[start..<Swift.min(start + chunk, count)])
                group.addTask { (start, slice.map(transform)) }
            }
            var parts: [(Int, [Result])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}

import Foundation

/// Runs `first` and `second` at once (on two threads when the machine has the cores) and returns both results.
func concurrently<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let results = ResultSlots<Either<A, B>>(count: 2)
    DispatchQueue.concurrentPerform(iterations: 2) { job in
        results.set(job, .success(job == 0 ? .first(first()) : .second(second())))
    }
    guard case .success(.first(let a)) = results.values[0], case .success(.second(let b)) = results.values[1] else {
        preconditionFailure("concurrentPerform ran every job")
    }
    return (a, b)
}

private enum Either<A: Sendable, B: Sendable>: Sendable {
    case first(A)
    case second(B)
}

/// One result per job of a `DispatchQueue.concurrentPerform`: each job writes only its own slot, under a lock, and
/// the slots are read after `concurrentPerform` returned.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    /// Every slot, in job order (call after the jobs finished).
    var values: [Result<Value, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? .failure(CancellationError()) }
    }
}

/// A value built on first use, at most once, from any thread.
final class LazyIndex<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var built: Value?
    private var build: (@Sendable () -> Value)?

    init(_ build: @escaping @Sendable () -> Value) { self.build = build }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = build!()
        built = value
        build = nil
        return value
    }
}

/// `transform` of every index in `0..<count`, in order, computed in chunks on every core.
public func concurrentMap<T: Sendable>(count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(transform) }
    let chunkCount = min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
    let slots = ResultSlots<[T]>(count: chunkCount)
    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
        slots.set(chunk, .success(((count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)).map(transform)))
    }
    return slots.values.flatMap { result -> [T] in
        guard case .success(let values) = result else { preconditionFailure("concurrentPerform ran every chunk") }
        return values
    }
}

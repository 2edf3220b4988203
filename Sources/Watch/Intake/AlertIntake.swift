import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps received alerts durably before the webhook answers: requests wait while their alert is written, and every
/// alert that arrived while one transaction was being written goes into the next one (group commit), so a burst
/// costs a few transactions, not one per alert.
public final class AlertIntake: Service, Sendable {
    struct Waiting {
        var alert: ReceivedAlert
        var continuation: CheckedContinuation<Void, any Error>
    }

    let store: any WatchStore
    let queue = Mutex<[Waiting]>([])
    let wake = Wake()
    /// Woken after each write, for the processor.
    public let written: Wake
    let logger: Logger
    let maximumBatch: Int

    public init(store: any WatchStore, written: Wake = Wake(), maximumBatch: Int = 2000,
                logger: Logger = Logger(label: "breakglass.watch.intake")) {
        self.store = store
        self.written = written
        self.maximumBatch = maximumBatch
        self.logger = logger
    }

    /// Returns once the alert is stored (or was stored before: Azure retries).
    public func submit(_ alert: ReceivedAlert) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.withLock { $0.append(Waiting(alert: alert, continuation: continuation)) }
            wake.signal()
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.wake.wait(upTo: .seconds(1))
                await self.flush()
            }
        }
        // Nothing accepted is left waiting: a request in flight at shutdown gets its answer.
        await flush()
        let left = queue.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
        for waiting in left { waiting.continuation.resume(throwing: CancellationError()) }
    }

    func flush() async {
        while true {
            let batch = queue.withLock { queue -> [Waiting] in
                let taken = Array(queue.prefix(maximumBatch))
                queue.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            do {
                _ = try await store.insertAlerts(batch.map(\.alert))
                for waiting in batch { waiting.continuation.resume() }
                written.signal()
            } catch {
                logger.error("Could not store received alerts", metadata: ["watch.error": "\(error)",
                                                                            "watch.count": "\(batch.count)"])
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}

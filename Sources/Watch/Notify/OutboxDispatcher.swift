import Foundation
import Graph
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers the outbox: claims due messages (a lease, so replicas never send the same message at once), sends
/// each through its notifier, marks it delivered on 2xx, and otherwise retries with exponential backoff and jitter
/// (Retry-After honoured). A message is delivered at least once and survives any restart: only a 2xx removes it
/// from the queue, and its `webhook-id` is the same on every attempt.
public struct OutboxDispatcher: Service {
    let store: any WatchStore
    let notifiers: [String: any Notifier]
    let transport: any HTTPTransport
    let metrics: WatchMetrics
    let owner: String
    let settings: Settings
    let wake: Wake
    let now: @Sendable () -> Date
    let logger: Logger

    public struct Settings: Sendable {
        /// How often to look for due messages when nothing wakes the dispatcher.
        public var interval: Duration
        /// How long a claim lasts: a replica that dies mid-delivery leaves the message to others after this.
        public var lease: TimeInterval
        public var timeout: Duration
        /// First retry delay; doubled each attempt up to `maxDelay` (Standard Webhooks suggests a schedule over days).
        public var baseDelay: TimeInterval
        public var maxDelay: TimeInterval
        public var batch: Int

        public init(interval: Duration = .seconds(1), lease: TimeInterval = 60, timeout: Duration = .seconds(15),
                    baseDelay: TimeInterval = 5, maxDelay: TimeInterval = 3600, batch: Int = 20) {
            self.interval = interval
            self.lease = lease
            self.timeout = timeout
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.batch = batch
        }
    }

    public init(store: any WatchStore, notifiers: [any Notifier], transport: any HTTPTransport,
                metrics: WatchMetrics = .none, settings: Settings = Settings(), wake: Wake = Wake(),
                now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "breakglass.watch.outbox")) {
        self.store = store
        self.notifiers = Dictionary(notifiers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.transport = transport
        self.metrics = metrics
        self.owner = "replica-" + WatchID.make()
        self.settings = settings
        self.wake = wake
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await deliverDue() > 0 {}
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("Outbox pass failed", metadata: ["watch.error": "\(error)"])
                }
                await wake.wait(upTo: settings.interval)
            }
        }
    }

    /// One pass: claims and sends what is due; returns how many it tried.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let claimed = try await store.claimOutbox(owner: owner, now: now(), lease: settings.lease, limit: settings.batch)
        guard !claimed.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for message in claimed {
                if running >= 4 {
                    await group.next()
                    running -= 1
                }
                group.addTask { await deliver(message) }
                running += 1
            }
        }
        return claimed.count
    }

    func deliver(_ message: OutboxMessage) async {
        guard let notifier = notifiers[message.notifier] else {
            // A notifier removed from the configuration: keep the message (and say so) rather than drop it.
            await failed(message, reason: "no notifier named \(message.notifier) is configured", retryAfter: settings.maxDelay)
            return
        }
        do {
            let request = try notifier.request(for: message, now: now())
            let response = try await transport.send(request, timeout: settings.timeout)
            if (200..<300).contains(response.status) {
                try await store.outboxDelivered(id: message.id, at: now())
                metrics.delivery(notifier: message.notifier, result: "delivered")
                logger.debug("Notification delivered", metadata: ["watch.message": "\(message.id)",
                                                                  "watch.notifier": "\(message.notifier)"])
                return
            }
            let retryAfter = response.header("Retry-After").flatMap(Double.init)
            await failed(message, reason: "HTTP \(response.status)", retryAfter: retryAfter)
        } catch is CancellationError {
            // Shutting down mid-delivery: the claim lapses and the message is sent again after a restart.
            return
        } catch let error as TransportError {
            await failed(message, reason: Self.shortReason(error.reason), retryAfter: nil)
        } catch {
            await failed(message, reason: "\(error)", retryAfter: nil)
        }
    }

    /// Transport errors can be long; the first line is enough, and never holds a URL (which can be a secret).
    static func shortReason(_ text: String) -> String {
        let line = String(text.split(whereSeparator: \.isNewline).first ?? "network error")
        return line.contains("://") ? "network error" : String(line.prefix(200))
    }

    func failed(_ message: OutboxMessage, reason: String, retryAfter: TimeInterval?) async {
        let exponent = Double(min(max(message.attempts - 1, 0), 20))
        let backoff = min(settings.baseDelay * pow(2, exponent), settings.maxDelay) * Double.random(in: 0.8...1.2)
        let delay = max(retryAfter ?? 0, backoff)
        metrics.delivery(notifier: message.notifier, result: "failed")
        logger.info("Notification not delivered; retrying", metadata: [
            "watch.message": "\(message.id)", "watch.notifier": "\(message.notifier)", "watch.reason": "\(reason)",
            "watch.attempt": "\(message.attempts)", "watch.retry_in_s": "\(Int(delay))",
        ])
        do {
            try await store.outboxFailed(id: message.id, error: reason, retryAt: now().addingTimeInterval(delay))
        } catch {
            // The claim lapses and the message is tried again.
            logger.warning("Could not record a failed delivery", metadata: ["watch.error": "\(error)"])
        }
    }
}

/// Wakes a waiting loop early (new outbox messages, new alerts); otherwise it waits its interval. One loop waits on
/// a `Wake` at a time.
public final class Wake: Sendable {
    struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (or one already given) or after `duration`, whichever is first.
    public func wait(upTo duration: Duration) async {
        let wasPending = state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        if wasPending { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let ready = self.state.withLock { state -> Bool in
                            if state.pending || Task.isCancelled {
                                state.pending = false
                                return true
                            }
                            state.waiter = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                        defer { state.waiter = nil }
                        return state.waiter
                    }
                    waiter?.resume()
                }
            }
            group.addTask { try? await Task.sleep(for: duration) }
            await group.next()
            group.cancelAll()
        }
    }
}

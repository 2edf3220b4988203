import Foundation
import Logging
import ServiceLifecycle

/// Polls every tenant each interval while this replica holds the poller lease, and audits each tenant's posture
/// when its last audit is older than the audit interval. A replica without the lease tries to take it every
/// interval, so when the holder dies another one takes over within one interval.
public struct PollingService: Service {
    public struct Job: Sendable {
        public var tenant: WatchedTenant
        /// Nil for a tenant without Graph credentials: the webhook is its only source.
        public var poller: TenantPoller?
        public var auditor: PostureAuditor?

        public init(tenant: WatchedTenant, poller: TenantPoller?, auditor: PostureAuditor?) {
            self.tenant = tenant
            self.poller = poller
            self.auditor = auditor
        }
    }

    /// What a replica's lease loop did: for tests and logs.
    public enum LeaseEvent: Sendable, Equatable {
        case attempted(acquired: Bool)
        case lost
    }

    let jobs: [Job]
    let store: any WatchStore
    let lease: any PollerLease
    let interval: Duration
    let auditInterval: TimeInterval
    let concurrency: Int
    let metrics: WatchMetrics
    let outboxWake: Wake?
    let onLease: @Sendable (LeaseEvent) -> Void
    let now: @Sendable () -> Date
    let logger: Logger

    public init(jobs: [Job], store: any WatchStore, lease: any PollerLease, interval: Duration = .seconds(60),
                auditInterval: TimeInterval = 6 * 3600, concurrency: Int = 4, metrics: WatchMetrics = .none,
                outboxWake: Wake? = nil, onLease: @escaping @Sendable (LeaseEvent) -> Void = { _ in },
                now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "breakglass.watch.polling")) {
        self.jobs = jobs
        self.store = store
        self.lease = lease
        self.interval = interval
        self.auditInterval = auditInterval
        self.concurrency = max(1, concurrency)
        self.metrics = metrics
        self.outboxWake = outboxWake
        self.onLease = onLease
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var leading = false
            while !Task.isCancelled {
                let holds = await lease.acquire()
                onLease(.attempted(acquired: holds))
                if holds != leading {
                    leading = holds
                    if holds {
                        logger.info("This replica polls now")
                    } else {
                        onLease(.lost)
                        logger.info("Another replica polls now")
                    }
                }
                if holds { await pollAll() }
                try? await Task.sleep(for: interval)
            }
        }
        await lease.release()
    }

    /// One round: every tenant, at most `concurrency` at once.
    public func pollAll() async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for job in jobs {
                if running >= concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask { await poll(job) }
                running += 1
            }
        }
    }

    func poll(_ job: Job) async {
        let tenant = job.tenant
        var status = (try? await store.tenantStatuses().first { $0.tenantID == tenant.id })
            ?? TenantStatus(tenantID: tenant.id, name: tenant.name)
        status.name = tenant.name
        if let poller = job.poller {
            do {
                let report = try await poller.poll()
                status.lastPollAt = now()
                status.lastPollSucceeded = true
                status.lastError = nil
                status.signInLogs = report.signInLogsUnavailable ?? "read"
                metrics.poll(tenant: tenant.id, result: "ok")
                metrics.incidentsOpened(kind: "poll", count: report.outcome.opened.count)
                if !report.outcome.opened.isEmpty || !report.outcome.closed.isEmpty || !report.outcome.updated.isEmpty {
                    outboxWake?.signal()
                }
                logger.debug("Tenant polled", metadata: [
                    "watch.tenant": "\(tenant.id)", "watch.sign_ins": "\(report.signIns)", "watch.audits": "\(report.audits)",
                    "watch.opened": "\(report.outcome.opened.count)", "watch.closed": "\(report.outcome.closed.count)",
                ])
            } catch is CancellationError {
                return
            } catch {
                status.lastPollSucceeded = false
                status.lastError = "\(error)"
                metrics.poll(tenant: tenant.id, result: "error")
                logger.warning("Poll failed", metadata: ["watch.tenant": "\(tenant.id)", "watch.error": "\(error)"])
            }
        } else {
            status.signInLogs = "no Graph credentials: the Azure Monitor webhook is the only source"
        }
        try? await store.saveTenantStatus(status)
        if let auditor = job.auditor {
            let last = try? await store.posture(tenant: tenant.id)?.auditedAt
            if last.map({ now().timeIntervalSince($0) >= auditInterval }) ?? true {
                do {
                    let posture = try await auditor.audit(tenantID: tenant.id)
                    let encoder = JSONEncoder()
                    encoder.dateEncodingStrategy = .iso8601
                    encoder.outputFormatting = [.sortedKeys]
                    try await store.savePosture(tenant: tenant.id, auditedAt: posture.auditedAt,
                                                body: String(decoding: try encoder.encode(posture), as: UTF8.self))
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("Posture audit failed", metadata: ["watch.tenant": "\(tenant.id)", "watch.error": "\(error)"])
                }
            }
        }
    }
}

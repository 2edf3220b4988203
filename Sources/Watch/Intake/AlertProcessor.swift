import Foundation
import Logging
import ServiceLifecycle

/// Turns stored alerts into incidents, in batches per tenant, after the webhook has answered. An alert names its
/// tenant in the custom property `breakglass.tenant` (the rules `breakglass export` writes); with one tenant
/// configured, every alert is that tenant's.
public struct AlertProcessor: Service {
    let engine: IncidentEngine
    let tenants: [WatchedTenant]
    let wake: Wake
    let metrics: WatchMetrics
    let outboxWake: Wake?
    let logger: Logger
    let batch: Int

    public init(engine: IncidentEngine, tenants: [WatchedTenant], wake: Wake, metrics: WatchMetrics = .none,
                outboxWake: Wake? = nil, batch: Int = 500, logger: Logger = Logger(label: "breakglass.watch.alerts")) {
        self.engine = engine
        self.tenants = tenants
        self.wake = wake
        self.metrics = metrics
        self.outboxWake = outboxWake
        self.batch = batch
        self.logger = logger
    }

    /// The tenant an alert is about, if it can be told.
    public func tenant(for alert: AzureMonitorAlert) -> WatchedTenant? {
        if let name = alert.tenant { return tenants.first { $0.matches(name) } }
        return tenants.count == 1 ? tenants.first : nil
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await processPending() > 0 {}
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("Alert processing failed", metadata: ["watch.error": "\(error)"])
                }
                await wake.wait(upTo: .seconds(5))
            }
        }
    }

    /// Processes one batch of stored alerts; returns how many.
    @discardableResult
    public func processPending() async throws -> Int {
        let pending = try await engine.store.pendingAlerts(limit: batch)
        guard !pending.isEmpty else { return 0 }
        var byTenant: [String: (tenant: WatchedTenant, alerts: [AzureMonitorAlert])] = [:]
        var done: [String] = []
        for received in pending {
            done.append(received.id)
            guard let alert = try? AzureMonitorAlert(json: Data(received.payload.utf8)) else { continue }
            guard let tenant = tenant(for: alert) else {
                logger.warning("Alert for an unknown tenant", metadata: [
                    "watch.alert": "\(alert.alertID)", "watch.tenant": "\(alert.tenant ?? "(none)")",
                ])
                continue
            }
            byTenant[tenant.id, default: (tenant, [])].alerts.append(alert)
        }
        for (_, entry) in byTenant.sorted(by: { $0.key < $1.key }) {
            let outcome = try await engine.record(alerts: entry.alerts, tenant: entry.tenant)
            metrics.incidentsOpened(kind: "alert", count: outcome.opened.count)
            if !outcome.opened.isEmpty { outboxWake?.signal() }
        }
        try await engine.store.markAlertsProcessed(done, at: Date())
        return pending.count
    }
}

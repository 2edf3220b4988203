import CoreMetrics
import Foundation
import Metrics

/// The service's metrics through swift-metrics, on the factory it is given (the Dashboard gives swift-prometheus's):
/// polls, deliveries, alerts received, and gauges for incidents by state, the outbox and poll lag.
public struct WatchMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) { self.factory = factory }

    /// Metrics that go nowhere (tests, and a service without `/metrics`).
    public static let none = WatchMetrics(factory: NOOPMetricsHandler.instance)

    public func poll(tenant: String, result: String) {
        Counter(label: "breakglass_watch_polls_total", dimensions: [("tenant", tenant), ("result", result)], factory: factory)
            .increment()
    }

    public func delivery(notifier: String, result: String) {
        Counter(label: "breakglass_watch_deliveries_total", dimensions: [("notifier", notifier), ("result", result)],
                factory: factory).increment()
    }

    public func alertReceived(result: String) {
        Counter(label: "breakglass_watch_alerts_received_total", dimensions: [("result", result)], factory: factory)
            .increment()
    }

    public func incidentsOpened(kind: String, count: Int) {
        guard count > 0 else { return }
        Counter(label: "breakglass_watch_incidents_opened_total", dimensions: [("kind", kind)], factory: factory)
            .increment(by: count)
    }

    public func gauge(_ label: String, _ dimensions: [(String, String)] = [], value: Double) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }
}

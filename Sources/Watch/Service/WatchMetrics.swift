import CoreMetrics
import Foundation
import Metrics
import Synchronization

/// The service's metrics through swift-metrics, on the factory it is given (the Dashboard gives swift-prometheus's):
/// polls, deliveries, alerts received, and gauges for incidents by state, the outbox and poll lag.
public struct WatchMetrics: Sendable {
    let factory: any MetricsFactory
    let counters = CounterCache()

    public init(factory: any MetricsFactory) { self.factory = factory }

    /// Counters are made once per label set: the webhook counts every request.
    final class CounterCache: Sendable {
        let counters = Mutex<[String: Counter]>([:])
    }

    func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{1F}")
        return counters.counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = counter
            return counter
        }
    }

    /// Metrics that go nowhere (tests, and a service without `/metrics`).
    public static let none = WatchMetrics(factory: NOOPMetricsHandler.instance)

    public func poll(tenant: String, result: String) {
        counter("breakglass_watch_polls_total", [("tenant", tenant), ("result", result)]).increment()
    }

    public func delivery(notifier: String, result: String) {
        counter("breakglass_watch_deliveries_total", [("notifier", notifier), ("result", result)]).increment()
    }

    public func alertReceived(result: String) {
        counter("breakglass_watch_alerts_received_total", [("result", result)]).increment()
    }

    public func incidentsOpened(kind: String, count: Int) {
        guard count > 0 else { return }
        counter("breakglass_watch_incidents_opened_total", [("kind", kind)]).increment(by: count)
    }

    public func gauge(_ label: String, _ dimensions: [(String, String)] = [], value: Double) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }
}

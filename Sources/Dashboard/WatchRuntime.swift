import Foundation
import Graph
import Hummingbird
import Logging
import Metrics
import Posture
import Prometheus
import ServiceLifecycle
import Watch

/// `breakglass watch` assembled: the store, the incident engine, pollers and posture audits (while this replica
/// holds the poller lease), the outbox dispatcher, the webhook intake and its processor, and the web server — one
/// ServiceGroup that shuts down gracefully on SIGTERM (the server stops taking requests first, the intake writes
/// what it accepted last).
public struct WatchRuntime: Sendable {
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        public var pollInterval: Duration = .seconds(60)
        public var overlap: TimeInterval = 1800
        public var initialLookback: TimeInterval = 86_400
        public var auditInterval: TimeInterval = 6 * 3600
        public var publicURL: String?
        public var outbox = OutboxDispatcher.Settings()
        public var version = "0.1.0"

        public init() {}
    }

    /// A tenant and how to reach it: a Graph client (nil: the webhook is its only source) and its configuration.
    public struct TenantSetup: Sendable {
        public var tenant: WatchedTenant
        public var client: GraphClient?
        public var arm: GraphClient?
        public var configuration: Configuration

        public init(tenant: WatchedTenant, client: GraphClient?, arm: GraphClient? = nil, configuration: Configuration) {
            self.tenant = tenant
            self.client = client
            self.arm = arm
            self.configuration = configuration
        }
    }

    public let store: any WatchStore
    public let tenants: [TenantSetup]
    public let notifiers: [any Notifier]
    public let security: DashboardSecurity
    /// Where notifications are sent (AsyncHTTPTransport in production).
    public let transport: any HTTPTransport
    public let settings: Settings
    public let drills: any DrillSource
    let now: @Sendable () -> Date
    let onLease: @Sendable (PollingService.LeaseEvent) -> Void
    let logger: Logger

    public init(store: any WatchStore, tenants: [TenantSetup], notifiers: [any Notifier], security: DashboardSecurity,
                transport: any HTTPTransport, settings: Settings = Settings(), drills: any DrillSource = NoPlannedDrills(),
                now: @escaping @Sendable () -> Date = { Date() },
                onLease: @escaping @Sendable (PollingService.LeaseEvent) -> Void = { _ in },
                logger: Logger = Logger(label: "breakglass.watch")) {
        self.store = store
        self.tenants = tenants
        self.notifiers = notifiers
        self.security = security
        self.transport = transport
        self.settings = settings
        self.drills = drills
        self.now = now
        self.onLease = onLease
        self.logger = logger
    }

    /// Migrates the store, then runs until cancelled or SIGTERM/SIGINT (`gracefulShutdown`); `onListening` gets the
    /// bound port.
    public func run(gracefulShutdown: Bool = true, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        async throws {
        try await store.migrate()
        let registry = PrometheusCollectorRegistry()
        let metrics = WatchMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let engine = IncidentEngine(store: store, notifiers: notifiers, drills: drills, dashboardURL: settings.publicURL,
                                    now: now, logger: logger)
        let outboxWake = Wake()
        let alertWake = Wake()
        let intake = AlertIntake(store: store, written: alertWake, logger: logger)
        let watched = tenants.map(\.tenant)
        let processor = AlertProcessor(engine: engine, tenants: watched, wake: alertWake, metrics: metrics,
                                       outboxWake: outboxWake, logger: logger)
        let jobs = tenants.map { setup in
            PollingService.Job(
                tenant: setup.tenant,
                poller: setup.client.map {
                    TenantPoller(tenant: setup.tenant, client: $0, engine: engine, overlap: settings.overlap,
                                 initialLookback: settings.initialLookback, now: now, logger: logger)
                },
                auditor: setup.client.map {
                    PostureAuditor(client: $0, arm: setup.arm, configuration: setup.configuration, version: settings.version,
                                   now: now)
                })
        }
        let polling = PollingService(jobs: jobs, store: store, lease: store.makePollerLease(), interval: settings.pollInterval,
                                     auditInterval: settings.auditInterval, metrics: metrics, outboxWake: outboxWake,
                                     onLease: onLease, now: now, logger: logger)
        let dispatcher = OutboxDispatcher(store: store, notifiers: notifiers, transport: transport, metrics: metrics,
                                          settings: settings.outbox, wake: outboxWake, now: now, logger: logger)
        let server = try DashboardServer(store: store, engine: engine, tenants: watched, intake: intake, security: security,
                                         registry: registry, metrics: metrics, outboxWake: outboxWake, now: now, logger: logger)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        let app = Application(
            router: server.router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "breakglass-watch"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: quiet)
        // Services stop in reverse order: the server first, the intake (which writes what it accepted) last.
        let group = ServiceGroup(configuration: .init(
            services: [intake, processor, dispatcher, polling] + server.services + [app],
            gracefulShutdownSignals: gracefulShutdown ? [.sigterm, .sigint] : [],
            logger: quiet))
        do {
            try await group.run()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}

import Custody
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import Mustache
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization
import Watch

/// A session on the page, made from the access token (`POST /login`) or a one-time login link.
public struct DashboardSession: Codable, Sendable {
    public var viewer: String
    public var created: Date
}

/// Who is asking: a bearer of the access token, or a signed-in session.
public struct Viewer: Sendable {
    public var name: String
    public var bearer: Bool
}

public typealias DashboardContext = BasicSessionRequestContext<DashboardSession, Viewer>

/// How the page and the webhook authenticate.
public struct DashboardSecurity: Sendable {
    /// The access token for the page and the API (`Authorization: Bearer`, or `POST /login` for a session).
    public var token: Secret
    /// The secret Azure Monitor puts in the webhook URL (`/hooks/azure-monitor?secret=…`); nil: none accepted.
    public var webhookSecret: Secret?
    /// Entra ID bearer tokens of a secure webhook; nil: none accepted.
    public var entraVerifier: EntraTokenVerifier?
    /// Session cookies marked Secure (the page is served over https by a proxy in front).
    public var secureCookies: Bool

    public init(token: Secret, webhookSecret: Secret?, entraVerifier: EntraTokenVerifier? = nil, secureCookies: Bool = false) {
        self.token = token
        self.webhookSecret = webhookSecret
        self.entraVerifier = entraVerifier
        self.secureCookies = secureCookies
    }
}

/// One-time login links (`GET /login?code=…`), minted through the API with the access token: the token itself
/// never goes in a URL.
actor LoginCodes {
    var codes: [String: Date] = [:]

    func mint(lifetime: TimeInterval = 120) -> String {
        let now = Date()
        codes = codes.filter { $0.value > now }
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0 ... 255) }
        let code = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        codes[code] = now.addingTimeInterval(lifetime)
        return code
    }

    func redeem(_ code: String) -> Bool {
        guard let expiry = codes.removeValue(forKey: code) else { return false }
        return expiry > Date()
    }
}

/// The web side of the watch service on Hummingbird: the page (Mustache), the JSON API, the Azure Monitor webhook,
/// `/healthz` and Prometheus `/metrics`.
public struct DashboardServer: Sendable {
    let store: any WatchStore
    let engine: IncidentEngine
    let tenants: [WatchedTenant]
    let intake: AlertIntake
    let security: DashboardSecurity
    let registry: PrometheusCollectorRegistry
    let metrics: WatchMetrics
    let outboxWake: Wake?
    let library: MustacheLibrary
    let sessions: MemoryPersistDriver<ContinuousClock>
    let loginCodes = LoginCodes()
    let now: @Sendable () -> Date
    let logger: Logger
    /// The largest webhook body accepted: the common alert schema caps a payload at 256 KB.
    static let maximumAlertSize = 512 * 1024

    public init(store: any WatchStore, engine: IncidentEngine, tenants: [WatchedTenant], intake: AlertIntake,
                security: DashboardSecurity, registry: PrometheusCollectorRegistry, metrics: WatchMetrics,
                outboxWake: Wake? = nil, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "breakglass.dashboard")) throws {
        self.store = store
        self.engine = engine
        self.tenants = tenants
        self.intake = intake
        self.security = security
        self.registry = registry
        self.metrics = metrics
        self.outboxWake = outboxWake
        self.now = now
        self.logger = logger
        var library = MustacheLibrary()
        try library.register(Templates.style, named: "style")
        try library.register(Templates.incident, named: "incident")
        try library.register(Templates.page, named: "page")
        try library.register(Templates.incidentPage, named: "incident-page")
        try library.register(Templates.login, named: "login")
        self.library = library
        self.sessions = MemoryPersistDriver()
    }

    /// Services the server needs running beside it (session expiry).
    public var services: [any Service] { [sessions] }

    public func router() -> Router<DashboardContext> {
        let router = Router(context: DashboardContext.self)
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { _, _ in try await prometheus() }
        router.post("/hooks/azure-monitor") { request, _ in try await alert(request) }

        let cookie = SessionCookieParameters(name: "breakglass_session", path: "/", secure: security.secureCookies,
                                             sameSite: .strict)
        let sessionMiddleware = SessionMiddleware<DashboardContext>(
            storage: sessions, configuration: .init(sessionCookieParameters: cookie, defaultSessionExpiration: .seconds(8 * 3600)))
        let pages = router.group().add(middleware: sessionMiddleware)
        pages.get("/login") { request, context in try await loginPage(request, context) }
        pages.post("/login") { request, context in try await login(request, context) }
        pages.get("/logout") { _, context in
            context.sessions.clearSession()
            return Response.redirect(to: "/login")
        }
        let signedIn = pages.group().add(middleware: ViewerMiddleware(token: security.token, html: true))
        signedIn.get("/") { _, _ in try await page() }
        signedIn.get("/incidents/:id") { _, context in try await incidentPage(context) }

        let api = router.group("api").add(middleware: sessionMiddleware)
            .add(middleware: ViewerMiddleware(token: security.token, html: false))
        api.get("tenants") { _, _ in try await json(DashboardModel.build(store: store, tenants: tenants, now: now()).tenants) }
        api.get("tenants/:id") { _, context in try await tenant(context) }
        api.get("incidents") { request, _ in try await incidents(request) }
        api.get("incidents/:id") { _, context in try await incident(context) }
        api.post("incidents/:id/acknowledge") { request, context in try await acknowledge(request, context) }
        api.post("login-codes") { _, context in try await loginCode(context) }
        return router
    }

    // MARK: Pages

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func page() async throws -> Response {
        let model = try await DashboardModel.build(store: store, tenants: tenants, now: now())
        return html(library.render(model, withTemplate: "page") ?? "")
    }

    func incidentPage(_ context: DashboardContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let incident = try await store.incident(id: id) else { throw HTTPError(.notFound, message: "no incident \(id)") }
        let view = DashboardModel.incident(incident, timeline: try await store.timeline(incidentID: id), now: now())
        return html(library.render(view, withTemplate: "incident-page") ?? "")
    }

    func loginPage(_ request: Request, _ context: DashboardContext) async throws -> Response {
        if let code = request.uri.queryParameters.get("code") {
            guard await loginCodes.redeem(code) else {
                return html(library.render(["failed": true], withTemplate: "login") ?? "", status: .unauthorized)
            }
            context.sessions.createSession(DashboardSession(viewer: "login link", created: now()))
            return Response.redirect(to: "/")
        }
        return html(library.render(["failed": false], withTemplate: "login") ?? "")
    }

    struct LoginForm: Decodable {
        var token: String
    }

    func login(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let form = try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))
        guard let form, Secret(utf8: form.token) == security.token else {
            return html(library.render(["failed": true], withTemplate: "login") ?? "", status: .unauthorized)
        }
        context.sessions.createSession(DashboardSession(viewer: "access token", created: now()))
        return Response.redirect(to: "/")
    }

    // MARK: API

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try Self.encoder().encode(value))))
    }

    struct Problem: Encodable {
        var error: String
    }

    func problem(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
        try json(Problem(error: message), status: status)
    }

    func tenant(_ context: DashboardContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let view = try await DashboardModel.build(store: store, tenants: tenants, only: id, now: now()).tenants.first else {
            return try problem(.notFound, "no tenant \(id)")
        }
        return try json(view)
    }

    func incidents(_ request: Request) async throws -> Response {
        let tenant = request.uri.queryParameters.get("tenant")
        let activeOnly = request.uri.queryParameters.get("state") != "all"
        let list = try await store.incidents(tenant: tenant?.lowercased(), activeOnly: activeOnly, limit: 500)
        return try json(list.map { DashboardModel.incident($0, timeline: [], now: now()) })
    }

    struct IncidentDetail: Encodable {
        var incident: DashboardModel.IncidentView
        var notifications: [Delivery]
    }

    struct Delivery: Encodable {
        var id: String
        var notifier: String
        var event: String
        var attempts: Int
        var deliveredAt: Date?
        var lastError: String?
    }

    func incident(_ context: DashboardContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let incident = try await store.incident(id: id) else { return try problem(.notFound, "no incident \(id)") }
        let view = DashboardModel.incident(incident, timeline: try await store.timeline(incidentID: id), now: now())
        let deliveries = try await store.outbox(incidentID: id).map {
            Delivery(id: "msg_" + $0.id, notifier: $0.notifier, event: $0.event, attempts: $0.attempts,
                     deliveredAt: $0.deliveredAt, lastError: $0.lastError)
        }
        return try json(IncidentDetail(incident: view, notifications: deliveries))
    }

    struct Acknowledgement: Decodable {
        var by: String
        var reason: String
        var note: String?
    }

    func acknowledge(_ request: Request, _ context: DashboardContext) async throws -> Response {
        guard context.identity?.bearer == true else {
            return try problem(.forbidden, "acknowledge with the access token (Authorization: Bearer), not a page session")
        }
        let id = context.parameters.get("id") ?? ""
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let input = try? JSONDecoder().decode(Acknowledgement.self, from: Data(body.readableBytesView)) else {
            return try problem(.badRequest, "expected JSON {\"by\": \"who\", \"reason\": \"drill|emergency|misuse\", \"note\": \"…\"}")
        }
        let by = input.by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !by.isEmpty, by.count <= 200 else { return try problem(.badRequest, "'by' must name who acknowledges") }
        guard let reason = AcknowledgementReason(rawValue: input.reason.lowercased()) else {
            return try problem(.badRequest, "'reason' must be drill, emergency or misuse")
        }
        guard let incident = try await store.incident(id: id),
              let tenant = tenants.first(where: { $0.id == incident.tenantID }) else {
            return try problem(.notFound, "no incident \(id)")
        }
        do {
            let updated = try await engine.acknowledge(incidentID: id, by: by, reason: reason,
                                                       note: input.note.map { String($0.prefix(2000)) }, tenant: tenant)
            outboxWake?.signal()
            return try json(DashboardModel.incident(updated, timeline: try await store.timeline(incidentID: id), now: now()))
        } catch let error as IncidentError {
            switch error {
            case .notFound: return try problem(.notFound, error.description)
            case .alreadyClosed, .alreadyAcknowledged: return try problem(.conflict, error.description)
            }
        }
    }

    struct LoginLink: Encodable {
        var code: String
        var path: String
        var expiresInSeconds: Int
    }

    func loginCode(_ context: DashboardContext) async throws -> Response {
        guard context.identity?.bearer == true else { return try problem(.forbidden, "mint login links with the access token") }
        let code = await loginCodes.mint()
        return try json(LoginLink(code: code, path: "/login?code=\(code)", expiresInSeconds: 120), status: .created)
    }

    // MARK: Webhook

    /// `POST /hooks/azure-monitor`: authenticated by the secret in the URL (constant-time comparison) or an Entra ID
    /// bearer token; a common-schema alert is stored before the answer (202). Anything else is a 4xx and changes
    /// nothing.
    func alert(_ request: Request) async throws -> Response {
        guard try await authenticated(request) else {
            metrics.alertReceived(result: "unauthenticated")
            return try problem(.unauthorized, "authenticate with ?secret=… or an Entra ID bearer token")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumAlertSize)
        } catch {
            metrics.alertReceived(result: "too-large")
            return try problem(.contentTooLarge, "the body is larger than \(Self.maximumAlertSize) bytes")
        }
        let data = Data(body.readableBytesView)
        let alert: AzureMonitorAlert
        do {
            alert = try AzureMonitorAlert(json: data)
        } catch let error as AlertPayloadError {
            metrics.alertReceived(result: "malformed")
            return try problem(.badRequest, error.description)
        }
        try await intake.submit(ReceivedAlert(id: alert.key, receivedAt: now(), payload: alert.rawPayload))
        metrics.alertReceived(result: "accepted")
        let answer = try JSONSerialization.data(withJSONObject: ["status": "accepted", "alertId": alert.alertID],
                                                options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .accepted, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    func authenticated(_ request: Request) async throws -> Bool {
        if let expected = security.webhookSecret, let given = request.uri.queryParameters.get("secret"),
           Secret(utf8: String(given)) == expected {
            return true
        }
        if let verifier = security.entraVerifier, let bearer = request.headers.bearer {
            do {
                try await verifier.verify(bearer.token)
                return true
            } catch {
                logger.info("Webhook bearer token refused", metadata: ["watch.reason": "\(error)"])
            }
        }
        return false
    }

    // MARK: Health and metrics

    struct Health: Encodable {
        var status: String
        var store: String
        var database: String
        var tenants: Int
    }

    func health() async throws -> Response {
        do {
            try await store.ping()
            return try json(Health(status: "ok", store: store.backend, database: "ok", tenants: tenants.count))
        } catch {
            return try json(Health(status: "unavailable", store: store.backend, database: "\(error)", tenants: tenants.count),
                            status: .serviceUnavailable)
        }
    }

    func prometheus() async throws -> Response {
        let counts = try await store.incidentCounts()
        for state in IncidentState.allCases {
            metrics.gauge("breakglass_watch_incidents", [("state", state.rawValue)], value: Double(counts[state] ?? 0))
        }
        let outbox = try await store.outboxSummary()
        metrics.gauge("breakglass_watch_outbox_pending", value: Double(outbox.pending))
        metrics.gauge("breakglass_watch_outbox_failing", value: Double(outbox.failing))
        metrics.gauge("breakglass_watch_alerts_stored", value: Double(try await store.alertCount()))
        let time = now()
        for status in try await store.tenantStatuses() {
            if let last = status.lastPollAt {
                metrics.gauge("breakglass_watch_poll_lag_seconds", [("tenant", status.tenantID)],
                              value: max(0, time.timeIntervalSince(last)))
            }
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}

/// Lets a request through with the access token as a bearer (compared in constant time) or a signed-in session;
/// otherwise the page redirects to /login and the API answers 401.
struct ViewerMiddleware: RouterMiddleware {
    typealias Context = DashboardContext
    let token: Secret
    let html: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let bearer = request.headers.bearer, Secret(utf8: bearer.token) == token {
            context.identity = Viewer(name: "bearer", bearer: true)
        } else if let session = context.sessions.session {
            context.identity = Viewer(name: session.viewer, bearer: false)
        } else if html {
            return Response.redirect(to: "/login")
        } else {
            return Response(status: .unauthorized, headers: [.contentType: "application/json", .wwwAuthenticate: "Bearer"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"authenticate with Authorization: Bearer <token>"}"#)))
        }
        return try await next(request, context)
    }
}

import _CryptoExtras
import Crypto
import Custody
import Dashboard
import Foundation
import Graph
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing
import Watch

/// The dashboard's router over a store, without sockets (Hummingbird's `.router` test client).
struct DashboardHarness {
    static let token = "test-access-token-0123456789"
    static let webhookSecret = "webhook-secret-0123456789abcdef"

    let store: any WatchStore
    let engine: IncidentEngine
    let intake: AlertIntake
    let processor: AlertProcessor
    let server: DashboardServer
    let registry = PrometheusCollectorRegistry()

    init(store: any WatchStore, entra: EntraTokenVerifier? = nil, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        let metrics = WatchMetrics(factory: PrometheusMetricsFactory(registry: registry))
        engine = IncidentEngine(store: store, notifiers: [EchoNotifier(name: "echo-1")], now: now)
        intake = AlertIntake(store: store)
        processor = AlertProcessor(engine: engine, tenants: [WatchFixture.tenant], wake: Wake(), metrics: metrics)
        server = try DashboardServer(
            store: store, engine: engine, tenants: [WatchFixture.tenant], intake: intake,
            security: DashboardSecurity(token: Secret(utf8: Self.token), webhookSecret: Secret(utf8: Self.webhookSecret),
                                        entraVerifier: entra),
            registry: registry, metrics: metrics, now: now)
    }

    /// Runs `body` against the router with the intake writing in the background.
    func test(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: server.router())
        let intake = self.intake
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await intake.run() }
            try await app.test(.router) { client in try await body(client) }
            group.cancelAll()
        }
    }

    static var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }
}

@Suite("Dashboard: webhook intake, API, health and metrics")
struct DashboardTests {
    static func buffer(_ data: Data) -> ByteBuffer { ByteBuffer(bytes: data) }

    @Test("Malformed or unauthenticated webhook calls get a 4xx and store nothing", arguments: [
        ("/hooks/azure-monitor", "valid", 401),                                                  // no secret
        ("/hooks/azure-monitor?secret=wrong-secret-0123456789abcdef", "valid", 401),             // wrong secret
        ("/hooks/azure-monitor?secret=webhook-secret-0123456789abcde", "valid", 401),            // one character short
        ("/hooks/azure-monitor?secret=webhook-secret-0123456789abcdef", "not json", 400),
        ("/hooks/azure-monitor?secret=webhook-secret-0123456789abcdef", "other schema", 400),
        ("/hooks/azure-monitor?secret=webhook-secret-0123456789abcdef", "no alertId", 400),
        ("/hooks/azure-monitor?secret=webhook-secret-0123456789abcdef", "too large", 413),
    ])
    func webhookRefusals(uri: String, body: String, status: Int) async throws {
        let store = try await TestStores.make("sqlite")
        let harness = try DashboardHarness(store: store)
        let payload: Data
        switch body {
        case "not json": payload = Data("{\"schemaId\": ".utf8)
        case "other schema": payload = Data(#"{"schemaId":"Microsoft.Insights/activityLogs","data":{}}"#.utf8)
        case "no alertId":
            payload = Data(#"{"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":{"monitorCondition":"Fired"}}}"#.utf8)
        case "too large": payload = Data(repeating: 0x20, count: 600 * 1024)
        default: payload = AlertSamples.logAlert(id: "x", dimensions: [])
        }
        try await harness.test { client in
            try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                                     body: Self.buffer(payload)) { response in
                #expect(response.status.code == status)
            }
        }
        #expect(try await store.alertCount() == 0)
        #expect(try await store.incidents(tenant: nil, activeOnly: false, limit: 10).isEmpty)
    }

    @Test("An authenticated alert is stored before the 202; Azure's retry of it is kept once; processing opens a use")
    func webhookAccepts() async throws {
        let store = try await TestStores.make("sqlite")
        let harness = try DashboardHarness(store: store)
        let uri = "/hooks/azure-monitor?secret=\(DashboardHarness.webhookSecret)"
        let alert = AlertSamples.logAlert(id: "9f1c", dimensions: [("AccountObjectId", WatchFixture.bg01)])
        try await harness.test { client in
            for _ in 0..<2 {
                try await client.execute(uri: uri, method: .post, body: Self.buffer(alert)) { response in
                    #expect(response.status == .accepted)
                }
            }
            try await client.execute(uri: uri, method: .get) { response in #expect(response.status.code == 405 || response.status == .notFound) }
        }
        #expect(try await store.alertCount() == 1)
        #expect(try await harness.processor.processPending() == 1)
        let incident = try #require(try await store.incidents(tenant: WatchFixture.tenant.id, activeOnly: true, limit: 5).first)
        #expect(incident.kind == .signIn && incident.subject == WatchFixture.bg01)
    }

    @Test("An Entra ID bearer token authenticates the webhook when it is signed by the tenant's key for the audience")
    func entraBearer() async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try key.publicKey.getKeyPrimitives()
        let jwks = try JSONSerialization.data(withJSONObject: ["keys": [[
            "kty": "RSA", "kid": "k1", "use": "sig", "n": Base64URL.encode(primitives.modulus),
            "e": Base64URL.encode(primitives.publicExponent),
        ]]])
        let transport = ScriptedTransport(Array(repeating: json(200, String(decoding: jwks, as: UTF8.self)), count: 4))
        let tenant = "f0000000-0000-4000-8000-0000000fab01"
        let verifier = EntraTokenVerifier(tenantID: tenant, audiences: ["api://breakglass-watch"], transport: transport)
        func token(audience: String, issuer: String = "https://sts.windows.net/\(tenant)/", expires: TimeInterval = 600,
                   signer: _RSA.Signing.PrivateKey? = nil) throws -> String {
            let header = Base64URL.encode(try JSONSerialization.data(withJSONObject: ["alg": "RS256", "typ": "JWT", "kid": "k1"]))
            let now = Date().timeIntervalSince1970
            let claims = Base64URL.encode(try JSONSerialization.data(withJSONObject: [
                "aud": audience, "iss": issuer, "exp": Int(now + expires), "nbf": Int(now - 60), "iat": Int(now - 60),
            ]))
            let signature = try (signer ?? key).signature(for: Data("\(header).\(claims)".utf8), padding: .insecurePKCS1v1_5)
            return "\(header).\(claims).\(Base64URL.encode(signature.rawRepresentation))"
        }
        let store = try await TestStores.make("sqlite")
        let harness = try DashboardHarness(store: store, entra: verifier)
        let good = try token(audience: "api://breakglass-watch")
        let refused = [
            try token(audience: "api://something-else"),
            try token(audience: "api://breakglass-watch", issuer: "https://sts.windows.net/other-tenant/"),
            try token(audience: "api://breakglass-watch", expires: -3600),
            try token(audience: "api://breakglass-watch", signer: try _RSA.Signing.PrivateKey(keySize: .bits2048)),
        ]
        try await harness.test { client in
            for bad in refused {
                try await client.execute(uri: "/hooks/azure-monitor", method: .post, headers: [.authorization: "Bearer \(bad)"],
                                         body: Self.buffer(AlertSamples.logAlert(id: "e1", dimensions: []))) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/hooks/azure-monitor", method: .post, headers: [.authorization: "Bearer \(good)"],
                                     body: Self.buffer(AlertSamples.logAlert(id: "e1", dimensions: []))) { response in
                #expect(response.status == .accepted)
            }
        }
        #expect(try await store.alertCount() == 1)
    }

    @Test("The API needs the access token (or a session); acknowledgement validates its input")
    func apiAuthenticationAndAcknowledgement() async throws {
        let store = try await TestStores.make("sqlite")
        let harness = try DashboardHarness(store: store)
        let opened = try await harness.engine.record(
            try WatchFixture.events([WatchFixture.signIn(id: "s1", at: Date())]), tenant: WatchFixture.tenant, passwordChanges: [:])
        let id = try #require(opened.opened.first)
        try await harness.test { client in
            try await client.execute(uri: "/api/incidents", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/incidents", method: .get, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
            }
            try await client.execute(uri: "/api/incidents", method: .get, headers: DashboardHarness.bearer) { response in
                #expect(response.status == .ok)
                let list = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
                #expect(list?.first?["id"] as? String == id)
            }
            let ack = "/api/incidents/\(id)/acknowledge"
            for (body, status) in [("{}", 400), (#"{"by":"alice","reason":"because"}"#, 400), (#"{"by":" ","reason":"drill"}"#, 400)] {
                try await client.execute(uri: ack, method: .post, headers: DashboardHarness.bearer, body: ByteBuffer(string: body)) {
                    #expect($0.status.code == status)
                }
            }
            try await client.execute(uri: "/api/incidents/nope/acknowledge", method: .post, headers: DashboardHarness.bearer,
                                     body: ByteBuffer(string: #"{"by":"alice","reason":"drill"}"#)) { #expect($0.status == .notFound) }
            try await client.execute(uri: ack, method: .post, headers: DashboardHarness.bearer,
                                     body: ByteBuffer(string: #"{"by":"alice@fabrikam.com","reason":"emergency","note":"AD FS down"}"#)) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["state"] as? String == "acknowledged" && body?["acknowledgedBy"] as? String == "alice@fabrikam.com")
            }
            try await client.execute(uri: ack, method: .post, headers: DashboardHarness.bearer,
                                     body: ByteBuffer(string: #"{"by":"bob","reason":"drill"}"#)) { #expect($0.status == .conflict) }
        }
        #expect(try await store.incident(id: id)?.state == .acknowledged)
    }

    @Test("A one-time login link makes a session for the page; used twice it is refused; POST /login takes the token")
    func sessions() async throws {
        let store = try await TestStores.make("sqlite")
        let harness = try DashboardHarness(store: store)
        try await harness.test { client in
            let code = try await client.execute(uri: "/api/login-codes", method: .post, headers: DashboardHarness.bearer) { response in
                #expect(response.status == .created)
                return (try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?["code"] as? String ?? ""
            }
            let cookie = try await client.execute(uri: "/login?code=\(code)", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/")
                return String(response.headers[.setCookie]?.split(separator: ";").first ?? "")
            }
            #expect(cookie.hasPrefix("breakglass_session="))
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("breakglass watch"))
            }
            try await client.execute(uri: "/login?code=\(code)", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "token=nope")) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "token=\(DashboardHarness.token)")) { response in
                #expect(response.status == .seeOther && response.headers[.setCookie] != nil)
            }
            // A page session may read but not acknowledge (that takes the token, so no cross-site form can).
            try await client.execute(uri: "/api/incidents/x/acknowledge", method: .post, headers: [.cookie: cookie],
                                     body: ByteBuffer(string: #"{"by":"a","reason":"drill"}"#)) { #expect($0.status == .forbidden) }
        }
    }

    @Test("/healthz answers without a token; /metrics parses as Prometheus text with the service's series")
    func healthAndMetrics() async throws {
        let store = try await TestStores.make("sqlite")
        let harness = try DashboardHarness(store: store)
        try await harness.engine.record(try WatchFixture.events([WatchFixture.signIn(id: "s1", at: Date())]),
                                        tenant: WatchFixture.tenant, passwordChanges: [:])
        try await store.saveTenantStatus(TenantStatus(tenantID: WatchFixture.tenant.id, name: "Fabrikam",
                                                      lastPollAt: Date().addingTimeInterval(-30), lastPollSucceeded: true))
        try await harness.test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""database":"ok""#))
            }
            try await client.execute(uri: "/hooks/azure-monitor", method: .post, body: ByteBuffer(string: "{}")) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let samples = try PrometheusText.parse(String(buffer: response.body))
                #expect(samples[#"breakglass_watch_incidents{state="open"}"#] == 1)
                #expect(samples[#"breakglass_watch_incidents{state="closed"}"#] == 0)
                #expect(samples[#"breakglass_watch_alerts_received_total{result="unauthenticated"}"#] == 1)
                #expect(samples["breakglass_watch_outbox_pending"] == 1)
                let lag = try #require(samples[#"breakglass_watch_poll_lag_seconds{tenant="fabrikam.onmicrosoft.com"}"#])
                #expect(lag >= 30 && lag < 3600)
            }
        }
    }
}

/// A strict reader of the Prometheus text exposition format (0.0.4): every line is a `# HELP`/`# TYPE` comment or a
/// sample `name{label="value",…} number`; each sample's metric has a TYPE. Returns the samples by name and labels.
enum PrometheusText {
    struct Malformed: Error, CustomStringConvertible {
        var line: String
        var description: String { "not Prometheus text: \(line)" }
    }

    static func parse(_ text: String) throws -> [String: Double] {
        var types: [String: String] = [:]
        var samples: [String: Double] = [:]
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        let labels = #"(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*)?\})?"#
        let sample = try Regex("^(\(name))\(labels) (-?[0-9.eE+-]+|NaN|[+-]Inf)$")
        let type = try Regex("^# TYPE (\(name)) (counter|gauge|histogram|summary|untyped)$")
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") { continue }
            if let match = try type.wholeMatch(in: line), let metric = match.output[1].substring {
                types[String(metric)] = String(match.output[2].substring ?? "")
                continue
            }
            guard let match = try sample.wholeMatch(in: line), let metric = match.output[1].substring,
                  let value = Double(String(line.split(separator: " ").last ?? "")) else {
                throw Malformed(line: String(line))
            }
            let family = ["_bucket", "_sum", "_count"].reduce(String(metric)) { name, suffix in
                name.hasSuffix(suffix) && types[name] == nil ? String(name.dropLast(suffix.count)) : name
            }
            guard types[family] != nil else { throw Malformed(line: "no TYPE for \(line)") }
            samples[String(line.split(separator: " ").dropLast().joined(separator: " "))] = value
        }
        return samples
    }
}

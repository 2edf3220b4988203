import Custody
import Dashboard
import EntraModel
import Foundation
import Graph
import GraphEmulator
import HTTPTypes
import Hummingbird
import Logging
import Monitoring
import NIOCore
import Synchronization
import Testing
import Watch

/// A clock tests move by hand: the emulator's timeline and the service read it.
final class ManualClock: Sendable {
    let current: Mutex<Date>

    init(_ start: Date = Date()) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var read: @Sendable () -> Date { { self.now } }
}

/// The stores the watch tests run on: SQLite in memory always, PostgreSQL when BREAKGLASS_TEST_POSTGRES gives a DSN
/// (`.ci/run` starts one; scripts/test-postgres.sh locally). Each PostgreSQL store gets a schema of its own, so
/// tests running at once do not see each other.
enum TestStores {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["BREAKGLASS_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var kinds: [String] { postgresURL == nil ? ["sqlite"] : ["sqlite", "postgres"] }

    /// A fresh store of `kind`, migrated; `schema` names a PostgreSQL schema to share between two stores.
    static func make(_ kind: String, schema: String? = nil) async throws -> any WatchStore {
        let store: any WatchStore
        switch kind {
        case "postgres":
            let url = try #require(postgresURL)
            let name = schema ?? "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            store = try PostgresStore(url: url + (url.contains("?") ? "&" : "?") + "schema=\(name)")
        default:
            store = try SQLiteStore(path: nil)
        }
        try await store.migrate()
        return store
    }

    static func file() throws -> any WatchStore {
        try SQLiteStore(path: Fixture.temporaryDirectory().appendingPathComponent("watch.sqlite").path)
    }
}

/// The Fabrikam fixture ("good") as the service watches it.
enum WatchFixture {
    static let bg01 = "b9000001-0000-4000-8000-000000000001"
    static let bg02 = "b9000001-0000-4000-8000-000000000002"
    static let alice = "a1000000-0000-4000-8000-00000000a11c"
    static let group = "e0000000-0000-4000-8000-0000000e0c10"
    static let tenantID = "f0000000-0000-4000-8000-0000000fab01"

    static var tenant: WatchedTenant {
        WatchedTenant(id: "fabrikam.onmicrosoft.com", name: "Fabrikam",
                      accounts: [WatchedAccount(objectID: bg01, userPrincipalName: "bg-01@fabrikam.onmicrosoft.com"),
                                 WatchedAccount(objectID: bg02, userPrincipalName: "bg-02@fabrikam.onmicrosoft.com")],
                      groups: [WatchedGroup(id: group, displayName: "Emergency access exclusion")],
                      rotationGraceHours: 24, aliases: [tenantID])
    }

    static func signIn(id: String, user: String = bg01, at: Date? = nil, errorCode: Int = 0, interactive: Bool = true,
                       ip: String = "203.0.113.7") -> [String: Any] {
        var item: [String: Any] = [
            "id": id, "userId": user, "userPrincipalName": user == bg01 ? "bg-01@fabrikam.onmicrosoft.com" : "bg-02@fabrikam.onmicrosoft.com",
            "appDisplayName": "Azure Portal", "ipAddress": ip, "isInteractive": interactive,
            "status": ["errorCode": errorCode], "conditionalAccessStatus": "notApplied",
        ]
        if let at { item["createdDateTime"] = GraphDate.format(at) }
        return item
    }

    static func passwordReset(id: String, user: String = bg01, by: String = alice) -> [String: Any] {
        ["id": id, "category": "UserManagement", "activityDisplayName": "Reset password (by admin)", "result": "success",
         "loggedByService": "Core Directory",
         "initiatedBy": ["user": ["id": by, "userPrincipalName": "alice@fabrikam.com"]],
         "targetResources": [["id": user, "type": "User", "userPrincipalName": "bg-01@fabrikam.onmicrosoft.com"]]]
    }

    static func audit(id: String, activity: String, category: String, target: [String: Any], at: Date? = nil,
                      modified: [String] = []) -> [String: Any] {
        var target = target
        if !modified.isEmpty { target["modifiedProperties"] = modified.map { ["displayName": $0, "oldValue": "a", "newValue": "b"] } }
        var item: [String: Any] = [
            "id": id, "category": category, "activityDisplayName": activity, "result": "success",
            "loggedByService": "Core Directory",
            "initiatedBy": ["user": ["id": alice, "userPrincipalName": "alice@fabrikam.com"]], "targetResources": [target],
        ]
        if let at { item["activityDateTime"] = GraphDate.format(at) }
        return item
    }

    /// Events as the poller reads them: a Graph page through Monitoring's reader.
    static func events(_ items: [[String: Any]], source: String = "signIns") throws -> [Monitoring.LogEvent] {
        let data = try JSONSerialization.data(withJSONObject: ["value": items])
        return try GraphLogReader(targets: tenant.targets).events(page: data, source: source)
    }

    /// A GraphClient for an emulator at `url` (any client secret is accepted).
    static func client(_ url: URL, transport: any HTTPTransport) -> GraphClient {
        let endpoints = GraphEndpoints(graph: url, authority: url)
        let provider = ClientSecretProvider(tenant: "fabrikam.onmicrosoft.com", clientID: "watch-tests", secret: "any",
                                            endpoints: endpoints, transport: transport)
        return GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport,
                           retry: RetryPolicy(maxAttempts: 3, budget: .seconds(5), baseDelay: .milliseconds(50)))
    }
}

/// A loopback HTTP server that records what it receives: the notification receivers of the tests.
actor Recorder {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    }

    private(set) var received: [Received] = []
    /// Requests to leave unanswered (mid-delivery) before answering normally.
    var hold = 0
    var status = 202

    func record(_ request: Received) -> Bool {
        received.append(request)
        if hold > 0 {
            hold -= 1
            return false
        }
        return true
    }

    func setHold(_ count: Int) { hold = count }
    func setStatus(_ code: Int) { status = code }

    func requests(to path: String) -> [Received] { received.filter { $0.path == path } }

    /// Polls until `condition` holds over the received requests, or fails after `timeout` seconds.
    func wait(timeout: TimeInterval = 30, _ condition: @Sendable ([Received]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(received) {
            guard Date() < deadline else {
                Issue.record("timed out waiting; received \(received.map(\.path))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Serves on a free loopback port for the duration of `body`.
    static func with<T: Sendable>(_ recorder: Recorder, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let data = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(path: request.uri.path, headers: headers, body: Data(data.readableBytesView))
            guard await recorder.record(received) else {
                // Mid-delivery: never answer (the sender is killed, or times out).
                try await Task.sleep(for: .seconds(3600))
                return Response(status: .ok)
            }
            return Response(status: .init(code: await recorder.status))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
                              logger: { var logger = Logger(label: "recorder"); logger.logLevel = .critical; return logger }())
        // A handler that never answers (a delivery cut mid-way) must not hold the test: cancelled after a second.
        return try await serveGracefully(app, ports: ports, maximumShutdown: .seconds(1)) { port in
            guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw CancellationError() }
            return try await body(url)
        }
    }
}

/// Verifies a Standard Webhooks delivery as a receiver would (spec/standard-webhooks.md, "Verifying signatures").
func verifyStandardWebhook(_ request: Recorder.Received, secret: String) -> Bool {
    guard let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"],
          let signatures = request.headers["webhook-signature"] else { return false }
    let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) ?? Data()
    let expected = StandardWebhookNotifier.signature(key: Secret(key), id: id, timestamp: Int(timestamp) ?? 0,
                                                     body: String(decoding: request.body, as: UTF8.self))
    return signatures.split(separator: " ").contains { $0 == expected }
}

/// Sends one HTTP request on loopback.
func http(_ method: String, _ url: URL, headers: [(String, String)] = [], body: Data? = nil) async throws -> GraphResponse {
    let transport = AsyncHTTPTransport()
    do {
        let response = try await transport.send(GraphRequest(method: method, url: url, headers: headers, body: body),
                                                timeout: .seconds(20))
        try await transport.shutdown()
        return response
    } catch {
        try? await transport.shutdown()
        throw error
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func eventually(timeout: TimeInterval = 30, _ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try await !condition() {
        guard Date() < deadline else {
            Issue.record("timed out waiting for \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}

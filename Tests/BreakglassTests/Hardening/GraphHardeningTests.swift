import Foundation
import Graph
import GraphEmulator
import Hummingbird
import NIOCore
import Testing

/// A Hummingbird server on a free loopback port for the duration of `body`.
enum LoopbackServer {
    static func with<T: Sendable>(_ router: Router<BasicRequestContext>, _ body: @Sendable (Int) async throws -> T)
        async throws -> T
    {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        return try await serveGracefully(app, ports: ports, maximumShutdown: .seconds(1), body)
    }
}

/// What a server received.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}

/// Credentials only over https (or loopback) and only to the cloud's hosts; no redirect followed with a secret;
/// bounded answers; a device-code server that cannot stall or paint the terminal (issue 10, items 2, 3, 13).
@Suite("Graph hardening")
struct GraphHardeningTests {
    // Item 2

    @Test("Only the cloud's Microsoft hosts over https receive credentials, unless a host is named")
    func endpointPolicy() throws {
        let microsoft = [
            "https://graph.microsoft.com", "https://login.microsoftonline.com", "https://management.azure.com",
        ].compactMap(URL.init(string:))
        try EndpointPolicy.check(microsoft, cloud: .global, allowedHosts: [])
        try EndpointPolicy.check([URL(string: "https://graph.microsoft.us")].compactMap { $0 }, cloud: .usgov,
                                 allowedHosts: [])
        for (url, expected) in [
            ("https://graph.microsoft.com.evil.example", GraphError.credentialsRefused(
                host: "graph.microsoft.com.evil.example", option: "--allow-credentials-to-host")),
            ("https://graph.microsoft.us", .credentialsRefused(host: "graph.microsoft.us", option: "--allow-credentials-to-host")),
            ("http://graph.microsoft.com", .insecureEndpoint("http://graph.microsoft.com")),
            ("http://127.0.0.1:8080", .credentialsRefused(host: "127.0.0.1", option: "--allow-credentials-to-host")),
        ] {
            let target = try #require(URL(string: url))
            #expect(throws: expected) { try EndpointPolicy.check([target], cloud: .global, allowedHosts: []) }
        }
        try EndpointPolicy.check([URL(string: "http://127.0.0.1:8080")].compactMap { $0 }, cloud: .global,
                                 allowedHosts: ["127.0.0.1"])
        // Naming a host does not make plain http to another machine acceptable.
        #expect(throws: GraphError.insecureEndpoint("http://proxy.example")) {
            try EndpointPolicy.check([URL(string: "http://proxy.example")].compactMap { $0 }, cloud: .global,
                                     allowedHosts: ["proxy.example"])
        }
        #expect(EndpointPolicy.isLoopback("127.3.2.1") && EndpointPolicy.isLoopback("::1"))
        #expect(!EndpointPolicy.isLoopback("127.0.0.1.evil.example") && !EndpointPolicy.isLoopback("10.0.0.1"))
    }

    @Test("The CLI refuses http to another machine (exit 2) and credentials to an unnamed host (exit 5)")
    func cliRefusesBeforeSending() throws {
        let out = Fixture.temporaryDirectory().appendingPathComponent("snap").path
        let secret = cleanEnvironment(["AZURE_CLIENT_ID": "app", "AZURE_CLIENT_SECRET": "s3cret-value"])
        let http = try CLI.run(
            ["snapshot", "--tenant", "t", "--out", out, "--graph-endpoint", "http://graph.example.com"],
            environment: secret)
        #expect(http.status == 2)
        #expect(http.stderr.contains("use https"))

        // Port 9 on loopback: nothing listens, and nothing is sent, because the check comes first.
        for (environment, endpoint) in [
            (secret, "https://graph.example.com"),
            (cleanEnvironment(["BREAKGLASS_GRAPH_TOKEN": "eyJ-a-real-token"]), "https://graph.example.com"),
            (secret, "http://127.0.0.1:9"),
        ] {
            let refused = try CLI.run(
                ["snapshot", "--tenant", "t", "--out", out, "--graph-endpoint", endpoint, "--authority", endpoint],
                environment: environment)
            #expect(refused.status == 5, "\(refused.stderr)")
            #expect(refused.stderr.contains("--allow-credentials-to-host"))
            #expect(!refused.stderr.contains("s3cret-value") && !refused.stderr.contains("eyJ-a-real-token"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    // Item 3

    @Test("A token POST answered with 307 to another port is not followed: the second server never sees the secret")
    func tokenRedirectIsNotFollowed() async throws {
        let stolen = Received()
        let thief = Router()
        thief.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            stolen.append(String(buffer: body))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"access_token":"x"}"#)))
        }
        try await LoopbackServer.with(thief) { thiefPort in
            let login = Router()
            login.post("**") { _, _ -> Response in
                Response(status: .temporaryRedirect,
                         headers: [.location: "http://127.0.0.1:\(thiefPort)/t/oauth2/v2.0/token"])
            }
            try await LoopbackServer.with(login) { loginPort in
                let base = try #require(URL(string: "http://127.0.0.1:\(loginPort)"))
                let transport = AsyncHTTPTransport()
                let provider = ClientSecretProvider(
                    tenant: "t", clientID: "app", secret: "s3cret-never-leaves",
                    endpoints: GraphEndpoints(graph: base, authority: base), transport: transport)
                await #expect(throws: GraphError.self) { _ = try await provider.fetchToken() }
                try await transport.shutdown()
            }
        }
        #expect(stolen.all.isEmpty, "the redirect target received: \(stolen.all.count) requests")
    }

    @Test("A sign-in answer larger than 256 KiB is refused")
    func oversizedTokenAnswer() async throws {
        let router = Router()
        router.post("**") { _, _ -> Response in
            let padding = String(repeating: "A", count: 300 * 1024)
            let text = #"{"access_token":"x","expires_in":3600,"padding":"\#(padding)"}"#
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        try await LoopbackServer.with(router) { port in
            let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
            let transport = AsyncHTTPTransport()
            let provider = ClientSecretProvider(
                tenant: "t", clientID: "app", secret: "s", endpoints: GraphEndpoints(graph: base, authority: base),
                transport: transport)
            await #expect(throws: GraphError.self) { _ = try await provider.fetchToken() }
            try await transport.shutdown()
        }
    }

    /// gzip of 1 MiB of zero bytes: 1,051 bytes on the wire.
    static let gzipBomb = Data(
        base64Encoded: "H4sIAAAAAAACA+3BMQEAAADCoPVPbQhfo" + String(repeating: "A", count: 1355) + "PgMc6jinAAAQAA==")

    @Test("A compressed answer that inflates past the body cap is refused as such, not retried")
    func decompressionIsBounded() async throws {
        let bomb = try #require(Self.gzipBomb)
        let router = Router()
        router.get("**") { _, _ -> Response in
            Response(status: .ok, headers: [.contentEncoding: "gzip", .contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(bytes: bomb)))
        }
        try await LoopbackServer.with(router) { port in
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/v1.0/users"))
            let transport = AsyncHTTPTransport(maximumBodySize: 256 * 1024)
            do {
                _ = try await transport.send(GraphRequest(url: url), timeout: .seconds(10))
                Issue.record("the bomb was accepted")
            } catch let error as GraphError {
                guard case .malformedResponse(_, let reason) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(reason.contains("inflates past"))
            } catch {
                Issue.record("not refused as a bounded decompression: \(error)")
            }
            try await transport.shutdown()
        }
    }

    @Test("Device code: the poll interval is bounded and the server's message reaches the terminal without escapes")
    func deviceCodeAnswersAreBounded() async throws {
        let transport = ScriptedTransport([
            json(200, #"{"device_code":"d","user_code":"U","verification_uri":"https://microsoft.com/devicelogin","interval":86400,"expires_in":900,"message":"\u001b]0;pwned\u0007\u001b[2JSign in\u202E now"}"#),
            json(400, #"{"error":"slow_down"}"#),
            json(200, #"{"access_token":"t","expires_in":3600}"#),
        ])
        let clock = RecordingClock()
        let prompts = Received()
        let base = try #require(URL(string: "https://login.microsoftonline.com"))
        let provider = DeviceCodeProvider(
            tenant: "t", endpoints: GraphEndpoints(authority: base), transport: transport, clock: clock,
            prompt: { prompts.append($0) })
        _ = try await provider.fetchToken()
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps.allSatisfy { $0 <= .seconds(61) }, "\(clock.sleeps)")
        let shown = try #require(prompts.all.first)
        #expect(!shown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(shown.contains("Sign in"))
    }

    // Item 13

    @Test("RS256 assertions carry x5t (SHA-1) and x5t#S256; PS256 stays the default with x5t#S256 (Learn: certificate credentials)")
    func assertionThumbprints() throws {
        let pem = try String(contentsOf: Fixture.url("graph/client.pem"), encoding: .utf8)
        let certificate = try ClientCertificate(pem: pem)
        func header(_ assertion: String) throws -> [String: String] {
            let part = try #require(assertion.split(separator: ".").first.map(String.init))
            let data = try #require(Base64URL.decode(part))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        }
        // `openssl x509 -outform der | openssl dgst -sha1 -binary | base64url` of the fixture certificate.
        let rs256 = try header(certificate.assertion(clientID: "app", audience: "a", now: Date(), algorithm: .rs256))
        #expect(rs256["alg"] == "RS256")
        #expect(rs256["x5t"] == "Z27Ak1-Zktj3y8DKzxZUNy46Zto")
        #expect(rs256["x5t#S256"] == "oQNi252la_H1nSRuvVQDBuJPZEj_5UvpcGyL_Yazhp4")
        let ps256 = try header(certificate.assertion(clientID: "app", audience: "a", now: Date()))
        #expect(ps256["alg"] == "PS256")
        #expect(ps256["x5t#S256"] == "oQNi252la_H1nSRuvVQDBuJPZEj_5UvpcGyL_Yazhp4")
        #expect(ps256["x5t"] == nil)
    }
}

import Foundation
import Graph
import GraphEmulator
import Testing

/// Every sign-in flow over real HTTP on loopback against the in-process emulator.
@Suite("Graph emulator: sign-in flows")
struct EmulatorAuthTests {
    static let good = Fixture.url("good")

    func endpoints(_ base: URL) -> GraphEndpoints { GraphEndpoints(graph: base, authority: base) }

    func organization(_ provider: any TokenProvider, _ base: URL, transport: AsyncHTTPTransport) async throws -> String {
        let client = GraphClient(endpoints: endpoints(base), tokens: TokenCache(provider: provider), transport: transport,
                                 clock: RecordingClock())
        let data = try await client.list("/organization")
        return String(decoding: data, as: UTF8.self)
    }

    @Test("Client secret: the right one signs in, a wrong one is refused with AADSTS7000215")
    func secret() async throws {
        let options = EmulatorOptions(clientID: "app", clientSecret: "right")
        try await InProcessEmulator.with(Self.good, options: options) { base in
            let transport = AsyncHTTPTransport()
            let good = ClientSecretProvider(tenant: "t", clientID: "app", secret: "right", endpoints: endpoints(base), transport: transport)
            let body = try await organization(good, base, transport: transport)
            #expect(body.contains("f0000000-0000-4000-8000-0000000fab01"))
            let bad = ClientSecretProvider(tenant: "t", clientID: "app", secret: "wrong", endpoints: endpoints(base), transport: transport)
            do {
                _ = try await bad.fetchToken()
                Issue.record("a wrong secret signed in")
            } catch let error as GraphError {
                guard case .authentication(_, "invalid_client", let message) = error else { throw error }
                #expect(message.contains("AADSTS7000215"))
                #expect(!error.description.contains("wrong"))
            }
            try await transport.shutdown()
        }
    }

    @Test("Certificate: RS256 and PS256 assertions verify; another certificate's do not",
          arguments: [ClientCertificate.Algorithm.ps256, .rs256])
    func certificate(algorithm: ClientCertificate.Algorithm) async throws {
        let pem = try String(contentsOf: Fixture.url("graph/client.pem"), encoding: .utf8)
        let other = try String(contentsOf: Fixture.url("graph/other.pem"), encoding: .utf8)
        let options = EmulatorOptions(clientID: "app", certificate: try EmulatorCertificate(pem: pem))
        try await InProcessEmulator.with(Self.good, options: options) { base in
            let transport = AsyncHTTPTransport()
            let provider = ClientCertificateProvider(tenant: "t", clientID: "app", certificate: try ClientCertificate(pem: pem),
                                                     algorithm: algorithm, endpoints: endpoints(base), transport: transport)
            #expect(try await organization(provider, base, transport: transport).contains("value"))
            let impostor = ClientCertificateProvider(tenant: "t", clientID: "app", certificate: try ClientCertificate(pem: other),
                                                     algorithm: algorithm, endpoints: endpoints(base), transport: transport)
            await #expect(throws: GraphError.self) { _ = try await impostor.fetchToken() }
            try await transport.shutdown()
        }
    }

    @Test("Device code: shows the code, polls through authorization_pending and slow_down, then signs in")
    func deviceCode() async throws {
        try await InProcessEmulator.with(Self.good, options: EmulatorOptions(deviceCodePendingPolls: 2)) { base in
            let transport = AsyncHTTPTransport()
            let clock = RecordingClock()
            let prompts = Prompts()
            let provider = DeviceCodeProvider(tenant: "t", endpoints: endpoints(base), transport: transport, clock: clock,
                                              prompt: { prompts.append($0) })
            #expect(try await organization(provider, base, transport: transport).contains("value"))
            #expect(prompts.all.first?.contains("\(base.absoluteString)/devicelogin") == true)
            // interval 1 s twice while pending, then 1 + 5 s after slow_down.
            #expect(clock.sleeps.map { ($0 + .milliseconds(100)).components.seconds } == [1, 1, 1, 6])
            try await transport.shutdown()
        }
    }

    @Test("Device code: an expired code stops with a clear error")
    func expired() async throws {
        try await InProcessEmulator.with(Self.good, options: EmulatorOptions(deviceCodeLifetime: 0)) { base in
            let transport = AsyncHTTPTransport()
            let provider = DeviceCodeProvider(tenant: "t", endpoints: endpoints(base), transport: transport,
                                              clock: RecordingClock(), prompt: { _ in })
            await #expect(throws: GraphError.deviceCodeExpired) { _ = try await provider.fetchToken() }
            try await transport.shutdown()
        }
    }

    @Test("Graph refuses requests without a token it issued")
    func unauthenticated() async throws {
        try await InProcessEmulator.with(Self.good) { base in
            let transport = AsyncHTTPTransport()
            await #expect(throws: GraphError.self) {
                _ = try await organization(StaticTokenProvider(token: "forged"), base, transport: transport)
            }
            try await transport.shutdown()
        }
    }
}

final class Prompts: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

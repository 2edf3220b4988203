import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Thrown while writing a response to drop the connection (the fault injector).
struct EmulatorFault: Error {}

/// The emulator on Hummingbird: every request goes to `GraphEmulator.handle`.
public struct EmulatorServer: Sendable {
    public let emulator: GraphEmulator
    public let host: String
    public let port: Int
    let logger: Logger

    public init(emulator: GraphEmulator, host: String = "127.0.0.1", port: Int = 0,
                logger: Logger? = nil) {
        self.emulator = emulator
        self.host = host
        self.port = port
        var quiet = Logger(label: "breakglass.emulator")
        quiet.logLevel = .critical
        self.logger = logger ?? quiet
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let emulator = self.emulator
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            var query: [String: String] = [:]
            if let raw = request.uri.query {
                for pair in raw.split(separator: "&") {
                    let halves = pair.split(separator: "=", maxSplits: 1).map {
                        String($0).removingPercentEncoding ?? String($0)
                    }
                    query[halves[0]] = halves.count > 1 ? halves[1] : ""
                }
            }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let authority = request.head.authority ?? headers["host"] ?? "127.0.0.1"
            let answer = await emulator.handle(EmulatorRequest(
                method: request.method.rawValue, path: request.uri.path, query: query, headers: headers,
                body: Data(body.readableBytesView), baseURL: "http://\(authority)"))
            if answer.dropsConnection {
                // The fault injector: a head that promises a body, then the connection is closed without one.
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: ResponseBody(contentLength: 64) { _ in throw EmulatorFault() })
            }
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
            }
            return Response(status: .init(code: answer.status), headers: fields,
                            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        router.get("**", use: handler)
        router.post("**", use: handler)
        router.put("**", use: handler)
        router.patch("**", use: handler)
        router.delete("**", use: handler)
        return router
    }

    /// Serves until `body` returns, then shuts down gracefully (`serveGracefully`); tests and embedders use this.
    public func serving<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "breakglass-emulator"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        return try await serveGracefully(app, ports: ports, logger: logger) { port in
            guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw CancellationError() }
            return try await body(url)
        }
    }

    /// Runs until cancelled (or SIGINT/SIGTERM with `gracefulShutdown`); `onListening` gets the bound port.
    public func run(gracefulShutdown: Bool = true, onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "breakglass-emulator"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        if gracefulShutdown {
            try await app.runService()
        } else {
            try await app.run()
        }
    }
}

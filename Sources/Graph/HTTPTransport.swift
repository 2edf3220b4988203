import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// One HTTP request as the Graph client sends it.
public struct GraphRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: Data?
    /// The largest response body to accept (the transport's own cap applies too): small for sign-in answers.
    public var maximumResponseBytes: Int?

    public init(method: String = "GET", url: URL, headers: [(String, String)] = [], body: Data? = nil,
                maximumResponseBytes: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// `GET /v1.0/users` — what errors and logs name (never headers, so never a token).
    public var summary: String {
        "\(method) \(url.path)"
    }
}

/// One HTTP response, its body read whole.
public struct GraphResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Sends requests; the production one is `AsyncHTTPTransport`, tests may pass their own.
public protocol HTTPTransport: Sendable {
    func send(_ request: GraphRequest, timeout: Duration) async throws -> GraphResponse
}

/// AsyncHTTPClient: a timeout on every request, bodies read with `collect(upTo:)`. Call `shutdown()` when done.
///
/// Redirects are never followed: AsyncHTTPClient keeps the method and body of a POST on 307/308, even to another
/// origin, which would hand a client secret or assertion to whichever host the redirect names. Graph's paging is
/// `@odata.nextLink`, which the client follows itself within the Graph host. Compressed bodies are inflated only up
/// to the body cap, so a small compressed answer cannot expand into gigabytes in memory.
public final class AsyncHTTPTransport: HTTPTransport {
    let client: HTTPClient
    let maximumBodySize: Int

    public init(maximumBodySize: Int = 512 * 1024 * 1024) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(15), read: .seconds(120))
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .size(maximumBodySize))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumBodySize = maximumBodySize
    }

    public func send(_ request: GraphRequest, timeout: Duration) async throws -> GraphResponse {
        guard EndpointPolicy.isAllowedScheme(request.url) else {
            throw GraphError.insecureEndpoint(request.url.absoluteString)
        }
        let limit = min(request.maximumResponseBytes ?? maximumBodySize, maximumBodySize)
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let seconds = Int64(timeout.components.seconds)
        do {
            let response = try await client.execute(outgoing, timeout: .seconds(max(seconds, 1)))
            let buffer = try await response.body.collect(upTo: limit)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return GraphResponse(status: Int(response.status.code), headers: headers, body: Data(buffer.readableBytesView))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as NIOHTTPDecompression.DecompressionError where error == .limit {
            // Not retried: the same answer would inflate the same way.
            throw GraphError.malformedResponse(
                request: request.summary, reason: "the compressed response inflates past \(limit) bytes")
        } catch is NIOTooManyBytesError {
            throw GraphError.malformedResponse(request: request.summary, reason: "the response is larger than \(limit) bytes")
        } catch {
            // Connection refused or reset, timeouts, a truncated body: transient, so the client retries.
            throw TransportError(reason: "\(error)")
        }
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }
}

/// A network failure (connection refused, timeout, reset): transient, retried.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

import EntraModel
import Foundation

/// A bearer token. Its `description` is redacted, so it cannot reach a log, a report or an error by accident.
public struct AccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public let expiresOn: Date

    public init(value: String, expiresOn: Date) {
        self.value = value
        self.expiresOn = expiresOn
    }

    public var description: String { "<redacted token>" }
    public var debugDescription: String { description }
}

/// Gets a new token from the sign-in service (or the environment). Wrapped by `TokenCache`.
public protocol TokenProvider: Sendable {
    func fetchToken() async throws -> AccessToken
}

/// Caches one token in memory and fetches a new one shortly before it expires; concurrent callers share one fetch.
public actor TokenCache {
    let provider: any TokenProvider
    let now: @Sendable () -> Date
    let refreshMargin: TimeInterval
    var token: AccessToken?
    var inFlight: Task<AccessToken, any Error>?

    public init(provider: any TokenProvider, refreshMargin: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func token(forceRefresh: Bool = false) async throws -> AccessToken {
        if !forceRefresh, let token, token.expiresOn.timeIntervalSince(now()) > refreshMargin { return token }
        if let inFlight { return try await inFlight.value }
        let provider = self.provider
        let task = Task { try await provider.fetchToken() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        token = fresh
        return fresh
    }
}

/// A ready bearer token from `BREAKGLASS_GRAPH_TOKEN` (for example `az account get-access-token`).
public struct StaticTokenProvider: TokenProvider {
    let token: String

    public init(token: String) { self.token = token }

    public func fetchToken() async throws -> AccessToken {
        // Its expiry is not known here; Graph answers 401 when it has expired.
        AccessToken(value: token, expiresOn: .distantFuture)
    }
}

/// Posts forms to the sign-in service and reads its JSON answers.
struct OAuthEndpoint: Sendable {
    let transport: any HTTPTransport
    let timeout: Duration
    let now: @Sendable () -> Date

    struct Answer: Sendable {
        var status: Int
        var fields: [String: String]
    }

    func post(_ url: URL, _ form: [(String, String)]) async throws -> Answer {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let request = GraphRequest(method: "POST", url: url,
                                   headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                   body: Data(body.utf8), maximumResponseBytes: Self.maximumAnswerBytes)
        let response: GraphResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            throw GraphError.transport(request: request.summary, reason: "\(error)")
        }
        guard JSONNesting.isWithin(response.body),
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        else {
            throw GraphError.malformedResponse(request: request.summary, reason: "HTTP \(response.status), not JSON")
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            if let text = value as? String { fields[key] = text } else if let number = value as? NSNumber {
                fields[key] = number.stringValue
            }
        }
        return Answer(status: response.status, fields: fields)
    }

    /// A token from a successful answer, or the sign-in error it carries (never echoing the form).
    func token(from answer: Answer, endpoint: URL) throws -> AccessToken {
        guard answer.status == 200, let value = answer.fields["access_token"] else {
            throw GraphError.authentication(endpoint: endpoint.absoluteString, code: answer.fields["error"] ?? "HTTP \(answer.status)",
                                            message: answer.fields["error_description"] ?? "")
        }
        let lifetime = answer.fields["expires_in"].flatMap(Double.init) ?? 3600
        return AccessToken(value: value, expiresOn: now().addingTimeInterval(lifetime))
    }

    /// A sign-in answer is a few kilobytes (a token, its lifetime, a message).
    static let maximumAnswerBytes = 256 * 1024

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Client credentials with a secret.
public struct ClientSecretProvider: TokenProvider {
    let endpoint: OAuthEndpoint
    let endpoints: GraphEndpoints
    let tenant: String
    let clientID: String
    let secret: String

    public init(tenant: String, clientID: String, secret: String, endpoints: GraphEndpoints,
                transport: any HTTPTransport, timeout: Duration = .seconds(30),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.tenant = tenant
        self.clientID = clientID
        self.secret = secret
        self.endpoints = endpoints
        self.endpoint = OAuthEndpoint(transport: transport, timeout: timeout, now: now)
    }

    public func fetchToken() async throws -> AccessToken {
        let url = endpoints.tokenURL(tenant: tenant)
        let answer = try await endpoint.post(url, [
            ("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret),
            ("scope", endpoints.scope),
        ])
        return try endpoint.token(from: answer, endpoint: url)
    }
}

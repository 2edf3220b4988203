import EntraModel
import Foundation
import Logging

/// How hard to try: attempts per request and an overall budget of time spent waiting between attempts.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    /// The most time all of a client's requests may spend waiting to retry, together.
    public var budget: Duration
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 8, budget: Duration = .seconds(300), baseDelay: Duration = .milliseconds(500),
                maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.budget = budget
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Exponential backoff with full jitter: a random delay up to `baseDelay * 2^(attempt-1)`, capped.
    func backoff(attempt: Int) -> Duration {
        let ceiling = min(baseDelay * (1 << min(attempt - 1, 20)), maxDelay)
        let fraction = Double.random(in: 0.5...1.0)
        return ceiling * fraction
    }
}

/// Time spent waiting to retry, shared by every request of one client.
actor RetryBudget {
    let limit: Duration
    var spent: Duration = .zero

    init(limit: Duration) { self.limit = limit }

    /// Takes `delay` from the budget, or returns false when it would overdraw it.
    func take(_ delay: Duration) -> Bool {
        guard spent + delay <= limit else { return false }
        spent += delay
        return true
    }
}

/// Microsoft Graph over an injected transport and clock: authentication, paging, retries, bounded concurrency.
public struct GraphClient: Sendable {
    public let endpoints: GraphEndpoints
    let transport: any HTTPTransport
    let tokens: TokenCache
    let clock: any Clock<Duration>
    let logger: Logger
    let retry: RetryPolicy
    let budget: RetryBudget
    let timeout: Duration
    /// How many requests run at once in `concurrentMap` (default 4).
    public let concurrency: Int

    public init(endpoints: GraphEndpoints, tokens: TokenCache, transport: any HTTPTransport,
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "breakglass.graph"),
                retry: RetryPolicy = RetryPolicy(), timeout: Duration = .seconds(60), concurrency: Int = 4) {
        self.endpoints = endpoints
        self.tokens = tokens
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.retry = retry
        self.budget = RetryBudget(limit: retry.budget)
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
    }

    /// One request with authentication and retries; returns a 2xx response or throws `GraphError`.
    ///
    /// A request that is not `idempotent` (a POST that creates something) is retried only when the service says it
    /// did not run it (429, 401 before a fresh token); a lost connection or a 5xx leaves its outcome unknown and
    /// throws `GraphError.outcomeUnknown`, so the caller looks before trying again instead of creating a duplicate.
    public func send(_ request: GraphRequest, idempotent: Bool = true) async throws -> GraphResponse {
        var attempt = 0
        var refreshed = false
        var forceRefresh = false
        var last = ""
        while true {
            attempt += 1
            try Task.checkCancellation()
            let token = try await tokens.token(forceRefresh: forceRefresh)
            forceRefresh = false
            var authorized = request
            authorized.headers.append(("Authorization", "Bearer \(token.value)"))
            let delay: Duration
            do {
                let response = try await transport.send(authorized, timeout: timeout)
                switch response.status {
                case 200..<300:
                    return response
                case 401 where !refreshed:
                    refreshed = true
                    forceRefresh = true
                    last = "HTTP 401"
                    continue
                case 429, 503, 504:
                    if response.status != 429, !idempotent {
                        throw GraphError.outcomeUnknown(request: request.summary, reason: "HTTP \(response.status)")
                    }
                    delay = Self.retryAfter(response) ?? retry.backoff(attempt: attempt)
                    last = "HTTP \(response.status)"
                case 500, 502:
                    guard idempotent else {
                        throw GraphError.outcomeUnknown(request: request.summary, reason: "HTTP \(response.status)")
                    }
                    delay = retry.backoff(attempt: attempt)
                    last = "HTTP \(response.status)"
                case 403:
                    let (code, message) = GraphErrorBody.parse(response.body)
                    throw GraphError.forbidden(request: request.summary, code: code, message: message,
                                               permission: GraphPermissions.required(forPath: request.url.path,
                                                                                     method: request.method))
                default:
                    let (code, message) = GraphErrorBody.parse(response.body)
                    throw GraphError.http(request: request.summary, status: response.status, code: code, message: message)
                }
            } catch let error as TransportError {
                guard idempotent else { throw GraphError.outcomeUnknown(request: request.summary, reason: error.reason) }
                delay = retry.backoff(attempt: attempt)
                last = error.reason
            }
            guard attempt < retry.maxAttempts, await budget.take(delay) else {
                throw GraphError.retriesExhausted(request: request.summary, attempts: attempt, last: last)
            }
            logger.debug("Graph request retried", metadata: [
                "graph.request": "\(request.summary)", "graph.attempt": "\(attempt)", "graph.reason": "\(last)",
                "graph.delay": "\(delay)",
            ])
            try await clock.sleep(for: delay)
        }
    }

    /// `Retry-After` in seconds (Graph sends seconds; an HTTP date is read too).
    static func retryAfter(_ response: GraphResponse) -> Duration? {
        guard let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return .milliseconds(Int64(max(0, seconds) * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }

    /// A GET of `{graph}/{version}{path}`.
    public func request(_ path: String, version: String = "v1.0", query: GraphQuery = GraphQuery()) throws -> GraphRequest {
        guard let url = endpoints.url(path, version: version, query: query.items) else {
            throw GraphError.malformedResponse(request: "GET \(path)", reason: "not a valid URL")
        }
        var headers: [(String, String)] = [("Accept", "application/json")]
        if query.eventualConsistency { headers.append(("ConsistencyLevel", "eventual")) }
        return GraphRequest(url: url, headers: headers)
    }

    /// One object's JSON, exactly as Graph returned it.
    public func object(_ path: String, version: String = "v1.0", query: GraphQuery = GraphQuery()) async throws -> Data {
        try await send(request(path, version: version, query: query)).body
    }

    /// Every page of a list, following `@odata.nextLink`, merged into one `{"value": [...]}` document. Pages are
    /// merged by copying the bytes of their `value` arrays (a full parse only when a page is unusual).
    public func list(_ path: String, version: String = "v1.0", query: GraphQuery = GraphQuery(),
                     onPage: @Sendable (Int) -> Void = { _ in }) async throws -> Data {
        var next: GraphRequest? = try request(path, version: version, query: query)
        var merged = Data("{\"value\":[".utf8)
        var isFirst = true
        var pages = 0
        while let current = next {
            let response = try await send(current)
            let (items, count, link) = try Self.split(response.body, request: current)
            if count > 0 {
                if !isFirst { merged.append(UInt8(ascii: ",")) }
                merged.append(items)
                isFirst = false
            }
            pages += 1
            onPage(count)
            logger.debug("Graph page fetched", metadata: ["graph.path": "\(path)", "graph.page": "\(pages)"])
            next = nil
            if let link {
                guard let url = URL(string: link), Self.sameOrigin(url, endpoints.graph) else {
                    throw GraphError.malformedResponse(request: current.summary, reason: "@odata.nextLink leaves the Graph host")
                }
                next = GraphRequest(url: url, headers: current.headers)
            }
        }
        merged.append(contentsOf: Array("]}".utf8))
        return merged
    }

    /// A page's `value` items as JSON text (without brackets), how many, and its next link.
    static func split(_ body: Data, request: GraphRequest) throws -> (Data, Int, String?) {
        if let page = JSONListScanner.scan(body) {
            let base = body.startIndex
            return (body.subdata(in: (base + page.items.lowerBound)..<(base + page.items.upperBound)), page.count, page.nextLink)
        }
        guard JSONNesting.isWithin(body), let page = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let value = page["value"] as? [Any] else {
            throw GraphError.malformedResponse(request: request.summary, reason: "no \"value\" list")
        }
        let array = try JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])
        return (array.dropFirst().dropLast(), value.count, (page["@odata.nextLink"] ?? page["nextLink"]) as? String)
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && a.port == b.port
    }

    /// `body` over `items`, at most `concurrency` at once, results in the order of `items`.
    public func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async throws -> R)
        async throws -> [R] {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var nextIndex = 0
            while nextIndex < min(concurrency, items.count) {
                let index = nextIndex
                group.addTask { (index, try await body(items[index])) }
                nextIndex += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if nextIndex < items.count {
                    let index = nextIndex
                    group.addTask { (index, try await body(items[index])) }
                    nextIndex += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}

/// `$select`, `$filter`, `$top` and whether the request needs `ConsistencyLevel: eventual` (advanced queries).
public struct GraphQuery: Sendable, Hashable {
    public var select: [String]
    public var filter: String?
    public var top: Int?
    public var eventualConsistency: Bool
    /// ARM's `api-version`.
    public var apiVersion: String?

    public init(select: [String] = [], filter: String? = nil, top: Int? = nil, eventualConsistency: Bool = false,
                apiVersion: String? = nil) {
        self.apiVersion = apiVersion
        self.select = select
        self.filter = filter
        self.top = top
        self.eventualConsistency = eventualConsistency
    }

    var items: [URLQueryItem] {
        var items: [URLQueryItem] = []
        if !select.isEmpty { items.append(URLQueryItem(name: "$select", value: select.joined(separator: ","))) }
        if let filter { items.append(URLQueryItem(name: "$filter", value: filter)) }
        if let top { items.append(URLQueryItem(name: "$top", value: String(top))) }
        if eventualConsistency { items.append(URLQueryItem(name: "$count", value: "true")) }
        if let apiVersion { items.append(URLQueryItem(name: "api-version", value: apiVersion)) }
        return items
    }
}

import Foundation
import Graph
import Testing

@Suite("Graph client: retries, paging, errors, tokens")
struct GraphClientTests {
    @Test("429 and 503 honour Retry-After, then the request succeeds")
    func retryAfter() async throws {
        let transport = ScriptedTransport([
            json(429, #"{"error":{"code":"TooManyRequests"}}"#, headers: ["Retry-After": "7"]),
            json(503, "{}", headers: ["Retry-After": "2"]),
            json(200, #"{"value":[{"id":"1"}]}"#),
        ])
        let clock = RecordingClock()
        let data = try await GraphClient.testing(transport, clock: clock).list("/users")
        #expect(String(decoding: data, as: UTF8.self).contains("\"id\":\"1\""))
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps[0] > .milliseconds(6_900) && clock.sleeps[0] <= .seconds(7))
        #expect(clock.sleeps[1] > .milliseconds(1_900) && clock.sleeps[1] <= .seconds(2))
        #expect(transport.sent.allSatisfy { request in request.headers.contains { $0 == ("Authorization", "Bearer test-token") } })
    }

    @Test("Transient network errors back off exponentially with jitter")
    func backoff() async throws {
        let failure: @Sendable (GraphRequest) throws -> GraphResponse = { _ in throw TransportError(reason: "connection reset") }
        let transport = ScriptedTransport([failure, failure, failure, json(200, #"{"id":"org"}"#)])
        let clock = RecordingClock()
        let retry = RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(60))
        _ = try await GraphClient.testing(transport, clock: clock, retry: retry).object("/organization")
        #expect(clock.sleeps.count == 3)
        for (index, sleep) in clock.sleeps.enumerated() {
            let ceiling = Duration.seconds(1 << index)
            #expect(sleep <= ceiling && sleep >= ceiling / 2 - .milliseconds(50))
        }
    }

    @Test("The retry budget bounds the total wait")
    func budget() async throws {
        let throttled = json(429, "{}", headers: ["Retry-After": "30"])
        let transport = ScriptedTransport(Array(repeating: throttled, count: 10))
        let retry = RetryPolicy(maxAttempts: 10, budget: .seconds(60))
        await #expect(throws: GraphError.retriesExhausted(request: "GET /v1.0/groups", attempts: 3, last: "HTTP 429")) {
            _ = try await GraphClient.testing(transport, retry: retry).list("/groups")
        }
    }

    @Test("A 403 names Graph's code and the permission the app lacks")
    func forbidden() async throws {
        let transport = ScriptedTransport([
            json(403, #"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#),
        ])
        do {
            _ = try await GraphClient.testing(transport).list("/identity/conditionalAccess/policies")
            Issue.record("expected an error")
        } catch let error as GraphError {
            #expect(error.description == "GET /v1.0/identity/conditionalAccess/policies was refused (HTTP 403): "
                    + "Authorization_RequestDenied: Insufficient privileges to complete the operation.; "
                    + "the app needs the Policy.Read.All permission (admin consent)")
        }
    }

    @Test("Pages are followed through @odata.nextLink and merged; a link to another host is refused")
    func paging() async throws {
        let transport = ScriptedTransport([
            json(200, #"{"value":[{"id":"1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=a"}"#),
            json(200, #"{"value":[{"id":"2"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=b"}"#),
            json(200, #"{"value":[{"id":"3"}]}"#),
        ])
        let data = try await GraphClient.testing(transport).list("/users", query: GraphQuery(select: ["id"], top: 999))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["value"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["1", "2", "3"])
        #expect(transport.sent.map(\.url.query) == ["$select=id&$top=999", "$skiptoken=a", "$skiptoken=b"])

        let hostile = ScriptedTransport([json(200, #"{"value":[],"@odata.nextLink":"https://evil.example/v1.0/users"}"#)])
        await #expect(throws: GraphError.self) { _ = try await GraphClient.testing(hostile).list("/users") }
        #expect(hostile.sent.count == 1)
    }

    @Test("Advanced queries send ConsistencyLevel: eventual with $count")
    func eventual() async throws {
        let transport = ScriptedTransport([json(200, #"{"value":[]}"#)])
        _ = try await GraphClient.testing(transport).list("/users", query: GraphQuery(filter: "endsWith(mail,'@x')", eventualConsistency: true))
        let request = try #require(transport.sent.first)
        #expect(request.headers.contains { $0 == ("ConsistencyLevel", "eventual") })
        #expect(request.url.query?.contains("$count=true") == true)
    }

    @Test("Bounded concurrency keeps order and never exceeds the limit")
    func concurrency() async throws {
        let client = GraphClient.testing(ScriptedTransport([]))
        let gauge = Gauge()
        let results = try await client.concurrentMap(Array(0..<40)) { item in
            await gauge.enter()
            try await Task.sleep(for: .milliseconds(2))
            await gauge.leave()
            return item * 2
        }
        #expect(results == (0..<40).map { $0 * 2 })
        let peak = await gauge.peak
        #expect(peak <= 4 && peak >= 2)
    }

    @Test("Tokens are cached, refreshed before expiry, and never printed")
    func tokenCache() async throws {
        let counter = Counter()
        let provider = CountingProvider(counter: counter, lifetime: 3_600)
        let now = MutableNow()
        let cache = TokenCache(provider: provider, refreshMargin: 300, now: { now.value })
        let first = try await cache.token()
        _ = try await cache.token()
        #expect(await counter.value == 1)
        now.value = now.value.addingTimeInterval(3_400)
        let second = try await cache.token()
        #expect(await counter.value == 2)
        #expect(first.value != second.value)
        #expect("\(first)" == "<redacted token>")
    }
}

actor Gauge {
    var current = 0
    var peak = 0
    func enter() { current += 1; peak = max(peak, current) }
    func leave() { current -= 1 }
}

actor Counter {
    var value = 0
    func next() -> Int { value += 1; return value }
}

final class MutableNow: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_800_000_000)
    var value: Date {
        get { lock.withLock { date } }
        set { lock.withLock { date = newValue } }
    }
}

struct CountingProvider: TokenProvider {
    let counter: Counter
    let lifetime: TimeInterval
    func fetchToken() async throws -> AccessToken {
        let n = await counter.next()
        return AccessToken(value: "token-\(n)", expiresOn: Date(timeIntervalSince1970: 1_800_000_000 + lifetime * Double(n)))
    }
}

@Suite("Graph writes")
struct GraphWriteRetryTests {
    /// A POST whose answer is lost may have created the object: it is not sent again blindly.
    @Test func postIsNotRetriedWhenItsOutcomeIsUnknown() async throws {
        let transport = ScriptedTransport([json(503, "{}"), json(201, #"{"id":"x"}"#)])
        let client = GraphClient.testing(transport)
        await #expect(throws: GraphError.outcomeUnknown(request: "POST /v1.0/groups", reason: "HTTP 503")) {
            _ = try await client.write("POST", "/groups", body: Data("{}".utf8))
        }
        #expect(transport.sent.count == 1)
    }

    /// 429 says the request was not run: retried after Retry-After. PATCH is safe to repeat after a 503.
    @Test func throttledPostAndFailedPatchAreRetried() async throws {
        let transport = ScriptedTransport([json(429, "{}", headers: ["Retry-After": "2"]), json(201, #"{"id":"x"}"#),
                                           json(503, "{}"), json(204, "")])
        let clock = RecordingClock()
        let client = GraphClient.testing(transport, clock: clock)
        #expect(try await client.write("POST", "/groups", body: Data("{}".utf8)).status == 201)
        #expect(try await client.write("PATCH", "/users/x", body: Data("{}".utf8)).status == 204)
        #expect(transport.sent.map(\.method) == ["POST", "POST", "PATCH", "PATCH"])
        #expect(transport.sent.first?.headers.contains { $0.0 == "Content-Type" && $0.1 == "application/json" } == true)
        #expect(clock.sleeps.count == 2 && (clock.sleeps.first ?? .zero) > .milliseconds(1900))
    }
}

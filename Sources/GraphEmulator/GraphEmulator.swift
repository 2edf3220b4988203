import AccessPolicy
import EntraModel
import Foundation

/// One request as the emulator sees it, independent of the HTTP server.
public struct EmulatorRequest: Sendable {
    public var method: String
    /// The path without the query, e.g. `/v1.0/users`.
    public var path: String
    /// Decoded query items.
    public var query: [String: String]
    public var headers: [String: String]
    public var body: Data
    /// `http://127.0.0.1:PORT`: where next links point.
    public var baseURL: String

    public init(method: String, path: String, query: [String: String], headers: [String: String], body: Data,
                baseURL: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
        self.baseURL = baseURL
    }
}

public struct EmulatorResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// The fault injector's answer: close the connection without a response.
    public var dropsConnection = false

    static func json(_ status: Int, _ object: Any, headers: [String: String] = [:]) -> EmulatorResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data()
        return EmulatorResponse(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a },
                                body: body)
    }

    static func graphError(_ status: Int, _ code: String, _ message: String, headers: [String: String] = [:]) -> EmulatorResponse {
        json(status, ["error": ["code": code, "message": message]], headers: headers)
    }
}

/// Plays Microsoft Graph (v1.0 and beta) and the sign-in service from a snapshot folder.
public struct GraphEmulator: Sendable {
    let store: EmulatorStore
    let options: EmulatorOptions
    let state = EmulatorState()
    let writes: EmulatorWrites

    /// Answers Conditional Access What If from the local evaluator (nil when the folder does not read as a snapshot).
    let whatIf: Directory?
    /// When the timeline started.
    let started: Date

    public init(snapshot: URL, options: EmulatorOptions = EmulatorOptions()) throws {
        self.store = try EmulatorStore(folder: snapshot)
        self.options = options
        self.writes = EmulatorWrites(store: store, killAfterWrites: options.killAfterWrites)
        let tenant = try? SnapshotReader().read(snapshot)
        whatIf = tenant.map(Directory.init)
        self.started = options.now()
    }

    /// A list as it stands now: the snapshot's, with what the timeline has added or changed so far; `changed` says
    /// the file's encoded bytes no longer match it.
    func list(_ name: String) -> (items: [[String: Any]], changed: Bool)? {
        guard let timeline = options.timeline, timeline.touches(name) else { return store.lists[name].map { ($0, false) } }
        let elapsed = options.now().timeIntervalSince(started)
        return (timeline.apply(to: store.lists[name] ?? [], file: name, start: started, elapsed: elapsed), true)
    }

    public var tenantID: String { store.tenantID }

    /// After the fault injector killed the connection: serve again (the tenant keeps every write made).
    public func heal() async { await writes.heal() }

    /// Successful writes so far (Graph, ARM and Key Vault).
    public func writeCount() async -> Int { await writes.writes }

    static let dropped = EmulatorResponse(status: 500, headers: [:], body: Data(), dropsConnection: true)

    public func handle(_ request: EmulatorRequest) async -> EmulatorResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        if request.method == "POST", parts.count == 4, parts[1] == "oauth2", parts[2] == "v2.0" {
            let form = Self.form(request.body)
            switch parts[3] {
            case "token": return await token(form: form, audience: request.baseURL + request.path)
            case "devicecode": return await deviceCode(form: form, request: request)
            default: break
            }
        }
        let lowerPath = request.path.lowercased()
        let isARM = lowerPath.hasPrefix("/providers/") || lowerPath.hasPrefix("/subscriptions")
        let isKeyVault = lowerPath.hasPrefix("/secrets/")
        let isWrite = ["POST", "PATCH", "PUT", "DELETE"].contains(request.method)
        guard request.method == "GET" || isWrite, let version = parts.first,
              version == "v1.0" || version == "beta" || isARM || isKeyVault else {
            return .graphError(400, "BadRequest", "Unsupported request: \(request.method) \(request.path)")
        }
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer "),
              let grant = await state.grant(for: String(authorization.dropFirst(7))) else {
            return .graphError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.")
        }
        if await writes.isKilled { return Self.dropped }
        if request.method == "POST", lowerPath.hasSuffix(WhatIfAPI.path.lowercased()) {
            return evaluate(request)
        }
        if isKeyVault || isWrite {
            let answer: EmulatorResponse
            if isKeyVault {
                answer = await writes.keyVault(request.method, resource: request.path, request: request, grant: grant)
            } else if isARM {
                guard request.method == "PUT", lowerPath.contains("/providers/microsoft.resources/deployments/") else {
                    return .graphError(400, "BadRequest", "Unsupported request: \(request.method) \(request.path)")
                }
                answer = await writes.deploy(resource: request.path, request: request, grant: grant,
                                             subscriptionID: Self.subscriptionID)
            } else {
                answer = await writes.write(request.method, resource: "/" + parts.dropFirst().joined(separator: "/"),
                                            request: request, grant: grant)
            }
            if request.method != "GET", (200..<300).contains(answer.status), await writes.countWrite() {
                return Self.dropped
            }
            return answer
        }
        let number = await state.nextRequestNumber()
        if options.throttleEvery > 0, number % options.throttleEvery == 0 {
            return .graphError(429, "TooManyRequests", "Too many requests.",
                               headers: ["Retry-After": String(options.retryAfterSeconds)])
        }
        if options.failEvery > 0, number % options.failEvery == 0 {
            return .graphError(503, "ServiceUnavailable", "The service is temporarily unavailable.")
        }
        let resource = isARM ? request.path : "/" + parts.dropFirst().joined(separator: "/")
        if options.failingPaths.contains(where: { $0.caseInsensitiveCompare(resource) == .orderedSame }) {
            return .graphError(500, "InternalServerError", "The emulator was told to fail \(resource).")
        }
        return serve(resource: resource, request: request, overlays: await writes.overlays())
    }

    static func form(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let halves = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if halves.count == 2 { fields[halves[0]] = halves[1] } else if halves.count == 1 { fields[halves[0]] = "" }
        }
        return fields
    }
}

extension GraphEmulator {
    /// `POST /identity/conditionalAccess/evaluate`: the local evaluator's verdicts in Graph's `whatIfAnalysisResult`
    /// shape, with `policyApplies` flipped for the policies `EmulatorOptions.whatIfDisagreements` names (so tests
    /// can check that `whatif --compare-live` reports a disagreement, and only that one).
    func evaluate(_ request: EmulatorRequest) -> EmulatorResponse {
        // Graph evaluates at the time of the request, as the live tenant would.
        guard let directory = whatIf else {
            return .graphError(500, "InternalServerError", "The emulator's snapshot does not read as a tenant.")
        }
        let context: SignInContext
        do {
            context = try WhatIfAPI.context(fromRequest: request.body)
        } catch {
            return .graphError(400, "BadRequest", "\(error)")
        }
        let evaluator = Evaluator(directory: directory, now: Date())
        guard directory.user(context.userID) != nil else {
            return .graphError(404, "Request_ResourceNotFound", "User '\(context.userID)' does not exist.")
        }
        let policies = Dictionary(
            (store.lists[SnapshotFile.policies.rawValue] ?? []).compactMap { policy in
                (policy["id"] as? String).map { ($0.lowercased(), policy) }
            }, uniquingKeysWith: { a, _ in a })
        var items = WhatIfAPI.responseItems(evaluator.evaluate(context), policies: policies)
        let flipped = Set(options.whatIfDisagreements.map { $0.lowercased() })
        for index in items.indices where flipped.contains((items[index]["id"] as? String)?.lowercased() ?? "") {
            let applies = items[index]["policyApplies"] as? Bool ?? false
            items[index]["policyApplies"] = !applies
            items[index]["analysisReasons"] = applies ? "users" : "notSet"
        }
        return .json(200, ["@odata.context": "\(request.baseURL)/v1.0/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)",
                           "value": items])
    }
}

import Foundation

extension GraphClient {
    /// Conditional Access What If: `POST /identity/conditionalAccess/evaluate` with a body built by the caller
    /// (Learn, "conditionalAccessRoot: evaluate"; application permission Policy.Read.ConditionalAccess). It reads and
    /// changes nothing, so throttled or failed attempts are retried like a GET.
    public func evaluateConditionalAccess(_ body: Data, version: String = "v1.0") async throws -> Data {
        let path = "/identity/conditionalAccess/evaluate"
        guard let url = endpoints.url(path, version: version, query: []) else {
            throw GraphError.malformedResponse(request: "POST \(path)", reason: "not a valid URL")
        }
        let request = GraphRequest(method: "POST", url: url,
                                   headers: [("Accept", "application/json"), ("Content-Type", "application/json")],
                                   body: body)
        return try await send(request, idempotent: true).body
    }
}

import Foundation

extension GraphClient {
    /// A write (`POST`, `PATCH`, `PUT`, `DELETE`) of a JSON body to `{base}/{version}{path}`; an empty version is left
    /// out (ARM, Key Vault). POSTs are sent without blind retries (see `send(_:idempotent:)`); PATCH and PUT replace
    /// state and are safe to repeat. The body may hold a secret: it is never logged or put in an error.
    public func write(_ method: String, _ path: String, version: String = "v1.0", query: GraphQuery = GraphQuery(),
                      body: Data?) async throws -> GraphResponse {
        guard let url = endpoints.url(path, version: version, query: query.items) else {
            throw GraphError.malformedResponse(request: "\(method) \(path)", reason: "not a valid URL")
        }
        var headers: [(String, String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let request = GraphRequest(method: method, url: url, headers: headers, body: body)
        return try await send(request, idempotent: method != "POST")
    }
}

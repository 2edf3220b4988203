import Foundation
import SafeInput

/// The device code flow for a person: shows the code and URL, then polls the token endpoint through
/// `authorization_pending` and `slow_down` until sign-in, `expired_token` or `authorization_declined`.
public struct DeviceCodeProvider: TokenProvider {
    let endpoint: OAuthEndpoint
    let endpoints: GraphEndpoints
    let tenant: String
    let clientID: String
    let scopes: String
    let clock: any Clock<Duration>
    let prompt: @Sendable (String) -> Void

    /// `clientID` defaults to Microsoft Graph Command Line Tools' public client.
    public init(tenant: String, clientID: String = "14d82eec-204b-4c2f-b7e8-296a70dab67e",
                endpoints: GraphEndpoints, transport: any HTTPTransport, clock: any Clock<Duration> = ContinuousClock(),
                timeout: Duration = .seconds(30), now: @escaping @Sendable () -> Date = { Date() },
                permissions: [String] = GraphPermissions.readOnly,
                prompt: @escaping @Sendable (String) -> Void) {
        self.tenant = tenant
        self.clientID = clientID
        self.endpoints = endpoints
        self.clock = clock
        self.prompt = prompt
        let graph = GraphEndpoints.trimmed(endpoints.graph)
        self.scopes = permissions.map { "\(graph)/\($0)" }.joined(separator: " ") + " offline_access"
        self.endpoint = OAuthEndpoint(transport: transport, timeout: timeout, now: now)
    }

    /// Seconds between polls: the server's `interval`, kept within 1…60 so an answer cannot stall the run for days
    /// or make it poll in a tight loop.
    static let intervalRange = 1...60
    /// The longest a sign-in may take (Microsoft's device codes last 15 minutes).
    static let maximumLifetime: Double = 1800

    static func bounded(interval: Int) -> Int {
        min(max(interval, intervalRange.lowerBound), intervalRange.upperBound)
    }

    public func fetchToken() async throws -> AccessToken {
        let codeURL = endpoints.deviceCodeURL(tenant: tenant)
        let start = try await endpoint.post(codeURL, [("client_id", clientID), ("scope", scopes)])
        guard start.status == 200, let deviceCode = start.fields["device_code"], let userCode = start.fields["user_code"] else {
            throw GraphError.authentication(endpoint: codeURL.absoluteString, code: start.fields["error"] ?? "HTTP \(start.status)",
                                            message: start.fields["error_description"] ?? "")
        }
        let uri = start.fields["verification_uri"] ?? "https://microsoft.com/devicelogin"
        // The message goes to a terminal: no escape sequences from the server.
        prompt(TerminalText.escaped(start.fields["message"] ?? "To sign in, open \(uri) and enter the code \(userCode)."))
        var interval = Self.bounded(interval: Int(start.fields["interval"] ?? "") ?? 5)
        let lifetime = min(max(Double(start.fields["expires_in"] ?? "") ?? 900, 0), Self.maximumLifetime)
        let deadline = endpoint.now().addingTimeInterval(lifetime)
        let tokenURL = endpoints.tokenURL(tenant: tenant)
        while true {
            try await clock.sleep(for: .seconds(interval))
            let answer = try await endpoint.post(tokenURL, [
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", clientID),
                ("device_code", deviceCode),
            ])
            if answer.status == 200 { return try endpoint.token(from: answer, endpoint: tokenURL) }
            switch answer.fields["error"] {
            case "authorization_pending":
                if endpoint.now() > deadline { throw GraphError.deviceCodeExpired }
            case "slow_down":
                interval = Self.bounded(interval: interval + 5)
            case "expired_token", "code_expired":
                throw GraphError.deviceCodeExpired
            case "authorization_declined":
                throw GraphError.deviceCodeDeclined
            default:
                return try endpoint.token(from: answer, endpoint: tokenURL)
            }
        }
    }
}

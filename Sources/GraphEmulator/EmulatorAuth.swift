import _CryptoExtras
import Crypto
import Foundation

extension GraphEmulator {
    static func oauthError(_ status: Int, _ code: String, _ description: String) -> EmulatorResponse {
        .json(status, ["error": code, "error_description": description])
    }

    func issue(_ grant: EmulatorGrant) async -> EmulatorResponse {
        .json(200, ["token_type": "Bearer", "expires_in": 3599, "access_token": await state.issueToken(grant)])
    }

    /// `POST /{tenant}/oauth2/v2.0/token`: client credentials (secret or signed assertion) and device code.
    func token(form: [String: String], audience: String) async -> EmulatorResponse {
        switch form["grant_type"] {
        case "client_credentials":
            guard let clientID = form["client_id"], !clientID.isEmpty else {
                return Self.oauthError(400, "invalid_request", "AADSTS900144: The request body must contain 'client_id'.")
            }
            if let expected = options.clientID, expected != clientID {
                return Self.oauthError(400, "unauthorized_client",
                                       "AADSTS700016: Application with identifier '\(clientID)' was not found in the directory.")
            }
            if let assertion = form["client_assertion"] {
                if let problem = verify(assertion: assertion, clientID: clientID, audience: audience) {
                    return Self.oauthError(401, "invalid_client", problem)
                }
                return await issue(options.applicationGrant)
            }
            guard let secret = form["client_secret"], !secret.isEmpty else {
                return Self.oauthError(401, "invalid_client",
                                       "AADSTS7000215: The request body must contain 'client_assertion' or 'client_secret'.")
            }
            if options.certificate != nil, options.clientSecret == nil {
                return Self.oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
            }
            if let expected = options.clientSecret, expected != secret {
                return Self.oauthError(401, "invalid_client",
                                       "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
            }
            return await issue(options.applicationGrant)
        case "password":
            // Resource Owner Password Credentials: a person's own sign-in with the password (no permissions to write).
            guard let username = form["username"], let password = form["password"],
                  await writes.checkPassword(userPrincipalName: username, password: password) else {
                return Self.oauthError(400, "invalid_grant", "AADSTS50126: Error validating credentials due to invalid username or password.")
            }
            return await issue(EmulatorGrant(permissions: []))
        case "urn:ietf:params:oauth:grant-type:device_code":
            switch await state.poll(form["device_code"] ?? "", pendingPolls: options.deviceCodePendingPolls) {
            case .unknown: return Self.oauthError(400, "bad_verification_code", "AADSTS70000: The device code is not known.")
            case .expired: return Self.oauthError(400, "expired_token", "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
            case .pending: return Self.oauthError(400, "authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.")
            case .slowDown: return Self.oauthError(400, "slow_down", "Polling too fast.")
            case .signedIn:
                var grant = options.delegatedGrant
                grant.isDelegated = true
                return await issue(grant)
            }
        default:
            return Self.oauthError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
        }
    }

    /// `POST /{tenant}/oauth2/v2.0/devicecode`.
    func deviceCode(form: [String: String], request: EmulatorRequest) async -> EmulatorResponse {
        guard form["client_id"].map({ !$0.isEmpty }) == true else {
            return Self.oauthError(400, "invalid_request", "AADSTS900144: The request body must contain 'client_id'.")
        }
        let code = await state.startDeviceCode(lifetime: options.deviceCodeLifetime)
        let userCode = String(code.suffix(8)).uppercased()
        let uri = "\(request.baseURL)/devicelogin"
        return .json(200, [
            "device_code": code, "user_code": userCode, "verification_uri": uri,
            "expires_in": options.deviceCodeLifetime, "interval": 1,
            "message": "To sign in, use a web browser to open the page \(uri) and enter the code \(userCode) to authenticate.",
        ])
    }

    /// Checks a client assertion: RS256/PS256 signature by the registered certificate, its `x5t#S256`,
    /// `aud` the token URL, `iss` = `sub` = the client id, and `nbf`/`exp` around now (≤ 10 minutes apart).
    /// Returns the problem, or nil when it is valid.
    func verify(assertion: String, clientID: String, audience: String) -> String? {
        guard let certificate = options.certificate else {
            return "AADSTS700027: No certificate is registered for this application (start the emulator with --client-certificate)."
        }
        let segments = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard segments.count == 3, let headerData = Self.base64URL(segments[0]), let claimsData = Self.base64URL(segments[1]),
              let signatureData = Self.base64URL(segments[2]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any] else {
            return "AADSTS50027: The client assertion is not a valid JWT."
        }
        let padding: _RSA.Signing.Padding
        switch header["alg"] as? String {
        case "PS256": padding = .PSS
        case "RS256": padding = .insecurePKCS1v1_5
        default: return "AADSTS5002730: The client assertion must be signed with RS256 or PS256."
        }
        guard header["x5t#S256"] as? String == certificate.thumbprintSHA256 else {
            return "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application."
        }
        let input = Data("\(segments[0]).\(segments[1])".utf8)
        guard certificate.publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signatureData), for: input,
                                                     padding: padding) else {
            return "AADSTS7000274: The client assertion's signature is invalid."
        }
        guard claims["aud"] as? String == audience else {
            return "AADSTS700212: The client assertion's audience claim does not match the token endpoint \(audience)."
        }
        guard claims["iss"] as? String == clientID, claims["sub"] as? String == clientID else {
            return "AADSTS700021: The client assertion's iss and sub must be the client id."
        }
        let now = Date().timeIntervalSince1970
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue, let nbf = (claims["nbf"] as? NSNumber)?.doubleValue else {
            return "AADSTS700023: The client assertion needs nbf and exp claims."
        }
        guard exp > now - 300 else { return "AADSTS700024: The client assertion is expired." }
        guard nbf <= now + 300, exp - nbf <= 600 + 1 else {
            return "AADSTS700024: The client assertion is not within its valid time range."
        }
        guard claims["jti"] is String else { return "AADSTS700023: The client assertion needs a jti claim." }
        return nil
    }

    static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

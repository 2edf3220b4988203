import _CryptoExtras
import Crypto
import Foundation
import Graph

/// Checks the bearer token an Azure Monitor "secure webhook" sends (action group webhook with `useAadAuth`): an
/// Entra ID access token, RS256-signed by a key from the tenant's published keys (JWKS), for the configured
/// audience (the app registration's Application ID URI or id), issued by the configured tenant, and current.
public actor EntraTokenVerifier {
    public enum Failure: Error, Equatable, Sendable {
        case malformed
        case unsupportedAlgorithm(String)
        case unknownKey
        case badSignature
        case wrongAudience
        case wrongIssuer
        case expired
        case keysUnavailable(String)
    }

    let audiences: Set<String>
    let issuers: Set<String>
    let keysURL: URL
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    var keys: [String: _RSA.Signing.PublicKey] = [:]
    var fetchedAt: Date?

    /// `keysURL` defaults to `https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys`.
    public init(tenantID: String, audiences: [String], keysURL: URL? = nil, authority: String = "https://login.microsoftonline.com",
                transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        let tenant = tenantID.lowercased()
        self.audiences = Set(audiences)
        issuers = ["https://sts.windows.net/\(tenant)/", "\(authority)/\(tenant)/v2.0"]
        self.keysURL = keysURL ?? URL(string: "\(authority)/\(tenant)/discovery/v2.0/keys") ?? URL(fileURLWithPath: "/")
        self.transport = transport
        self.now = now
    }

    public func verify(_ token: String) async throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let claimsData = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any] else {
            throw Failure.malformed
        }
        guard header["alg"] as? String == "RS256" else { throw Failure.unsupportedAlgorithm(header["alg"] as? String ?? "none") }
        guard let kid = header["kid"] as? String else { throw Failure.unknownKey }
        guard let key = try await key(kid) else { throw Failure.unknownKey }
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature),
                                   for: Data("\(parts[0]).\(parts[1])".utf8), padding: .insecurePKCS1v1_5) else {
            throw Failure.badSignature
        }
        let audience: [String] = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String] ?? [])
        guard audience.contains(where: audiences.contains) else { throw Failure.wrongAudience }
        guard let issuer = claims["iss"] as? String, issuers.contains(issuer) else { throw Failure.wrongIssuer }
        let time = now().timeIntervalSince1970
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp > time - 300 else { throw Failure.expired }
        if let nbf = (claims["nbf"] as? NSNumber)?.doubleValue, nbf > time + 300 { throw Failure.expired }
    }

    /// The key with this id; the key set is fetched again (at most every five minutes) when the id is new.
    func key(_ kid: String) async throws -> _RSA.Signing.PublicKey? {
        if let key = keys[kid] { return key }
        if let fetchedAt, now().timeIntervalSince(fetchedAt) < 300 { return nil }
        try await refresh()
        return keys[kid]
    }

    func refresh() async throws {
        let response: GraphResponse
        do {
            response = try await transport.send(GraphRequest(url: keysURL, headers: [("Accept", "application/json")]),
                                                timeout: .seconds(15))
        } catch {
            throw Failure.keysUnavailable("\(keysURL.host ?? "?"): network error")
        }
        fetchedAt = now()
        guard response.status == 200, let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let list = object["keys"] as? [[String: Any]] else {
            throw Failure.keysUnavailable("\(keysURL.host ?? "?"): HTTP \(response.status)")
        }
        var fresh: [String: _RSA.Signing.PublicKey] = [:]
        for entry in list where entry["kty"] as? String == "RSA" {
            guard let kid = entry["kid"] as? String, let n = (entry["n"] as? String).flatMap(Base64URL.decode),
                  let e = (entry["e"] as? String).flatMap(Base64URL.decode),
                  let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { continue }
            fresh[kid] = key
        }
        keys = fresh
    }
}

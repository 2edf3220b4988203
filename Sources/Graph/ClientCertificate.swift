import _CryptoExtras
import Crypto
import Foundation
import SafeInput

/// A PEM holding a certificate and its RSA private key, as `AZURE_CLIENT_CERTIFICATE_PATH` names.
public struct ClientCertificate: Sendable {
    public enum Algorithm: String, Sendable { case rs256 = "RS256", ps256 = "PS256" }

    let key: _RSA.Signing.PrivateKey
    /// The certificate's DER bytes.
    public let certificateDER: Data

    public init(pem: String) throws {
        let blocks = PEMBlock.all(in: pem)
        guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }) else {
            throw GraphError.invalidCertificate("no CERTIFICATE block in the PEM")
        }
        guard let keyBlock = blocks.first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw GraphError.invalidCertificate("no PRIVATE KEY block in the PEM (it must hold the certificate and its key)")
        }
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: keyBlock.text)
        } catch {
            throw GraphError.invalidCertificate("the private key is not an RSA key of 2048 bits or more")
        }
        certificateDER = certificate.der
    }

    public init(contentsOf url: URL) throws {
        let text: String
        do throws(InputFileError) {
            text = try InputFile.readText(atPath: url.path, limit: InputFile.smallFileLimit)
        } catch {
            throw GraphError.invalidCertificate(error.description)
        }
        try self.init(pem: text)
    }

    /// `x5t#S256`: base64url of the SHA-256 of the certificate's DER.
    public var thumbprintSHA256: String {
        Base64URL.encode(Data(SHA256.hash(data: certificateDER)))
    }

    /// `x5t`: base64url of the SHA-1 of the certificate's DER. Microsoft documents it for RS256 assertions.
    public var thumbprintSHA1: String {
        Base64URL.encode(Data(Insecure.SHA1.hash(data: certificateDER)))
    }

    /// The JWT header: `x5t#S256` always; for RS256 also `x5t` (SHA-1), the header Microsoft documents for RS256
    /// (Learn, "Microsoft identity platform application authentication certificate credentials": PS256 with
    /// `x5t#S256`; the RS256 form with `x5t`).
    func header(algorithm: Algorithm) -> [String: String] {
        var header = ["alg": algorithm.rawValue, "typ": "JWT", "x5t#S256": thumbprintSHA256]
        if algorithm == .rs256 { header["x5t"] = thumbprintSHA1 }
        return header
    }

    /// A signed client assertion (certificate-credentials): `aud` the token URL, `iss` = `sub` the client id.
    public func assertion(clientID: String, audience: String, now: Date, algorithm: Algorithm = .ps256) throws -> String {
        let header = header(algorithm: algorithm)
        let issued = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "aud": audience, "iss": clientID, "sub": clientID, "jti": UUID().uuidString.lowercased(),
            "nbf": issued, "iat": issued, "exp": issued + 600,
        ]
        let headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claimsData = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let input = Base64URL.encode(headerData) + "." + Base64URL.encode(claimsData)
        let padding: _RSA.Signing.Padding = algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5
        let signature = try key.signature(for: Data(input.utf8), padding: padding)
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }
}

/// Client credentials with a certificate: a JWT client assertion instead of a secret.
public struct ClientCertificateProvider: TokenProvider {
    let endpoint: OAuthEndpoint
    let endpoints: GraphEndpoints
    let tenant: String
    let clientID: String
    let certificate: ClientCertificate
    let algorithm: ClientCertificate.Algorithm

    public init(tenant: String, clientID: String, certificate: ClientCertificate, algorithm: ClientCertificate.Algorithm = .ps256,
                endpoints: GraphEndpoints, transport: any HTTPTransport, timeout: Duration = .seconds(30),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.tenant = tenant
        self.clientID = clientID
        self.certificate = certificate
        self.algorithm = algorithm
        self.endpoints = endpoints
        self.endpoint = OAuthEndpoint(transport: transport, timeout: timeout, now: now)
    }

    public func fetchToken() async throws -> AccessToken {
        let url = endpoints.tokenURL(tenant: tenant)
        let assertion = try certificate.assertion(clientID: clientID, audience: url.absoluteString,
                                                  now: endpoint.now(), algorithm: algorithm)
        let answer = try await endpoint.post(url, [
            ("grant_type", "client_credentials"), ("client_id", clientID),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion), ("scope", endpoints.scope),
        ])
        return try endpoint.token(from: answer, endpoint: url)
    }
}

/// One `-----BEGIN X-----` block of a PEM file.
public struct PEMBlock: Sendable {
    public var label: String
    public var text: String
    public var der: Data

    public static func all(in pem: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [String] = []
        for raw in pem.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst("-----BEGIN ".count).dropLast(5))
                lines = []
            } else if line.hasPrefix("-----END "), let current = label {
                let body = lines.joined()
                if let der = Data(base64Encoded: body) {
                    let text = "-----BEGIN \(current)-----\n" + lines.joined(separator: "\n") + "\n-----END \(current)-----\n"
                    blocks.append(PEMBlock(label: current, text: text, der: der))
                }
                label = nil
            } else if label != nil {
                lines.append(line)
            }
        }
        return blocks
    }
}

/// base64url without padding (JWT).
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

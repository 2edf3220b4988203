import EntraModel
import Foundation

/// The credentials an emergency account can sign in with past mandatory MFA, grouped by what they fail with: all
/// FIDO2 keys of one model (AAGUID) go with a vendor recall, all certificates of one issuer with that CA (BG042);
/// each is allowed or not by one configuration of the authentication methods policy (BG043).
struct Credential: Sendable, Hashable {
    enum Source: Sendable, Hashable {
        /// FIDO2 keys of one model; nil when Graph gave no AAGUID.
        case fido2(aaGuid: String?)
        /// Certificate-based authentication with certificates of one issuer; nil when the binding names none.
        case certificate(issuer: String?)
        /// A credential bound to one device or one registration (Windows Hello, an authenticator app, a phone).
        case device(kind: String, id: String)
    }

    var source: Source
    var label: String
    /// The authentication methods policy configurations that allow it; nil when the policy does not govern it.
    var policyConfigurations: [String]?

    var isComparable: Bool {
        switch source {
        case .fido2(let guid): guid != nil
        case .certificate(let issuer): issuer != nil
        case .device: true
        }
    }
}

extension TenantContext {
    /// The credentials `user` relies on: phishing-resistant ones, or with `requirePhishingResistantMfa: false` any
    /// second factor. nil when the registered methods are unknown.
    func credentials(of user: User) -> [Credential]? {
        guard let methods = methods(of: user) else { return nil }
        let strongOnly = configuration.guidance.requirePhishingResistantMfa
        var credentials: [Credential] = []
        for method in methods {
            switch method.kind {
            case "fido2":
                let guid = method.aaGuid.map(Directory.normalized)
                let model = method.displayName.map { " (\($0))" } ?? ""
                credentials.append(Credential(source: .fido2(aaGuid: guid),
                                              label: "FIDO2 key\(model), AAGUID \(guid ?? "unknown")",
                                              policyConfigurations: method.policyConfigurationIDs))
            case "x509Certificate":
                break  // covered by the certificate bindings below, which name the issuer
            default:
                guard method.isPhishingResistant || (!strongOnly && method.satisfiesMFA) else { continue }
                credentials.append(Credential(source: .device(kind: method.kind, id: method.id ?? UUID().uuidString),
                                              label: "\(method.kind) \(method.displayName ?? method.id ?? "")",
                                              policyConfigurations: method.policyConfigurationIDs))
            }
        }
        var issuers: Set<String?> = []
        for binding in user.authorizationInfo?.certificateUserIds ?? [] { issuers.insert(Self.issuer(of: binding)) }
        let hasCertificateMethod = methods.contains { $0.kind == "x509Certificate" }
        if hasCertificateMethod && issuers.isEmpty { issuers.insert(nil) }
        for issuer in issuers {
            credentials.append(Credential(source: .certificate(issuer: issuer),
                                          label: "certificate issued by \(issuer ?? "an unknown issuer")",
                                          policyConfigurations: ["X509Certificate"]))
        }
        return credentials
    }

    /// The issuer in a certificate binding `X509:<I>issuer<S>subject` or `X509:<I>issuer<SR>serial` (Learn:
    /// "Certificate user IDs", entra/identity/authentication/concept-certificate-based-authentication-certificateuserids);
    /// nil for bindings that name no issuer (`<PN>`, `<RFC822>`, `<SKI>`, `<SHA1-PUKEY>`).
    static func issuer(of binding: String) -> String? {
        guard let start = binding.range(of: "<I>") else { return nil }
        let rest = binding[start.upperBound...]
        let end = rest.range(of: "<S>")?.lowerBound ?? rest.range(of: "<SR>")?.lowerBound
        guard let end else { return nil }
        let issuer = rest[..<end].trimmingCharacters(in: .whitespaces)
        return issuer.isEmpty ? nil : issuer.lowercased()
    }
}

import Foundation

/// `GET /users/{id}/authentication/methods` (one element). The kind comes from `@odata.type`.
public struct AuthenticationMethod: Decodable, Sendable, Hashable {
    public var id: String?
    /// `fido2`, `password`, `phone`, `microsoftAuthenticator`, … — the `@odata.type` without namespace and suffix;
    /// unknown kinds are kept as Graph wrote them.
    public var kind: String
    public var displayName: String?
    public var phoneType: String?

    public init(kind: String, id: String? = nil, displayName: String? = nil) {
        self.kind = kind
        self.id = id
        self.displayName = displayName
    }

    enum CodingKeys: String, CodingKey {
        case id, displayName, phoneType, model
        case odataType = "@odata.type"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
            ?? c.decodeIfPresent(String.self, forKey: .model)
        phoneType = try c.decodeIfPresent(String.self, forKey: .phoneType)
        var type = try c.decodeIfPresent(String.self, forKey: .odataType) ?? "unknown"
        if type.hasPrefix("#microsoft.graph.") { type.removeFirst("#microsoft.graph.".count) }
        if type.hasSuffix("AuthenticationMethod") { type.removeLast("AuthenticationMethod".count) }
        kind = type
    }

    /// FIDO2 security keys and passkeys, certificate-based authentication, Windows Hello for Business and platform
    /// credentials: methods bound to hardware that a phishing site cannot replay.
    public var isPhishingResistant: Bool {
        ["fido2", "x509Certificate", "windowsHelloForBusiness", "platformCredential"].contains(kind)
    }

    /// Methods tied to one person's phone or mailbox.
    public var isPersonal: Bool {
        ["phone", "email", "microsoftAuthenticator", "softwareOath"].contains(kind)
    }

    /// Methods that satisfy a plain MFA requirement as a second factor (or alone).
    public var satisfiesMFA: Bool {
        isPhishingResistant || ["phone", "microsoftAuthenticator", "softwareOath", "hardwareOath", "temporaryAccessPass"]
            .contains(kind)
    }

    /// The authentication-strength combinations this method makes available (with the password where needed).
    public var strengthCombinations: [String] {
        switch kind {
        case "fido2": ["fido2"]
        case "x509Certificate": ["x509CertificateMultiFactor"]
        case "windowsHelloForBusiness": ["windowsHelloForBusiness"]
        case "platformCredential": ["windowsHelloForBusiness"]
        case "microsoftAuthenticator": ["password,microsoftAuthenticatorPush", "deviceBasedPush"]
        case "softwareOath": ["password,softwareOath"]
        case "hardwareOath": ["password,hardwareOath"]
        case "phone": phoneType?.lowercased() == "mobile" || phoneType == nil
            ? ["password,sms", "password,voice", "sms"] : ["password,voice"]
        case "temporaryAccessPass": ["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"]
        case "email": []
        case "password": ["password"]
        default: []
        }
    }
}

/// `GET /policies/identitySecurityDefaultsEnforcementPolicy`.
public struct SecurityDefaults: Decodable, Sendable, Hashable {
    public var isEnabled: Bool

    public init(isEnabled: Bool) { self.isEnabled = isEnabled }
}

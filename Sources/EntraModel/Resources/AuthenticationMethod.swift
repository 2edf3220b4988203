import Foundation

/// `GET /users/{id}/authentication/methods` (one element). The kind comes from `@odata.type`.
public struct AuthenticationMethod: Decodable, Sendable, Hashable {
    public var id: String?
    /// `fido2`, `password`, `phone`, `microsoftAuthenticator`, … — the `@odata.type` without namespace and suffix;
    /// unknown kinds are kept as Graph wrote them.
    public var kind: String
    public var displayName: String?
    public var phoneType: String?
    /// FIDO2: the key model's Authenticator Attestation GUID, what `allowedAAGUIDs` restrictions match.
    public var aaGuid: String?
    /// Microsoft Authenticator: null when the device is not registered for passwordless phone sign-in (Learn,
    /// "microsoftAuthenticatorAuthenticationMethod resource type"); also set on other kinds.
    public var createdDateTime: Date?
    /// Temporary Access Pass (Learn, "temporaryAccessPassAuthenticationMethod resource type"): whether it was usable
    /// when captured and why not (`Expired`, `OneTimeUsed`, `NotYetValid`, `DisabledByPolicy`), and its window.
    public var isUsable: Bool?
    public var methodUsabilityReason: String?
    public var startDateTime: Date?
    public var lifetimeInMinutes: Int?
    /// Temporary Access Pass: one-time (`true`) or multi-use (`false`) — the `temporaryAccessPassOneTime` and
    /// `temporaryAccessPassMultiUse` modes a strength tells apart (Learn, "authenticationMethodModes").
    public var isUsableOnce: Bool?
    /// Set on the certificate-based authentication method derived from `authorizationInfo.certificateUserIds`.
    public var certificateBinding: CertificateBinding?

    /// Whether Entra counts a certificate sign-in as multifactor (the tenant's CBA authentication binding).
    public enum CertificateBinding: String, Sendable, Hashable {
        case multiFactor, singleFactor
        /// The binding is not in the snapshot: treated as single-factor, Entra's default.
        case unknown
    }

    /// Certificate-based authentication for a user with a bound certificate.
    public static func certificateBinding(_ binding: CertificateBinding) -> AuthenticationMethod {
        var method = AuthenticationMethod(kind: "x509Certificate", id: nil,
                                          displayName: "certificate (authorizationInfo.certificateUserIds)")
        method.certificateBinding = binding
        return method
    }

    public init(kind: String, id: String? = nil, displayName: String? = nil) {
        self.kind = kind
        self.id = id
        self.displayName = displayName
    }

    enum CodingKeys: String, CodingKey {
        case id, displayName, phoneType, model, aaGuid, createdDateTime, isUsable, methodUsabilityReason
        case startDateTime, lifetimeInMinutes, isUsableOnce
        case odataType = "@odata.type"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
            ?? c.decodeIfPresent(String.self, forKey: .model)
        phoneType = try c.decodeIfPresent(String.self, forKey: .phoneType)
        aaGuid = try c.decodeIfPresent(String.self, forKey: .aaGuid)
        createdDateTime = try c.decodeIfPresent(Date.self, forKey: .createdDateTime)
        isUsable = try c.decodeIfPresent(Bool.self, forKey: .isUsable)
        methodUsabilityReason = try c.decodeIfPresent(String.self, forKey: .methodUsabilityReason)
        startDateTime = try c.decodeIfPresent(Date.self, forKey: .startDateTime)
        lifetimeInMinutes = try c.decodeIfPresent(Int.self, forKey: .lifetimeInMinutes)
        isUsableOnce = try c.decodeIfPresent(Bool.self, forKey: .isUsableOnce)
        var type = try c.decodeIfPresent(String.self, forKey: .odataType) ?? "unknown"
        if type.hasPrefix("#microsoft.graph.") { type.removeFirst("#microsoft.graph.".count) }
        if type.hasSuffix("AuthenticationMethod") { type.removeLast("AuthenticationMethod".count) }
        kind = type
    }

    /// Whether the method can be used at `date`. Only a Temporary Access Pass expires: one that was expired, used up
    /// (`OneTimeUsed`) or disabled when captured, or whose window does not contain `date`, is not a method.
    public func isUsable(at date: Date) -> Bool {
        guard kind == "temporaryAccessPass" else { return true }
        if isUsable == false, methodUsabilityReason?.caseInsensitiveCompare("NotYetValid") != .orderedSame {
            return false
        }
        if let start = startDateTime {
            if date < start { return false }
            if let minutes = lifetimeInMinutes, date >= start.addingTimeInterval(TimeInterval(minutes) * 60) {
                return false
            }
        } else if isUsable == false {
            return false
        }
        return true
    }

    /// The combination a Temporary Access Pass of unknown kind (`isUsableOnce` absent) stands for.
    public static let temporaryAccessPassOfUnknownKind = "temporaryAccessPass"

    /// Works without a phone: FIDO2 keys and passkeys, Windows Hello, platform credentials, certificates, hardware
    /// OATH tokens, a Temporary Access Pass and the password (spec/evaluation.md, `phone-mfa-outage`).
    public var isPhoneIndependent: Bool {
        ["fido2", "x509Certificate", "windowsHelloForBusiness", "platformCredential", "hardwareOath",
         "temporaryAccessPass", "password"].contains(kind)
    }

    /// Microsoft Authenticator registered for passwordless phone sign-in (`createdDateTime` set).
    public var isPhoneSignIn: Bool { kind == "microsoftAuthenticator" && createdDateTime != nil }

    /// FIDO2 security keys and passkeys, certificate-based authentication, Windows Hello for Business and platform
    /// credentials: methods bound to hardware that a phishing site cannot replay.
    public var isPhishingResistant: Bool {
        if kind == "x509Certificate", let binding = certificateBinding { return binding == .multiFactor }
        return ["fido2", "x509Certificate", "windowsHelloForBusiness", "platformCredential"].contains(kind)
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
        case "x509Certificate": certificateBinding.map { $0 == .multiFactor } ?? true
            ? ["x509CertificateMultiFactor"] : ["x509CertificateSingleFactor"]
        case "windowsHelloForBusiness": ["windowsHelloForBusiness"]
        case "platformCredential": ["windowsHelloForBusiness"]
        case "microsoftAuthenticator": isPhoneSignIn
            ? ["password,microsoftAuthenticatorPush", "deviceBasedPush"] : ["password,microsoftAuthenticatorPush"]
        case "softwareOath": ["password,softwareOath"]
        case "hardwareOath": ["password,hardwareOath"]
        case "phone": phoneType?.lowercased() == "mobile" || phoneType == nil
            ? ["password,sms", "password,voice", "sms"] : ["password,voice"]
        // A pass is one kind or the other (Learn, "temporaryAccessPassAuthenticationMethod": isUsableOnce); of a pass
        // whose kind is not in the snapshot only a strength allowing both kinds is sure (`temporaryAccessPass`,
        // `StrengthRequirement.satisfaction`).
        case "temporaryAccessPass": switch isUsableOnce {
            case true?: ["temporaryAccessPassOneTime"]
            case false?: ["temporaryAccessPassMultiUse"]
            case nil: [Self.temporaryAccessPassOfUnknownKind]
            }
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

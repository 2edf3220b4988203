import Foundation

/// `GET /policies/authenticationStrengthPolicies`, also embedded in a policy's `grantControls.authenticationStrength`.
public struct AuthenticationStrengthPolicy: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    /// `builtIn` or `custom`.
    public var policyType: String?
    /// Each combination is comma-joined method names: `password,microsoftAuthenticatorPush`, `fido2`.
    public var allowedCombinations: [String]

    public init(id: String, displayName: String?, policyType: String? = "custom", allowedCombinations: [String]) {
        self.id = id
        self.displayName = displayName
        self.policyType = policyType
        self.allowedCombinations = allowedCombinations
    }

    enum CodingKeys: String, CodingKey { case id, displayName, policyType, allowedCombinations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        policyType = try c.decodeIfPresent(String.self, forKey: .policyType)
        allowedCombinations = try c.lenientList(String.self, forKey: .allowedCombinations)
    }

    public static let multifactorID = "00000000-0000-0000-0000-000000000002"
    public static let passwordlessID = "00000000-0000-0000-0000-000000000003"
    public static let phishingResistantID = "00000000-0000-0000-0000-000000000004"

    /// The built-in strengths (Learn, "Authentication strengths"), used when the tenant file is absent.
    public static let builtIn: [AuthenticationStrengthPolicy] = {
        let phishingResistant = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"]
        let passwordless = phishingResistant + ["deviceBasedPush"]
        let secondFactors = ["microsoftAuthenticatorPush", "softwareOath", "hardwareOath", "sms", "voice"]
        let multifactor = passwordless + ["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"]
            + (secondFactors + ["x509CertificateSingleFactor", "x509CertificateMultiFactor"]).map { "password,\($0)" }
            + ["federatedMultiFactor"] + secondFactors.map { "\($0),federatedSingleFactor" }
        return [
            .init(id: multifactorID, displayName: "Multifactor authentication", policyType: "builtIn",
                  allowedCombinations: multifactor),
            .init(id: passwordlessID, displayName: "Passwordless MFA", policyType: "builtIn",
                  allowedCombinations: passwordless),
            .init(id: phishingResistantID, displayName: "Phishing-resistant MFA", policyType: "builtIn",
                  allowedCombinations: phishingResistant),
        ]
    }()
}

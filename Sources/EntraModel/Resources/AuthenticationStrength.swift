import Foundation

/// `GET /policies/authenticationStrengthPolicies`, also embedded in a policy's `grantControls.authenticationStrength`.
public struct AuthenticationStrengthPolicy: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    /// `builtIn` or `custom`.
    public var policyType: String?
    /// Each combination is comma-joined method names: `password,microsoftAuthenticatorPush`, `fido2`.
    public var allowedCombinations: [String]
    /// Restrictions on methods within combinations: `fido2CombinationConfiguration` lists the FIDO2 key models
    /// (`allowedAAGUIDs`) that may satisfy `fido2` (Learn, "fido2CombinationConfiguration resource type"). A
    /// relationship: the capture lists it per custom strength and stores it here, as `$expand` would.
    public var combinationConfigurations: [CombinationConfiguration]

    public init(id: String, displayName: String?, policyType: String? = "custom", allowedCombinations: [String],
                combinationConfigurations: [CombinationConfiguration] = []) {
        self.id = id
        self.displayName = displayName
        self.policyType = policyType
        self.allowedCombinations = allowedCombinations
        self.combinationConfigurations = combinationConfigurations
    }

    enum CodingKeys: String, CodingKey { case id, displayName, policyType, allowedCombinations, combinationConfigurations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        policyType = try c.decodeIfPresent(String.self, forKey: .policyType)
        allowedCombinations = try c.lenientList(String.self, forKey: .allowedCombinations)
        combinationConfigurations = try c.lenientList(CombinationConfiguration.self, forKey: .combinationConfigurations)
    }

    /// One `authenticationCombinationConfiguration`; `@odata.type` tells the kind (`fido2CombinationConfiguration`,
    /// `x509CertificateCombinationConfiguration`).
    public struct CombinationConfiguration: Decodable, Sendable, Hashable {
        public var kind: String
        public var appliesToCombinations: [String]
        public var allowedAAGUIDs: [String]

        public init(kind: String, appliesToCombinations: [String], allowedAAGUIDs: [String] = []) {
            self.kind = kind
            self.appliesToCombinations = appliesToCombinations
            self.allowedAAGUIDs = allowedAAGUIDs
        }

        enum CodingKeys: String, CodingKey {
            case appliesToCombinations, allowedAAGUIDs
            case odataType = "@odata.type"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            var type = try c.decodeIfPresent(String.self, forKey: .odataType) ?? "unknown"
            if type.hasPrefix("#microsoft.graph.") { type.removeFirst("#microsoft.graph.".count) }
            kind = type
            appliesToCombinations = try c.lenientList(String.self, forKey: .appliesToCombinations)
                .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            allowedAAGUIDs = try c.lenientList(String.self, forKey: .allowedAAGUIDs)
        }

        public var isFIDO2KeyRestriction: Bool {
            kind.caseInsensitiveCompare("fido2CombinationConfiguration") == .orderedSame
        }
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

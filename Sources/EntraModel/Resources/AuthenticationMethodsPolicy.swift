import Foundation

/// `GET /policies/authenticationMethodsPolicy` (Learn: graph/api/authenticationmethodspolicy-get;
/// Policy.Read.AuthenticationMethod). Graph expands `authenticationMethodConfigurations` on this request by itself.
public struct AuthenticationMethodsPolicy: Decodable, Sendable, Hashable {
    public var id: String?
    public var authenticationMethodConfigurations: [AuthenticationMethodConfiguration]

    public init(configurations: [AuthenticationMethodConfiguration]) {
        id = "authenticationMethodsPolicy"
        authenticationMethodConfigurations = configurations
    }

    enum CodingKeys: String, CodingKey { case id, authenticationMethodConfigurations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        authenticationMethodConfigurations = try c.lenientList(AuthenticationMethodConfiguration.self,
                                                               forKey: .authenticationMethodConfigurations)
    }

    /// The configuration that governs a registered method's kind, by Graph's configuration id (`Fido2`, `Sms`, …),
    /// case-insensitively.
    public func configuration(_ id: String) -> AuthenticationMethodConfiguration? {
        authenticationMethodConfigurations.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }
}

/// One method's settings: enabled or not, and for whom (Learn: graph/api/resources/authenticationmethodconfiguration).
public struct AuthenticationMethodConfiguration: Decodable, Sendable, Hashable {
    /// `Fido2`, `MicrosoftAuthenticator`, `Sms`, `Voice`, `Email`, `SoftwareOath`, `HardwareOath`,
    /// `TemporaryAccessPass`, `X509Certificate`; unknown ids are kept.
    public var id: String
    /// `enabled` or `disabled` (unknown values count as not enabled).
    public var state: String?
    public var includeTargets: [Target]
    public var excludeTargets: [Target]

    public init(id: String, state: String?, includeTargets: [Target] = [.allUsers], excludeTargets: [Target] = []) {
        self.id = id
        self.state = state
        self.includeTargets = includeTargets
        self.excludeTargets = excludeTargets
    }

    enum CodingKeys: String, CodingKey { case id, state, includeTargets, excludeTargets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        state = try c.decodeIfPresent(String.self, forKey: .state)
        includeTargets = try c.lenientList(Target.self, forKey: .includeTargets)
        excludeTargets = try c.lenientList(Target.self, forKey: .excludeTargets)
    }

    public var isEnabled: Bool { state?.caseInsensitiveCompare("enabled") == .orderedSame }

    /// A group (or `all_users`) the configuration includes or excludes.
    public struct Target: Codable, Sendable, Hashable {
        /// A group id, or `all_users`.
        public var id: String
        /// `group` (the only kind for these policies); unknown values are kept.
        public var targetType: String?

        public init(id: String, targetType: String? = "group") {
            self.id = id
            self.targetType = targetType
        }

        public static let allUsers = Target(id: "all_users")

        public var isAllUsers: Bool { id.caseInsensitiveCompare("all_users") == .orderedSame }
    }
}

extension AuthenticationMethod {
    /// The authentication methods policy configuration that allows this kind of method, or nil for kinds the policy
    /// does not govern (the password, Windows Hello for Business, platform credentials).
    public var policyConfigurationIDs: [String]? {
        switch kind {
        case "fido2": ["Fido2"]
        case "x509Certificate": ["X509Certificate"]
        case "microsoftAuthenticator": ["MicrosoftAuthenticator"]
        case "phone": ["Sms", "Voice"]
        case "email": ["Email"]
        case "softwareOath": ["SoftwareOath"]
        case "hardwareOath": ["HardwareOath"]
        case "temporaryAccessPass": ["TemporaryAccessPass"]
        default: nil
        }
    }
}

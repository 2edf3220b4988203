import Foundation

/// `GET /organization`.
public struct Organization: Codable, Sendable, Hashable {
    public var id: String
    public var displayName: String?
    public var verifiedDomains: [VerifiedDomain]?
    public var onPremisesSyncEnabled: Bool?
    /// ISO 3166 alpha-2 code of the organization's country: where a failure scenario signs in from when the tenant
    /// names no trusted network (spec/evaluation.md, "Failure scenarios").
    public var countryLetterCode: String?

    public struct VerifiedDomain: Codable, Sendable, Hashable {
        public var name: String
        public var isInitial: Bool?
        public var isDefault: Bool?
        public var type: String?
    }

    public var initialDomain: String? { verifiedDomains?.first { $0.isInitial == true }?.name.lowercased() }
}

/// `GET /domains`.
public struct Domain: Codable, Sendable, Hashable, Identifiable {
    /// The domain name.
    public var id: String
    public var authenticationType: String?
    public var isInitial: Bool?
    public var isDefault: Bool?
    public var isVerified: Bool?
    /// Graph says 2147483647 for "never expires".
    public var passwordValidityPeriodInDays: Int?

    public init(id: String, authenticationType: String? = "Managed", isInitial: Bool? = false) {
        self.id = id
        self.authenticationType = authenticationType
        self.isInitial = isInitial
    }

    public var isFederated: Bool { authenticationType?.caseInsensitiveCompare("Federated") == .orderedSame }

    public var passwordsNeverExpire: Bool {
        guard let days = passwordValidityPeriodInDays else { return false }
        return days >= 2_147_483_647 || days <= 0
    }
}

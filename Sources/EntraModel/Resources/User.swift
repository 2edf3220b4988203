import Foundation

/// `GET /users` with the snapshot's `$select`. Every property is optional because Graph omits what it
/// was not asked for or cannot show (for example `signInActivity` without Entra ID P1).
public struct User: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    public var userPrincipalName: String?
    public var mail: String?
    public var userType: String?
    public var accountEnabled: Bool?
    public var onPremisesSyncEnabled: Bool?
    public var onPremisesImmutableId: String?
    public var passwordPolicies: String?
    public var lastPasswordChangeDateTime: Date?
    public var createdDateTime: Date?
    public var signInActivity: SignInActivity?
    public var assignedLicenses: [AssignedLicense]?
    public var externalUserState: String?
    public var creationType: String?
    /// Certificate-based authentication binds a certificate to the user through these identifiers; CBA is not a
    /// registered method in `/authentication/methods` (Learn, "authorizationInfo resource type").
    public var authorizationInfo: AuthorizationInfo?

    public struct AuthorizationInfo: Codable, Sendable, Hashable {
        public var certificateUserIds: [String]?

        public init(certificateUserIds: [String]?) { self.certificateUserIds = certificateUserIds }
    }

    public struct SignInActivity: Codable, Sendable, Hashable {
        public var lastSignInDateTime: Date?
        public var lastNonInteractiveSignInDateTime: Date?
        public var lastSuccessfulSignInDateTime: Date?

        public init(lastSignInDateTime: Date? = nil, lastNonInteractiveSignInDateTime: Date? = nil,
                    lastSuccessfulSignInDateTime: Date? = nil) {
            self.lastSignInDateTime = lastSignInDateTime
            self.lastNonInteractiveSignInDateTime = lastNonInteractiveSignInDateTime
            self.lastSuccessfulSignInDateTime = lastSuccessfulSignInDateTime
        }
    }

    public struct AssignedLicense: Codable, Sendable, Hashable {
        public var skuId: String?
        public var disabledPlans: [String]?
    }

    public init(id: String, displayName: String? = nil, userPrincipalName: String? = nil, userType: String? = "Member",
                accountEnabled: Bool? = true) {
        self.id = id
        self.displayName = displayName
        self.userPrincipalName = userPrincipalName
        self.userType = userType
        self.accountEnabled = accountEnabled
    }

    /// The UPN, or the id when Graph gave none: what a person reads in a message.
    public var name: String { userPrincipalName ?? displayName ?? id }

    public var isGuest: Bool { userType?.caseInsensitiveCompare("Guest") == .orderedSame }

    /// Synchronized from on-premises AD (now or in the past, which leaves an immutable id).
    public var isSynchronized: Bool {
        onPremisesSyncEnabled == true || !(onPremisesImmutableId ?? "").isEmpty
    }

    /// The user can present a certificate bound to the account (`authorizationInfo.certificateUserIds`).
    public var hasCertificateBinding: Bool { !(authorizationInfo?.certificateUserIds ?? []).isEmpty }

    public var upnDomain: String? {
        guard let upn = userPrincipalName, let at = upn.lastIndex(of: "@") else { return nil }
        return String(upn[upn.index(after: at)...]).lowercased()
    }

    public var passwordNeverExpiresByPolicy: Bool {
        (passwordPolicies ?? "").split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("DisablePasswordExpiration") == .orderedSame
        }
    }
}

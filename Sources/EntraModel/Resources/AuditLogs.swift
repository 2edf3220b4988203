import Foundation

/// `GET /auditLogs/signIns` (one element, the fields the checks read).
public struct SignIn: Decodable, Sendable, Hashable {
    public var id: String?
    public var createdDateTime: Date
    public var userId: String?
    public var userPrincipalName: String?
    public var appId: String?
    public var appDisplayName: String?
    public var ipAddress: String?
    public var clientAppUsed: String?
    public var conditionalAccessStatus: String?
    public var isInteractive: Bool?
    public var status: Status?
    public var location: Location?

    public struct Status: Decodable, Sendable, Hashable {
        public var errorCode: Int?
        public var failureReason: String?
    }

    public struct Location: Decodable, Sendable, Hashable {
        public var city: String?
        public var countryOrRegion: String?
    }

    public init(createdDateTime: Date, userId: String?, errorCode: Int = 0) {
        self.createdDateTime = createdDateTime
        self.userId = userId
        status = Status(errorCode: errorCode, failureReason: nil)
    }

    /// Graph's `status.errorCode` 0 means success.
    public var succeeded: Bool { (status?.errorCode ?? 0) == 0 }
}

/// `GET /auditLogs/directoryAudits` (one element).
public struct DirectoryAudit: Decodable, Sendable, Hashable {
    public var id: String?
    public var category: String?
    public var activityDisplayName: String?
    public var activityDateTime: Date
    public var result: String?
    public var initiatedBy: InitiatedBy?
    public var targetResources: [TargetResource]?

    public struct InitiatedBy: Decodable, Sendable, Hashable {
        public var user: Actor?
        public var app: AppIdentity?
    }

    /// v1.0 `userIdentity` (the fields read here).
    public struct Actor: Decodable, Sendable, Hashable {
        public var id: String?
        public var userPrincipalName: String?
        public var displayName: String?
        public var ipAddress: String?
    }

    /// v1.0 `appIdentity`: an application that made the change (Learn, "appIdentity resource type").
    public struct AppIdentity: Decodable, Sendable, Hashable {
        public var appId: String?
        public var displayName: String?
        public var servicePrincipalId: String?
        public var servicePrincipalName: String?
    }

    public struct TargetResource: Decodable, Sendable, Hashable {
        public var id: String?
        public var type: String?
        public var displayName: String?
        public var userPrincipalName: String?
    }
}

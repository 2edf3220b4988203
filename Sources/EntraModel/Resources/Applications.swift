import Foundation

/// `GET /servicePrincipals?$select=id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId`
/// (Learn: "List servicePrincipals", graph/api/serviceprincipal-list; Application.Read.All). The Microsoft Graph
/// service principal is read on its own with `appRoles` (graph-service-principal.json), which maps the app
/// permissions granted to the others to their names.
public struct ServicePrincipal: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var appId: String?
    public var displayName: String?
    /// `Application`, `ManagedIdentity`, `Legacy`, `SocialIdp`; unknown values are kept.
    public var servicePrincipalType: String?
    public var accountEnabled: Bool?
    /// The tenant the application is registered in: this tenant for its own apps, Microsoft's for first-party ones.
    public var appOwnerOrganizationId: String?
    /// Only in graph-service-principal.json: the app roles (application permissions) Microsoft Graph defines.
    public var appRoles: [AppRole]

    public init(id: String, appId: String? = nil, displayName: String? = nil, appRoles: [AppRole] = []) {
        self.id = id
        self.appId = appId
        self.displayName = displayName
        self.appRoles = appRoles
    }

    enum CodingKeys: String, CodingKey {
        case id, appId, displayName, servicePrincipalType, accountEnabled, appOwnerOrganizationId, appRoles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        appId = try c.decodeIfPresent(String.self, forKey: .appId)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        servicePrincipalType = try c.decodeIfPresent(String.self, forKey: .servicePrincipalType)
        accountEnabled = try c.decodeIfPresent(Bool.self, forKey: .accountEnabled)
        appOwnerOrganizationId = try c.decodeIfPresent(String.self, forKey: .appOwnerOrganizationId)
        appRoles = try c.lenientList(AppRole.self, forKey: .appRoles)
    }

    public var name: String { displayName ?? appId ?? id }

    /// A managed identity has no credentials anyone can add; every other kind can be given a secret or certificate.
    public var isManagedIdentity: Bool {
        servicePrincipalType?.caseInsensitiveCompare("ManagedIdentity") == .orderedSame
    }
}

/// One app role a resource defines; for Microsoft Graph these are its application permissions
/// (`value` = `RoleManagement.ReadWrite.Directory`).
public struct AppRole: Codable, Sendable, Hashable {
    public var id: String
    public var value: String?
    public var displayName: String?

    public init(id: String, value: String?, displayName: String? = nil) {
        self.id = id
        self.value = value
        self.displayName = displayName
    }
}

/// `GET /servicePrincipals/{graph-id}/appRoleAssignedTo`: every app role of Microsoft Graph granted to a service
/// principal (Learn: "List appRoleAssignments granted for a service principal",
/// graph/api/serviceprincipal-list-approleassignedto; Application.Read.All).
public struct AppRoleAssignment: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var appRoleId: String
    /// The service principal (or user or group) granted the role.
    public var principalId: String
    /// `ServicePrincipal`, `User` or `Group`.
    public var principalType: String?
    public var principalDisplayName: String?
    public var resourceId: String?
    public var resourceDisplayName: String?

    public init(id: String, appRoleId: String, principalId: String, principalType: String? = "ServicePrincipal",
                principalDisplayName: String? = nil, resourceId: String? = nil) {
        self.id = id
        self.appRoleId = appRoleId
        self.principalId = principalId
        self.principalType = principalType
        self.principalDisplayName = principalDisplayName
        self.resourceId = resourceId
    }
}

/// `GET /applications?$select=id,appId,displayName` (Learn: graph/api/application-list; Application.Read.All).
/// Whoever controls an application registration can add a credential to it and sign in as its service principal.
public struct Application: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var appId: String?
    public var displayName: String?

    public init(id: String, appId: String?, displayName: String? = nil) {
        self.id = id
        self.appId = appId
        self.displayName = displayName
    }

    public var name: String { displayName ?? appId ?? id }
}

public enum WellKnownApplication {
    /// Microsoft Graph's application id (graph.md §4).
    public static let microsoftGraph = "00000003-0000-0000-c000-000000000000"
}

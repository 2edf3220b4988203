import Foundation

/// `GET /roleManagement/directory/roleDefinitions`.
public struct RoleDefinition: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    public var templateId: String?
    public var isBuiltIn: Bool?
    public var isPrivileged: Bool?

    public init(id: String, displayName: String?, templateId: String? = nil) {
        self.id = id
        self.displayName = displayName
        self.templateId = templateId ?? id
    }

    /// Conditional Access and the well-known ids use the template id; for built-in roles it equals `id`.
    public var template: String { (templateId ?? id).lowercased() }
}

/// `GET /roleManagement/directory/roleAssignments`.
public struct RoleAssignment: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var principalId: String
    public var roleDefinitionId: String
    public var directoryScopeId: String?
}

/// `GET /roleManagement/directory/roleAssignmentScheduleInstances`: active assignments, permanent, time-bound or
/// activated through PIM.
public struct RoleAssignmentScheduleInstance: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var principalId: String
    public var roleDefinitionId: String
    public var directoryScopeId: String?
    /// `Assigned` or `Activated`.
    public var assignmentType: String?
    /// `Direct`, `Group` or `Inherited`.
    public var memberType: String?
    public var startDateTime: Date?
    /// nil = permanent.
    public var endDateTime: Date?
    public var roleAssignmentOriginId: String?

    public var isActivated: Bool { assignmentType?.caseInsensitiveCompare("Activated") == .orderedSame }
}

/// `GET /roleManagement/directory/roleEligibilitySchedules`.
public struct RoleEligibilitySchedule: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var principalId: String
    public var roleDefinitionId: String
    public var directoryScopeId: String?
    public var memberType: String?
    public var status: String?
    public var scheduleInfo: ScheduleInfo?

    public struct ScheduleInfo: Codable, Sendable, Hashable {
        public var startDateTime: Date?
        public var expiration: Expiration?
    }

    public struct Expiration: Codable, Sendable, Hashable {
        public var type: String?
        public var endDateTime: Date?
    }
}

public enum WellKnownRole {
    public static let globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
    public static let privilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814"
    public static let privilegedAuthenticationAdministrator = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"

    /// The administrator roles security defaults require MFA of on every sign-in (Learn, "Security defaults in
    /// Microsoft Entra ID", Require administrators to do multifactor authentication: the Conditional Access admin
    /// roles include plus Authentication Policy and Identity Governance Administrator), by template id.
    public static let securityDefaultsAdministrators: [String: String] = [
        "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
        "0526716b-113d-4c15-b2c8-68e3c22b9f80": "Authentication Policy Administrator",
        "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
        "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
        "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
        "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
        "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e": "Identity Governance Administrator",
        "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
        "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
        "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
        "69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
        "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    ]
}

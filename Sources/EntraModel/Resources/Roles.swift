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
}

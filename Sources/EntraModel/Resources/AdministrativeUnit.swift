import Foundation

/// `GET /directory/administrativeUnits?$select=id,displayName,isMemberManagementRestricted,membershipType`
/// (Learn: graph/api/directory-list-administrativeunits; AdministrativeUnit.Read.All). Graph leaves
/// `isMemberManagementRestricted` null when it was never set, which means not restricted
/// (Learn: graph/api/resources/administrativeunit).
public struct AdministrativeUnit: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    public var isMemberManagementRestricted: Bool?
    /// `assigned` or `dynamic`; null means assigned.
    public var membershipType: String?

    public init(id: String, displayName: String? = nil, isMemberManagementRestricted: Bool? = nil) {
        self.id = id
        self.displayName = displayName
        self.isMemberManagementRestricted = isMemberManagementRestricted
    }

    public var name: String { displayName ?? id }

    /// Only administrators assigned at this unit's scope can change its members (Learn: "Restricted management
    /// administrative units in Microsoft Entra ID").
    public var isRestricted: Bool { isMemberManagementRestricted == true }
}

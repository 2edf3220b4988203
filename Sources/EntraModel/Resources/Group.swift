import Foundation

/// `GET /groups` with the snapshot's `$select`.
public struct Group: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    public var groupTypes: [String]?
    public var membershipRule: String?
    public var membershipRuleProcessingState: String?
    public var isAssignableToRole: Bool?
    /// Whether `isAssignableToRole` was in the file at all. Graph returns `"isAssignableToRole": null` for groups not
    /// created role-assignable (seen in real PowerShell exports): present and null means not role-assignable; absent
    /// (not selected) means unknown.
    public var isAssignableToRoleKnown: Bool
    public var securityEnabled: Bool?
    public var onPremisesSyncEnabled: Bool?

    public init(id: String, displayName: String? = nil) {
        self.id = id
        self.displayName = displayName
        isAssignableToRoleKnown = false
    }

    enum CodingKeys: String, CodingKey {
        case id, displayName, groupTypes, membershipRule, membershipRuleProcessingState, isAssignableToRole
        case securityEnabled, onPremisesSyncEnabled
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        groupTypes = try c.decodeIfPresent([String].self, forKey: .groupTypes)
        membershipRule = try c.decodeIfPresent(String.self, forKey: .membershipRule)
        membershipRuleProcessingState = try c.decodeIfPresent(String.self, forKey: .membershipRuleProcessingState)
        isAssignableToRole = try c.decodeIfPresent(Bool.self, forKey: .isAssignableToRole)
        isAssignableToRoleKnown = c.contains(.isAssignableToRole)
        securityEnabled = try c.decodeIfPresent(Bool.self, forKey: .securityEnabled)
        onPremisesSyncEnabled = try c.decodeIfPresent(Bool.self, forKey: .onPremisesSyncEnabled)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(displayName, forKey: .displayName)
        try c.encodeIfPresent(groupTypes, forKey: .groupTypes)
        try c.encodeIfPresent(membershipRule, forKey: .membershipRule)
        try c.encodeIfPresent(membershipRuleProcessingState, forKey: .membershipRuleProcessingState)
        if isAssignableToRoleKnown || isAssignableToRole != nil {
            try c.encode(isAssignableToRole, forKey: .isAssignableToRole)
        }
        try c.encodeIfPresent(securityEnabled, forKey: .securityEnabled)
        try c.encodeIfPresent(onPremisesSyncEnabled, forKey: .onPremisesSyncEnabled)
    }

    /// Role-assignable: true, false, or nil when the snapshot does not say (the property was not selected).
    public var roleAssignable: Bool? {
        if let isAssignableToRole { return isAssignableToRole }
        return isAssignableToRoleKnown ? false : nil
    }

    public var name: String { displayName ?? id }

    public var isDynamic: Bool {
        (groupTypes ?? []).contains { $0.caseInsensitiveCompare("DynamicMembership") == .orderedSame }
            || !(membershipRule ?? "").isEmpty
    }

    public var isSynchronized: Bool { onPremisesSyncEnabled == true }
}

/// One entry of `GET /groups/{id}/members?$select=id`.
public struct DirectoryObjectReference: Codable, Sendable, Hashable {
    public var id: String
    /// `@odata.type`, e.g. `#microsoft.graph.user`; absent when the export dropped annotations.
    public var odataType: String?

    public init(id: String, odataType: String? = nil) {
        self.id = id
        self.odataType = odataType
    }

    enum CodingKeys: String, CodingKey {
        case id
        case odataType = "@odata.type"
    }

    public var kind: Kind {
        switch odataType?.lowercased() {
        case "#microsoft.graph.user": .user
        case "#microsoft.graph.group": .group
        case nil: .unknown
        default: .other
        }
    }

    public enum Kind: Sendable { case user, group, other, unknown }

    /// `#microsoft.graph.servicePrincipal`: owners of groups and applications may be service principals.
    public var isServicePrincipal: Bool { odataType?.lowercased() == "#microsoft.graph.serviceprincipal" }
}

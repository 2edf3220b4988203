import Foundation

/// `GET /groups` with the snapshot's `$select`.
public struct Group: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    public var groupTypes: [String]?
    public var membershipRule: String?
    public var membershipRuleProcessingState: String?
    public var isAssignableToRole: Bool?
    public var securityEnabled: Bool?
    public var onPremisesSyncEnabled: Bool?

    public init(id: String, displayName: String? = nil) {
        self.id = id
        self.displayName = displayName
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
}

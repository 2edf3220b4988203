import Foundation

/// ARM `GET /providers/microsoft.aadiam/diagnosticSettings` (one element).
public struct DiagnosticSetting: Decodable, Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var properties: Properties?

    public struct Properties: Decodable, Sendable, Hashable {
        public var workspaceId: String?
        public var logs: [Log]?
    }

    public struct Log: Decodable, Sendable, Hashable {
        public var category: String?
        public var categoryGroup: String?
        public var enabled: Bool?
    }

    /// The log categories this setting sends to a Log Analytics workspace (none without a workspace).
    public var workspaceCategories: Set<String> {
        guard let properties, !(properties.workspaceId ?? "").isEmpty else { return [] }
        let enabled = (properties.logs ?? []).filter { $0.enabled == true }
        if enabled.contains(where: { $0.categoryGroup?.lowercased() == "alllogs" }) {
            return ["SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs"]
        }
        return Set(enabled.compactMap(\.category))
    }
}

/// ARM `Microsoft.Insights/scheduledQueryRules` (one element): the fields the monitoring checks read.
public struct AlertRule: Decodable, Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var properties: Properties?

    public struct Properties: Decodable, Sendable, Hashable {
        public var displayName: String?
        public var enabled: Bool?
        public var severity: Int?
        public var criteria: Criteria?
    }

    public struct Criteria: Decodable, Sendable, Hashable {
        public var allOf: [Condition]?
    }

    public struct Condition: Decodable, Sendable, Hashable {
        public var query: String?
    }

    public var isEnabled: Bool { properties?.enabled ?? true }
    public var queries: [String] { (properties?.criteria?.allOf ?? []).compactMap(\.query) }
    public var displayName: String { properties?.displayName ?? name ?? id ?? "(unnamed rule)" }
}

import Foundation

/// ARM `GET /providers/microsoft.aadiam/diagnosticSettings` (one element), or the same resource in a deployment
/// template (`breakglass export arm` writes one), where a value may be an expression: anything not of the expected
/// type reads as nil.
public struct DiagnosticSetting: Decodable, Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var properties: Properties?

    public struct Properties: Decodable, Sendable, Hashable {
        public var workspaceId: String?
        public var storageAccountId: String?
        public var eventHubAuthorizationRuleId: String?
        public var logs: [Log]?

        enum CodingKeys: String, CodingKey { case workspaceId, storageAccountId, eventHubAuthorizationRuleId, logs }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            workspaceId = try? container.decodeIfPresent(String.self, forKey: .workspaceId)
            storageAccountId = try? container.decodeIfPresent(String.self, forKey: .storageAccountId)
            eventHubAuthorizationRuleId = try? container.decodeIfPresent(String.self, forKey: .eventHubAuthorizationRuleId)
            logs = try container.decodeIfPresent([Log].self, forKey: .logs)
        }
    }

    public struct Log: Decodable, Sendable, Hashable {
        public var category: String?
        public var categoryGroup: String?
        public var enabled: Bool?

        enum CodingKeys: String, CodingKey { case category, categoryGroup, enabled }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            category = try? container.decodeIfPresent(String.self, forKey: .category)
            categoryGroup = try? container.decodeIfPresent(String.self, forKey: .categoryGroup)
            enabled = try? container.decodeIfPresent(Bool.self, forKey: .enabled)
        }
    }

    /// The Entra log categories the checks know, spelled as ARM spells them.
    public static let knownCategories = ["SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs"]

    /// The enabled log categories, spelled canonically (ARM compares them without case).
    public var enabledCategories: Set<String> {
        let enabled = (properties?.logs ?? []).filter { $0.enabled == true }
        if enabled.contains(where: { $0.categoryGroup?.lowercased() == "alllogs" }) { return Set(Self.knownCategories) }
        return Set(enabled.compactMap(\.category).map { category in
            Self.knownCategories.first { $0.caseInsensitiveCompare(category) == .orderedSame } ?? category
        })
    }

    public var sendsToWorkspace: Bool { !(properties?.workspaceId ?? "").isEmpty }

    /// The log categories this setting sends to a Log Analytics workspace (none without a workspace).
    public var workspaceCategories: Set<String> { sendsToWorkspace ? enabledCategories : [] }
}

/// ARM `Microsoft.Insights/scheduledQueryRules` (one element): the fields the monitoring checks read. Also accepts a
/// Microsoft Sentinel scheduled analytics rule as ARM returns it (`Microsoft.SecurityInsights/alertRules`, whose
/// `properties.query` holds the KQL and whose severity is a word), and the resources of a deployment template as
/// `breakglass export arm` writes them. Loosely typed fields never make the file malformed: a value of another type
/// reads as nil.
public struct AlertRule: Decodable, Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var type: String?
    public var kind: String?
    public var properties: Properties?

    public struct Properties: Decodable, Sendable, Hashable {
        public var displayName: String?
        public var enabled: Bool?
        public var severity: Int?
        public var evaluationFrequency: String?
        public var windowSize: String?
        public var criteria: Criteria?
        /// A Sentinel scheduled rule's query.
        public var query: String?

        enum CodingKeys: String, CodingKey {
            case displayName, enabled, severity, evaluationFrequency, windowSize, criteria, query
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            displayName = try? container.decodeIfPresent(String.self, forKey: .displayName)
            enabled = try? container.decodeIfPresent(Bool.self, forKey: .enabled)
            severity = try? container.decodeIfPresent(Int.self, forKey: .severity)
            evaluationFrequency = try? container.decodeIfPresent(String.self, forKey: .evaluationFrequency)
            windowSize = try? container.decodeIfPresent(String.self, forKey: .windowSize)
            criteria = try container.decodeIfPresent(Criteria.self, forKey: .criteria)
            query = try? container.decodeIfPresent(String.self, forKey: .query)
        }

        public init(displayName: String? = nil, enabled: Bool? = true, query: String) {
            self.displayName = displayName
            self.enabled = enabled
            criteria = Criteria(allOf: [Condition(query: query)])
        }
    }

    public struct Criteria: Decodable, Sendable, Hashable {
        public var allOf: [Condition]?

        public init(allOf: [Condition]?) { self.allOf = allOf }
    }

    public struct Condition: Decodable, Sendable, Hashable {
        public var query: String?
        public var timeAggregation: String?
        /// `Equals`, `GreaterThan`, `GreaterThanOrEqual`, `LessThan` or `LessThanOrEqual`.
        public var `operator`: String?
        public var threshold: Double?

        enum CodingKeys: String, CodingKey { case query, timeAggregation, `operator`, threshold }

        public init(query: String?, timeAggregation: String? = nil, operator: String? = nil, threshold: Double? = nil) {
            self.query = query
            self.timeAggregation = timeAggregation
            self.operator = `operator`
            self.threshold = threshold
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            query = try? container.decodeIfPresent(String.self, forKey: .query)
            timeAggregation = try? container.decodeIfPresent(String.self, forKey: .timeAggregation)
            `operator` = try? container.decodeIfPresent(String.self, forKey: .operator)
            threshold = (try? container.decodeIfPresent(Double.self, forKey: .threshold))
                ?? (try? container.decodeIfPresent(String.self, forKey: .threshold)).flatMap(Double.init)
        }

        /// Whether one result row is enough to fire (the condition Learn recommends: count greater than 0). Unknown
        /// when the operator or threshold is missing, as in a Sentinel rule read through ARM.
        public var firesOnAnyRow: Bool? {
            guard let comparison = `operator`, let threshold else { return nil }
            switch comparison.lowercased() {
            case "greaterthan": return threshold < 1
            case "greaterthanorequal": return threshold <= 1
            default: return false
            }
        }
    }

    public init(id: String? = nil, name: String?, properties: Properties?) {
        self.id = id
        self.name = name
        self.properties = properties
    }

    public var isEnabled: Bool { properties?.enabled ?? true }
    public var conditions: [Condition] { properties?.criteria?.allOf ?? [] }
    public var queries: [String] { conditions.compactMap(\.query) + (properties?.query.map { [$0] } ?? []) }
    public var displayName: String { properties?.displayName ?? name ?? id ?? "(unnamed rule)" }
}

/// An ARM list as a snapshot file may hold it: `{"value": [...]}`, a bare array or one object (as `ListEnvelope`), or
/// a deployment template, whose `resources` of the matching types are read — so the templates `breakglass export arm`
/// writes can be dropped into a snapshot as they are.
struct ARMResourceEnvelope<Element: Decodable>: Decodable {
    var items: [Element]

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyCodingKey.self),
            !object.contains(AnyCodingKey("value")), object.contains(AnyCodingKey("resources"))
        {
            let types = ARMResourceEnvelope.types
            var resources = try object.nestedUnkeyedContainer(forKey: AnyCodingKey("resources"))
            var items: [Element] = []
            while !resources.isAtEnd {
                let resource = try resources.decode(TypedResource<Element>.self)
                if let type = resource.type?.lowercased(), types.contains(where: { type.hasSuffix($0) }) {
                    items.append(resource.element)
                }
            }
            self.items = items
        } else {
            items = try ListEnvelope<Element>(from: decoder).items
        }
    }

    /// Type suffixes (lower case) that a template resource needs to count as an `Element`.
    static var types: [String] {
        switch Element.self {
        case is AlertRule.Type: ["scheduledqueryrules", "alertrules"]
        case is DiagnosticSetting.Type: ["microsoft.aadiam/diagnosticsettings"]
        default: []
        }
    }
}

private struct TypedResource<Element: Decodable>: Decodable {
    var type: String?
    var element: Element

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        type = try? container.decodeIfPresent(String.self, forKey: AnyCodingKey("type"))
        element = try Element(from: decoder)
    }
}

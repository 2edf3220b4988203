import EntraModel
import Foundation

// The JSON of `whatif --format json` (spec/evaluation.md, "Output of whatif --format json"):
// { "user": {"id", "userPrincipalName"}, "context": {"resource", "clientApp", "platform", "capabilities"},
//   "decision", "requiredControls", "policies": [{"id", "displayName", "state", "applies", "reasons", "requires",
//   "satisfied"}] }. `applies` is true, false or "unknown"; absent values are null.

extension Evaluation: Encodable {
    enum CodingKeys: String, CodingKey { case user, context, decision, requiredControls, policies }
    enum UserKeys: String, CodingKey { case id, userPrincipalName }
    enum ContextKeys: String, CodingKey { case resource, clientApp, platform, insiderRisk, capabilities }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var user = container.nestedContainer(keyedBy: UserKeys.self, forKey: .user)
        try user.encode(userID ?? context?.userID, forKey: .id)
        try user.encode(userPrincipalName, forKey: .userPrincipalName)
        var context = container.nestedContainer(keyedBy: ContextKeys.self, forKey: .context)
        try context.encode(self.context?.resource, forKey: .resource)
        try context.encode(self.context?.clientApp, forKey: .clientApp)
        try context.encode(self.context?.platform, forKey: .platform)
        try context.encode(self.context?.insiderRisk, forKey: .insiderRisk)
        let order = Capability.allCases
        let capabilities = self.capabilities.map { set in order.filter(set.contains).map(\.rawValue) }
        try context.encode(capabilities, forKey: .capabilities)
        try container.encode(decision, forKey: .decision)
        try container.encode(requiredControls, forKey: .requiredControls)
        try container.encode(policies, forKey: .policies)
    }
}

extension PolicyVerdict: Encodable {
    enum CodingKeys: String, CodingKey { case id, displayName, state, applies, reasons, requires, satisfied, decidedBy }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policyID, forKey: .id)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(state, forKey: .state)
        try container.encode(applies, forKey: .applies)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(requires, forKey: .requires)
        try container.encode(satisfied, forKey: .satisfied)
        try container.encode(decidedBy, forKey: .decidedBy)
    }
}

extension Applicability: Encodable {
    /// `true`, `false` or `"unknown"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .yes: try container.encode(true)
        case .no: try container.encode(false)
        case .unknown: try container.encode("unknown")
        }
    }
}

extension Requirement: Encodable {
    enum CodingKeys: String, CodingKey { case `operator`, controls }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.operator, forKey: .operator)
        try container.encode(controls, forKey: .controls)
    }
}

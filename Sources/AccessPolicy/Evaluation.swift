import EntraModel
import Foundation

/// What Conditional Access would do with one sign-in (spec/evaluation.md, "Decision").
public struct Evaluation: Sendable, Hashable {
    public var decision: Decision
    /// The controls the applying enforced policies require (empty for `grant` and `block`).
    public var requiredControls: [String]
    /// Every policy in the tenant, applying or not, with the reasons.
    public var policies: [PolicyVerdict]
    /// Why the sign-in is blocked, naming the policy and missing control; empty otherwise.
    public var blockReasons: [String]
}

public enum Decision: String, Sendable, Hashable, Codable {
    case grant
    case grantWithControls
    case block
}

public enum Applicability: Sendable, Hashable {
    case yes
    case no
    /// A condition could not be evaluated (a device filter on a registered device whose properties are not
    /// given); treated as applying when deciding.
    case unknown

    public var countsAsApplying: Bool { self != .no }
}

public struct PolicyVerdict: Sendable, Hashable {
    public var policyID: String
    public var displayName: String
    public var state: String
    public var applies: Applicability
    public var reasons: [String]
    /// nil when the policy requires nothing (session controls only) or does not apply.
    public var requires: Requirement?
    /// nil when it does not apply or requires nothing.
    public var satisfied: Bool?
    /// Enforced (enabled) and applying: it takes part in the decision.
    public var isEnforced: Bool
}

/// A policy's grant controls as requirements: `block`, or controls joined by AND/OR.
public struct Requirement: Sendable, Hashable {
    public var blocks: Bool
    /// `AND` or `OR`.
    public var `operator`: String
    /// Built-in controls (`mfa`, `compliantDevice`, …), `authenticationStrength:<name>`, `termsOfUse:<id>`,
    /// custom factors; as shown to a person.
    public var controls: [String]

    public init(blocks: Bool, operator: String, controls: [String]) {
        self.blocks = blocks
        self.operator = `operator`
        self.controls = controls
    }
}

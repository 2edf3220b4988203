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
    /// The sign-in evaluated.
    public var context: SignInContext? = nil
    /// The user's object id (the context may name the user by UPN).
    public var userID: String? = nil
    public var userPrincipalName: String? = nil
    /// The capabilities the decision used: the context's, or those derived from the user's methods and device.
    public var capabilities: Set<Capability>? = nil
    /// Facts about the evaluation itself (unknown user, unknown authentication methods).
    public var notes: [String] = []

    public init(decision: Decision, requiredControls: [String], policies: [PolicyVerdict], blockReasons: [String]) {
        self.decision = decision
        self.requiredControls = requiredControls
        self.policies = policies
        self.blockReasons = blockReasons
    }
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
    /// given, a group whose members are unknown, an unmodelled condition); treated as applying when deciding.
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
    /// For an applying policy that requires something: what decided each control — the capability and where it
    /// came from, the strength combination and key model, or why nothing could — to compare with Entra's What If.
    public var decidedBy: [String] = []
    /// When the policy does not apply: the condition that ruled it out, in the words of Graph's What If
    /// (`whatIfAnalysisReasons`: `policyNotEnabled`, `users`, `application`, `clientApps`, `devicePlatform`,
    /// `location`, `userRisk`, `signInRisk`, `insiderRisk`, `devices`, `authenticationFlow`, `workloadIdentities`).
    public var failedCondition: String?

    public init(policyID: String, displayName: String, state: String, applies: Applicability, reasons: [String],
                requires: Requirement?, satisfied: Bool?, isEnforced: Bool) {
        self.policyID = policyID
        self.displayName = displayName
        self.state = state
        self.applies = applies
        self.reasons = reasons
        self.requires = requires
        self.satisfied = satisfied
        self.isEnforced = isEnforced
    }
}

/// A policy's grant controls as requirements: `block`, or controls joined by AND/OR.
public struct Requirement: Sendable, Hashable {
    public var blocks: Bool
    /// `AND` or `OR`.
    public var `operator`: String
    /// Built-in controls (`mfa`, `compliantDevice`, …), `authenticationStrength:<name>`, `termsOfUse:<id>`,
    /// `customAuthenticationFactor:<id>`; as shown to a person.
    public var controls: [String]

    public init(blocks: Bool, operator: String, controls: [String]) {
        self.blocks = blocks
        self.operator = `operator`
        self.controls = controls
    }
}

import EntraModel
import Foundation

// CONTRACT STUB — to be replaced by the real evaluator (spec/evaluation.md). Signatures are the contract that
// Posture and the CLI build on.

/// Evaluates Conditional Access for sign-ins against a tenant. Pure: no I/O; `now` decides which time-bound role
/// assignments are active.
public struct Evaluator: Sendable {
    public let directory: Directory
    public let now: Date

    public init(directory: Directory, now: Date) {
        self.directory = directory
        self.now = now
    }

    /// The decision for one sign-in, against the tenant's policies or the given ones (a `--policy` change).
    public func evaluate(_ context: SignInContext, policies: [ConditionalAccessPolicy]? = nil) -> Evaluation {
        Evaluation(decision: .grant, requiredControls: [], policies: [], blockReasons: [])
    }

    /// The users condition alone, exactly: included, excluded (exclusion wins) or not included, with the reason.
    public func userScope(of policy: ConditionalAccessPolicy, userID: String) -> UserScope {
        .notIncluded("not implemented")
    }

    /// Whether the policy applies to the user for some resource or client: the users condition evaluated exactly,
    /// every other condition taken as possibly matching (a policy that targets no application or only workload
    /// identities never applies). The reasons name the inclusion and any condition that narrows it.
    public func mayApply(_ policy: ConditionalAccessPolicy, toUser userID: String) -> PolicyReach {
        PolicyReach(applies: false, reasons: [])
    }

    /// The grant requirement of a policy, nil when it requires nothing (session controls only).
    public func requirement(of policy: ConditionalAccessPolicy) -> Requirement? { nil }

    /// Whether the capabilities (and, for authentication strengths, the user's registered methods) satisfy the
    /// policy's grant controls; `missing` names what is lacking.
    public func satisfaction(of policy: ConditionalAccessPolicy, capabilities: Set<Capability>,
                             methods: [AuthenticationMethod]?) -> (satisfied: Bool, missing: [String]) {
        (true, [])
    }

    /// What a user can satisfy from their registered methods and the device; nil when the methods are unknown.
    public func capabilities(ofUser userID: String, device: Device) -> Set<Capability>? { nil }
}

public enum UserScope: Sendable, Hashable {
    case included(String)
    case excluded(String)
    case notIncluded(String)

    public var isIncluded: Bool { if case .included = self { true } else { false } }
    public var reason: String {
        switch self {
        case .included(let reason), .excluded(let reason), .notIncluded(let reason): reason
        }
    }
}

public struct PolicyReach: Sendable, Hashable {
    public var applies: Bool
    public var reasons: [String]

    public init(applies: Bool, reasons: [String]) {
        self.applies = applies
        self.reasons = reasons
    }
}

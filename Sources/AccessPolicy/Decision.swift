import EntraModel
import Foundation

/// The decision from the policy verdicts (spec/evaluation.md, "Decision"): only enforced policies that apply (or
/// may apply) count; report-only and disabled ones are listed but never change it.
enum Decider {
    static func decide(_ results: [(verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)]) -> Evaluation {
        var blockReasons: [String] = []
        var required: [String] = []
        for (verdict, outcome) in results {
            switch effect(verdict, outcome) {
            case .none: break
            case .blocks(let reason): blockReasons.append(reason)
            case .requires(let controls):
                for control in controls where !required.contains(control) { required.append(control) }
            }
        }
        let decision: Decision = !blockReasons.isEmpty ? .block : (required.isEmpty ? .grant : .grantWithControls)
        return Evaluation(decision: decision, requiredControls: decision == .grantWithControls ? required : [],
                          policies: results.map(\.verdict), blockReasons: blockReasons)
    }

    /// What one policy's verdict does to the decision.
    enum Effect: Sendable, Hashable {
        /// Not enforced, not applying, or requiring nothing.
        case none
        /// Blocks the sign-in, with the reason.
        case blocks(String)
        /// Satisfied: these controls are required (empty: none).
        case requires([String])
    }

    static func effect(_ verdict: PolicyVerdict, _ outcome: GrantCondition.Outcome?) -> Effect {
        guard verdict.isEnforced, verdict.applies.countsAsApplying, let requirement = verdict.requires else {
            return .none
        }
        let name = "policy '\(verdict.displayName)'" + (verdict.applies == .unknown ? " (which may apply)" : "")
        if requirement.blocks { return .blocks("\(name) blocks access") }
        guard let outcome, outcome.satisfied else {
            let joiner = requirement.operator == "AND" ? " and " : " or "
            let missing = outcome?.missing ?? requirement.controls
            return .blocks("\(name) requires \(requirement.controls.joined(separator: joiner)): missing "
                + missing.joined(separator: ", "))
        }
        // AND: every control; OR: the first available one, what the person will do.
        return .requires(requirement.operator == "AND" ? outcome.available : Array(outcome.available.prefix(1)))
    }
}

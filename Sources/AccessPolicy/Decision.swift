import EntraModel
import Foundation

/// The decision from the policy verdicts (spec/evaluation.md, "Decision"): only enforced policies that apply (or
/// may apply) count; report-only and disabled ones are listed but never change it.
enum Decider {
    static func decide(_ results: [(verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)]) -> Evaluation {
        var blockReasons: [String] = []
        var required: [String] = []
        for (verdict, outcome) in results where verdict.isEnforced && verdict.applies.countsAsApplying {
            guard let requirement = verdict.requires else { continue }
            let name = "policy '\(verdict.displayName)'"
                + (verdict.applies == .unknown ? " (which may apply)" : "")
            if requirement.blocks {
                blockReasons.append("\(name) blocks access")
                continue
            }
            guard let outcome, outcome.satisfied else {
                let joiner = requirement.operator == "AND" ? " and " : " or "
                let missing = outcome?.missing ?? requirement.controls
                blockReasons.append("\(name) requires \(requirement.controls.joined(separator: joiner)): missing "
                    + missing.joined(separator: ", "))
                continue
            }
            // AND: every control; OR: the first available one, what the person will do.
            let controls = requirement.operator == "AND" ? outcome.available : Array(outcome.available.prefix(1))
            for control in controls where !required.contains(control) { required.append(control) }
        }
        let decision: Decision = !blockReasons.isEmpty ? .block : (required.isEmpty ? .grant : .grantWithControls)
        return Evaluation(decision: decision, requiredControls: decision == .grantWithControls ? required : [],
                          policies: results.map(\.verdict), blockReasons: blockReasons)
    }
}

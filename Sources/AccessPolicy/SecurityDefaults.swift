import EntraModel
import Foundation

/// Security defaults as one synthetic enforced policy (spec/evaluation.md, "Decision"; Learn, "Security defaults"):
/// MFA for users holding an active administrator role and for everyone signing in to the Azure portal or Azure
/// Resource Manager; legacy authentication (Exchange ActiveSync and other clients) is blocked.
///
/// "Administrator role" is read as any active directory-wide role assignment, a slight over-approximation of
/// Learn's list of fourteen roles that errs towards requiring MFA.
public enum SecurityDefaultsPolicy {
    public static let id = "securityDefaults"
    public static let displayName = "Security defaults"

    static func verdict(_ facts: SignInFacts, directory: Directory)
        -> (verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)
    {
        var verdict = PolicyVerdict(policyID: id, displayName: displayName, state: PolicyState.enabled, applies: .no,
                                    reasons: [], requires: nil, satisfied: nil, isEnforced: false)
        if facts.clientApp == "exchangeactivesync" || facts.clientApp == "other" {
            verdict.applies = .yes
            verdict.isEnforced = true
            verdict.requires = Requirement(blocks: true, operator: "OR", controls: ["block"])
            verdict.satisfied = false
            verdict.reasons = ["security defaults block legacy authentication (client app \(facts.context.clientApp))"]
            return (verdict, GrantCondition.Outcome(satisfied: false, available: [], missing: ["block"], notes: []))
        }
        if let holding = facts.subject.activeRoles.values.min(by: { $0.roleTemplateID < $1.roleTemplateID }) {
            verdict.reasons.append("user holds the active role \(directory.roleName(holding.roleTemplateID)): "
                + "security defaults require MFA for administrators")
        } else if facts.resource.isInAzureManagementSuite {
            verdict.reasons.append("resource \(facts.resource.name): security defaults require "
                + "MFA for Azure management")
        } else {
            verdict.reasons.append("user holds no active administrator role and the resource is not Azure management")
            return (verdict, nil)
        }
        let grant = GrantCondition(.init(builtInControls: ["mfa"]), strengths: [:])
        let outcome = grant.satisfaction(capabilities: facts.capabilities, methods: facts.methods)
        verdict.applies = .yes
        verdict.isEnforced = true
        verdict.requires = grant.requirement
        verdict.satisfied = outcome.satisfied
        if !outcome.satisfied { verdict.reasons.append("cannot be satisfied: missing mfa") }
        return (verdict, outcome)
    }
}

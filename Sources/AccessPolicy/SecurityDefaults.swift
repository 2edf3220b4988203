import EntraModel
import Foundation

/// Security defaults as one synthetic enforced policy (spec/evaluation.md, "Decision"; Learn, "Security defaults in
/// Microsoft Entra ID"): legacy authentication (Exchange ActiveSync and other clients) is blocked for everyone; MFA is
/// required of users holding an active directory-wide assignment of one of the administrator roles Learn lists
/// (`WellKnownRole.securityDefaultsAdministrators`) and of everyone signing in to the Azure portal or Azure Resource
/// Manager.
public enum SecurityDefaultsPolicy {
    public static let id = "securityDefaults"
    public static let displayName = "Security defaults"

    static func verdict(_ facts: SignInFacts, directory: Directory)
        -> (verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)
    {
        var verdict = PolicyVerdict(policyID: id, displayName: displayName, state: PolicyState.enabled, applies: .no,
                                    reasons: [], requires: nil, satisfied: nil, isEnforced: false)
        if facts.context.isLegacyClient {
            verdict.applies = .yes
            verdict.isEnforced = true
            verdict.requires = Requirement(blocks: true, operator: "OR", controls: ["block"])
            verdict.satisfied = false
            verdict.reasons = ["security defaults block legacy authentication (client app \(facts.context.clientApp))"]
            return (verdict, GrantCondition.Outcome(satisfied: false, available: [], missing: ["block"], notes: []))
        }
        let administrator = facts.subject.activeRoles.values
            .filter { WellKnownRole.securityDefaultsAdministrators[$0.roleTemplateID] != nil }
            .min { $0.roleTemplateID < $1.roleTemplateID }
        if let holding = administrator {
            verdict.reasons.append("user holds the active role \(directory.roleName(holding.roleTemplateID)): "
                + "security defaults require MFA for administrators")
        } else if facts.resource.isInAzureManagementSuite {
            verdict.reasons.append("resource \(facts.resource.name): security defaults require "
                + "MFA for Azure management")
        } else {
            let other = facts.subject.activeRoles.isEmpty ? "" : " (its active roles are not among those Learn lists)"
            verdict.reasons.append("user holds no administrator role security defaults name\(other) and the resource "
                + "is not Azure management")
            return (verdict, nil)
        }
        let grant = GrantCondition(.init(builtInControls: ["mfa"]), strengths: [:])
        let outcome = grant.satisfaction(facts.atHand)
        verdict.applies = .yes
        verdict.isEnforced = true
        verdict.requires = grant.requirement
        verdict.satisfied = outcome.satisfied
        verdict.decidedBy = outcome.evidence
        if !outcome.satisfied { verdict.reasons.append("cannot be satisfied: missing mfa") }
        return (verdict, outcome)
    }
}

import AccessPolicy
import EntraModel
import Foundation

/// How a Conditional Access policy reaches an emergency account: the shared reasoning of BG030, BG031 and BG034.
struct PolicyExposure {
    var applies: Bool
    var reasons: [String]
    /// What the policy asks of the account, in words.
    var demand: String
    /// The severity the exposure deserves (BG030's grading).
    var severity: Severity
    var evidence: [String: JSONValue]

    init(policy: ConditionalAccessPolicy, user: User, context: TenantContext) {
        let evaluator = context.evaluator
        let reach = evaluator.mayApply(policy, toUser: user.id)
        applies = reach.applies
        reasons = reach.reasons
        let methods = context.methods(of: user)
        let requirement = evaluator.requirement(of: policy)
        var evidence: [String: JSONValue] = ["reasons": .array(reach.reasons.map { .string($0) })]
        if let requirement {
            evidence["requires"] = .object([
                "operator": .string(requirement.operator), "controls": .array(requirement.controls.map { .string($0) }),
            ])
        }
        let sessionOnly = requirement == nil
        if let requirement, requirement.blocks {
            demand = "blocks access"
            severity = .critical
        } else if sessionOnly {
            let controls = policy.sessionControlNames
            demand = controls.isEmpty ? "requires nothing" : "sets session controls (\(controls.joined(separator: ", ")))"
            severity = .high
        } else {
            let (satisfied, missing) = evaluator.satisfaction(of: policy, forUser: user.id)
            let controls = requirement?.controls.joined(separator: " \(requirement?.operator ?? "OR") ") ?? ""
            if methods == nil {
                demand = "requires \(controls); the account's methods are unknown"
                severity = .critical
            } else if !satisfied {
                demand = "requires \(controls), which the account cannot satisfy (missing \(missing.joinedAsList))"
                severity = .critical
            } else if Self.onlyStrengthMetByPhishingResistant(policy, methods: methods ?? []) {
                demand = "requires \(controls), met by the account's phishing-resistant method"
                severity = .medium
            } else {
                demand = "requires \(controls)"
                severity = .high
            }
        }
        self.evidence = evidence
    }

    /// A dedicated strong-authentication policy: all it asks is an authentication strength that the account's
    /// registered phishing-resistant method satisfies.
    static func onlyStrengthMetByPhishingResistant(_ policy: ConditionalAccessPolicy, methods: [AuthenticationMethod]) -> Bool {
        guard let grant = policy.grantControls, let strength = grant.authenticationStrength, grant.builtInControls.isEmpty,
            grant.termsOfUse.isEmpty, grant.customAuthenticationFactors.isEmpty
        else { return false }
        let allowed = Set(strength.allowedCombinations.isEmpty
            ? (AuthenticationStrengthPolicy.builtIn.first { $0.id == strength.id }?.allowedCombinations ?? [])
            : strength.allowedCombinations)
        return methods.filter(\.isPhishingResistant).contains { method in
            method.strengthCombinations.contains { allowed.contains($0) }
        }
    }
}

extension Check {
    /// One result per account × policy for the account-and-policy checks (BG030, BG031, BG034): pass when the policy
    /// cannot reach the account, otherwise fail with `message(policy, user, exposure)` at the severity `grade`
    /// returns (nil: the check's own).
    func exposureFindings(
        _ context: TenantContext, policies: [ConditionalAccessPolicy], none: String,
        grade: (PolicyExposure) -> Severity? = { _ in nil },
        message: (ConditionalAccessPolicy, User, PolicyExposure) -> String
    ) -> [Finding] {
        flatMapAccounts(context) { account, user in
            guard !policies.isEmpty else { return [notApplicable(account.subject, none)] }
            return policies.map { policy in
                let exposure = PolicyExposure(policy: policy, user: user, context: context)
                let related = context.policySubject(policy)
                guard exposure.applies else {
                    return pass(account.subject, "Not applied: \(exposure.reasons.first ?? "the account is out of scope").",
                                related: related, evidence: exposure.evidence)
                }
                return fail(account.subject, message(policy, user, exposure), related: related, evidence: exposure.evidence,
                            severity: grade(exposure))
            }
        }
    }
}

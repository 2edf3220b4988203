import EntraModel
import Foundation

/// Evaluates Conditional Access for sign-ins against a tenant (spec/evaluation.md). Pure: no I/O; `now` decides which
/// time-bound role assignments are active.
///
/// The tenant's policies, named locations (CIDR ranges parsed), device filters (parsed) and authentication
/// strengths are compiled once here, so one `evaluate` only walks the user's groups and the compiled policies.
public struct Evaluator: Sendable {
    public let directory: Directory
    public let now: Date
    let tenant: CompiledTenant
    let policies: [CompiledPolicy]
    /// Index into `policies` by policy id.
    let policyIndex: [String: Int]
    /// What the policies name, for audience keys.
    let vocabulary: AudienceVocabulary

    public init(directory: Directory, now: Date) {
        self.init(directory: directory, now: now, policies: directory.snapshot.policies)
    }

    /// An evaluator whose policies are `policies` instead of the tenant's (a tenant as it would be after a change);
    /// compiled once, so repeated evaluations of the changed tenant stay fast.
    public init(directory: Directory, now: Date, policies: [ConditionalAccessPolicy]) {
        self.directory = directory
        self.now = now
        let tenant = CompiledTenant(directory.snapshot)
        self.tenant = tenant
        var cache: [String: [String]] = [:]
        self.policies = policies.map {
            CompiledPolicy($0, tenant: tenant, directory: directory, membershipCache: &cache)
        }
        policyIndex = Dictionary(policies.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        vocabulary = AudienceVocabulary(self.policies, securityDefaults: tenant.securityDefaultsEnabled)
    }

    /// The compiled form of `policy`: the precompiled one when it is unchanged, otherwise compiled now.
    func compiled(_ policy: ConditionalAccessPolicy) -> CompiledPolicy {
        if let index = policyIndex[policy.id], policies[index].policy == policy { return policies[index] }
        var cache: [String: [String]] = [:]
        return CompiledPolicy(policy, tenant: tenant, directory: directory, membershipCache: &cache)
    }

    /// The decision for one sign-in, against the tenant's policies or the given ones (a `--policy` change). Security
    /// defaults, when enabled, are evaluated as one more enforced policy, listed last.
    public func evaluate(_ context: SignInContext, policies given: [ConditionalAccessPolicy]? = nil) -> Evaluation {
        let compiled: [CompiledPolicy] = given.map { list in list.map { self.compiled($0) } } ?? policies
        let needsRoles = tenant.securityDefaultsEnabled || compiled.contains { $0.users.needsRoles }
        let subject = Subject(userID: context.userID, directory: directory, now: now, needsRoles: needsRoles)
        return evaluate(context, subject: subject, policies: compiled)
    }

    /// The decision for one sign-in of `subject` (however its groups and roles were found).
    func evaluate(_ context: SignInContext, subject: Subject, policies compiled: [CompiledPolicy]) -> Evaluation {
        let (facts, notes) = facts(context, subject: subject)
        var results = compiled.map { $0.verdict(facts, tenant: tenant, directory: directory) }
        if tenant.securityDefaultsEnabled {
            results.append(SecurityDefaultsPolicy.verdict(facts, directory: directory))
        }
        var evaluation = Decider.decide(results)
        evaluation.context = context
        evaluation.userID = subject.user?.id ?? context.userID
        evaluation.userPrincipalName = subject.user?.userPrincipalName
        evaluation.capabilities = facts.atHand.capabilities
        evaluation.notes = notes
        if evaluation.decision == .block { evaluation.blockReasons += notes.filter { $0.contains("no MFA assumed") } }
        return evaluation
    }

    /// What every policy reads of the sign-in: what the user has at hand to authenticate (given capabilities, or
    /// the user's methods at this evaluator's time and the device), and notes about the evaluation.
    func facts(_ context: SignInContext, subject: Subject) -> (facts: SignInFacts, notes: [String]) {
        let methods = directory.authenticationMethods(ofUser: subject.id, at: now)
        var notes: [String] = []
        if subject.user == nil { notes.append("user \(context.userID) is not in the tenant's users") }
        let atHand = AuthenticationAtHand(context: context, methods: methods,
                                          isFederatedUser: tenant.isFederated(subject.user))
        notes += atHand.notes
        let facts = SignInFacts(context: context, subject: subject, tenant: tenant, atHand: atHand)
        return (facts, notes)
    }

    /// The users condition alone, exactly: included, excluded (exclusion wins) or not included, with the reason.
    /// Eligible-only roles and groups whose members are unknown are mentioned after the reason.
    public func userScope(of policy: ConditionalAccessPolicy, userID: String) -> UserScope {
        userScopes(of: [policy], userID: userID)[0]
    }

    /// `userScope` for several policies and one user, finding the user's groups and roles once.
    public func userScopes(of policies: [ConditionalAccessPolicy], userID: String) -> [UserScope] {
        let needsRoles = policies.contains { compiled($0).users.needsRoles }
        let subject = Subject(userID: userID, directory: directory, now: now, needsRoles: needsRoles)
        return policies.map { policy in
            let match = compiled(policy).users.evaluate(subject, directory: directory)
            guard !match.notes.isEmpty else { return match.scope }
            let reason = ([match.scope.reason] + match.notes).joined(separator: "; ")
            switch match.scope {
            case .included: return .included(reason)
            case .excluded: return .excluded(reason)
            case .notIncluded: return .notIncluded(reason)
            }
        }
    }

    /// Whether the policy applies to the user for some resource or client: the users condition evaluated exactly,
    /// every other condition taken as possibly matching (a policy that targets no application or only workload
    /// identities never applies; nor does a disabled one). The reasons name the inclusion and any condition that
    /// narrows it.
    public func mayApply(_ policy: ConditionalAccessPolicy, toUser userID: String) -> PolicyReach {
        mayApply([policy], toUser: userID)[0]
    }

    /// `mayApply` for several policies and one user: the user's groups (and roles, when a policy names roles) are
    /// found once, not once per policy — on a directory where a user is in thousands of groups, that walk is most of
    /// the cost.
    public func mayApply(_ policies: [ConditionalAccessPolicy], toUser userID: String) -> [PolicyReach] {
        let needsRoles = policies.contains { compiled($0).users.needsRoles }
        var subject: Subject?
        return policies.map { policy in
            let compiled = compiled(policy)
            var reasons: [String] = []
            if let state = compiled.stateReason {
                guard policy.isReportOnly else { return PolicyReach(applies: false, reasons: [state]) }
                reasons.append(state)
            }
            let applications = compiled.applications
            if applications.include.contains("none")
                || (applications.include.isEmpty && applications.userActions.isEmpty
                    && applications.authenticationContexts.isEmpty)
            {
                return PolicyReach(applies: false, reasons: reasons + [applications.reasonTargetsNoSignIn ?? ""])
            }
            if compiled.targetsWorkloadIdentitiesOnly {
                return PolicyReach(applies: false,
                                   reasons: reasons + ["targets workload identities (service principals), not users"])
            }
            let user = subject ?? Subject(userID: userID, directory: directory, now: now, needsRoles: needsRoles)
            subject = user
            let match = compiled.users.evaluate(user, directory: directory)
            reasons.append(match.scope.reason)
            reasons += match.notes
            guard match.scope.isIncluded else { return PolicyReach(applies: false, reasons: reasons) }
            return PolicyReach(applies: true, reasons: reasons + compiled.narrowingConditions)
        }
    }

    /// The grant requirement of a policy, nil when it requires nothing (session controls only).
    public func requirement(of policy: ConditionalAccessPolicy) -> Requirement? {
        GrantCondition(policy.grantControls, strengths: tenant.strengths).requirement
    }

    /// Whether explicit capabilities satisfy the policy's grant controls (FIDO2 key-model restrictions are checked
    /// against `methods`); `missing` names what is lacking. A policy requiring nothing is satisfied.
    public func satisfaction(of policy: ConditionalAccessPolicy, capabilities: Set<Capability>,
                             methods: [AuthenticationMethod]?) -> (satisfied: Bool, missing: [String]) {
        let context = SignInContext(userID: "", capabilities: capabilities)
        return satisfaction(of: policy, atHand: AuthenticationAtHand(context: context, methods: methods))
    }

    /// Whether what the user can present from their registered methods (at this evaluator's time, on `device`)
    /// satisfies the policy's grant controls.
    public func satisfaction(of policy: ConditionalAccessPolicy, forUser userID: String,
                             device: Device = .unregistered) -> (satisfied: Bool, missing: [String]) {
        let context = SignInContext(userID: userID, device: device)
        let methods = directory.authenticationMethods(ofUser: userID, at: now)
        return satisfaction(of: policy, atHand: AuthenticationAtHand(context: context, methods: methods))
    }

    private func satisfaction(of policy: ConditionalAccessPolicy, atHand: AuthenticationAtHand)
        -> (satisfied: Bool, missing: [String])
    {
        let grant = GrantCondition(policy.grantControls, strengths: tenant.strengths)
        guard grant.requirement != nil else { return (true, []) }
        let outcome = grant.satisfaction(atHand)
        return (outcome.satisfied, outcome.missing)
    }

    /// What a user can satisfy from their registered methods and the device; nil when the methods are unknown.
    /// `termsOfUse` and `passwordChange` are always included (a person can accept terms and change a password).
    public func capabilities(ofUser userID: String, device: Device) -> Set<Capability>? {
        guard let methods = directory.authenticationMethods(ofUser: userID, at: now) else { return nil }
        return AuthenticationAtHand(context: SignInContext(userID: userID, device: device), methods: methods)
            .capabilities
    }
}

extension CompiledPolicy {
    /// The conditions besides users that narrow where the policy applies, as a person reads them.
    var narrowingConditions: [String] {
        var reasons: [String] = []
        let conditions = policy.conditions
        let applications = conditions.applications
        if applications.includeApplications.isEmpty {
            if !applications.includeUserActions.isEmpty {
                reasons.append("only for user actions \(applications.includeUserActions.joined(separator: ", "))")
            }
            if !applications.includeAuthenticationContextClassReferences.isEmpty {
                reasons.append("only for authentication contexts "
                    + applications.includeAuthenticationContextClassReferences.joined(separator: ", "))
            }
        } else if !self.applications.include.contains("all") || !applications.excludeApplications.isEmpty {
            reasons.append("only for resources: include \(applications.includeApplications.joined(separator: ", "))"
                + (applications.excludeApplications.isEmpty
                    ? "" : ", exclude \(applications.excludeApplications.joined(separator: ", "))"))
        }
        if clientApps.types != nil {
            reasons.append("only for client apps \(conditions.clientAppTypes.joined(separator: ", "))")
        }
        if !platforms.include.isEmpty { reasons.append("only for some platforms") }
        if !locations.include.isEmpty { reasons.append("only for some locations") }
        if !userRisk.levels.isEmpty {
            reasons.append("only at user risk \(conditions.userRiskLevels.joined(separator: ", "))")
        }
        if !signInRisk.levels.isEmpty {
            reasons.append("only at sign-in risk \(conditions.signInRiskLevels.joined(separator: ", "))")
        }
        if !insiderRisk.levels.isEmpty {
            reasons.append("only at insider risk \(conditions.insiderRiskLevels.joined(separator: ", "))")
        }
        if !devices.isEmpty { reasons.append("only for devices the device filter selects (\(devices.ruleText))") }
        for name in conditions.unmodeled {
            reasons.append(name == "authenticationFlows"
                ? "only for device-code or authentication-transfer flows (authenticationFlows)"
                : "condition \(name) is not modelled: taken as possibly matching")
        }
        return reasons
    }
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

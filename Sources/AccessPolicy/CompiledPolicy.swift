import EntraModel
import Foundation

/// What every policy evaluation shares, built once per `Evaluator` (or per call for policies given to `evaluate`).
struct CompiledTenant: Sendable {
    let locations: LocationIndex
    /// Tenant and built-in authentication strengths by lowercased id.
    let strengths: [String: AuthenticationStrengthPolicy]
    let securityDefaultsEnabled: Bool
    /// Lowercased names of the federated domains: their users authenticate at the federation service.
    let federatedDomains: Set<String>

    init(_ snapshot: Snapshot) {
        locations = LocationIndex(snapshot.namedLocations)
        var strengths: [String: AuthenticationStrengthPolicy] = [:]
        for strength in AuthenticationStrengthPolicy.builtIn + (snapshot.authenticationStrengths ?? []) {
            strengths[strength.id.lowercased()] = strength
        }
        self.strengths = strengths
        securityDefaultsEnabled = snapshot.securityDefaults?.isEnabled == true
        federatedDomains = Set(snapshot.domains.filter(\.isFederated).map { $0.id.lowercased() })
    }

    /// Whether the user signs in at a federation service: the UPN's domain is federated.
    func isFederated(_ user: User?) -> Bool {
        guard let upn = user?.userPrincipalName, let at = upn.lastIndex(of: "@") else { return false }
        return federatedDomains.contains(upn[upn.index(after: at)...].lowercased())
    }
}

/// One policy with its id sets lowercased, device filter parsed and grant controls resolved. A class: evaluations
/// pass it around without copying its sets.
final class CompiledPolicy: Sendable {
    let policy: ConditionalAccessPolicy
    let users: UserCondition
    let applications: ApplicationCondition
    let clientApps: ClientAppCondition
    let platforms: PlatformCondition
    let locations: LocationCondition
    let userRisk: RiskCondition
    let signInRisk: RiskCondition
    let insiderRisk: RiskCondition
    let devices: DeviceCondition
    let grant: GrantCondition
    /// `clientApplications` set and no user targeted: a workload-identity policy, never a user sign-in.
    let targetsWorkloadIdentitiesOnly: Bool

    init(_ policy: ConditionalAccessPolicy, tenant: CompiledTenant, directory: Directory,
         membershipCache: inout [String: [String]]) {
        self.policy = policy
        let conditions = policy.conditions
        users = UserCondition(conditions.users, directory: directory, membershipCache: &membershipCache)
        applications = ApplicationCondition(conditions.applications)
        clientApps = ClientAppCondition(conditions.clientAppTypes)
        platforms = PlatformCondition(conditions.platforms)
        locations = LocationCondition(conditions.locations)
        userRisk = RiskCondition(name: "userRisk", levels: conditions.userRiskLevels)
        signInRisk = RiskCondition(name: "signInRisk", levels: conditions.signInRiskLevels)
        insiderRisk = RiskCondition(name: "insiderRisk", levels: conditions.insiderRiskLevels)
        devices = DeviceCondition(conditions.devices)
        grant = GrantCondition(policy.grantControls, strengths: tenant.strengths)
        let targetsUsers = conditions.users.includeUsers.contains { $0.caseInsensitiveCompare("None") != .orderedSame }
            || !conditions.users.includeGroups.isEmpty || !conditions.users.includeRoles.isEmpty
            || conditions.users.includeGuestsOrExternalUsers != nil
        targetsWorkloadIdentitiesOnly = !(conditions.clientApplications?.isEmpty ?? true) && !targetsUsers
    }

    /// Conditions the evaluator cannot check against a user sign-in. `authenticationFlows` (device code flow,
    /// authentication transfer) is decided: the sign-ins evaluated here are ordinary interactive ones, neither.
    func unmodeledMatch() -> ConditionMatch {
        let names = policy.conditions.unmodeled
        guard !names.isEmpty else { return .yes([]) }
        if names.contains("authenticationFlows") {
            return .no("targets device-code or authentication-transfer flows (authenticationFlows); this sign-in is "
                + "neither")
        }
        return .unknown(names.map { "condition \($0) is not modelled: treated as matching" })
    }

    var stateReason: String? {
        if policy.isEnabled { return nil }
        if policy.isReportOnly { return "report-only: evaluated, never enforced" }
        return policy.state == PolicyState.disabled ? "policy is disabled" : "state \(policy.state): not enforced"
    }
}

/// The facts of one sign-in that every policy reads, computed once per evaluation.
struct SignInFacts: Sendable {
    let context: SignInContext
    let subject: Subject
    let place: Place
    let resource: ResourceFacts
    let atHand: AuthenticationAtHand
    /// The context's client app, platform and risk levels, lowercased.
    let clientApp: String
    let platform: String
    let userRisk: String
    let signInRisk: String
    let insiderRisk: String

    init(context: SignInContext, subject: Subject, tenant: CompiledTenant, atHand: AuthenticationAtHand) {
        self.context = context
        self.subject = subject
        place = Place(ip: context.ipAddress, country: context.country, index: tenant.locations)
        resource = ResourceFacts(context.resource)
        self.atHand = atHand
        clientApp = context.clientApp.lowercased()
        platform = context.platform.lowercased()
        userRisk = context.userRisk.lowercased()
        signInRisk = context.signInRisk.lowercased()
        insiderRisk = context.insiderRisk.lowercased()
    }
}

extension CompiledPolicy {
    /// The verdict for one sign-in, with the grant outcome when the policy applies.
    func verdict(_ facts: SignInFacts, tenant: CompiledTenant, directory: Directory)
        -> (verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)
    {
        // No closure here: capturing `facts` would copy it for every policy of every evaluation.
        let (verdict, inForce) = start()
        guard inForce else { return (verdict, nil) }
        return finish(verdict, userMatch: users.evaluate(facts.subject, directory: directory), facts: facts, tenant: tenant)
    }

    /// The verdict with the users condition answered by `userMatch` (asked only when the policy is in force).
    func verdict(_ facts: SignInFacts, tenant: CompiledTenant, userMatch: () -> UserCondition.Match)
        -> (verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)
    {
        let (verdict, inForce) = start()
        guard inForce else { return (verdict, nil) }
        return finish(verdict, userMatch: userMatch(), facts: facts, tenant: tenant)
    }

    /// The verdict as far as the policy's state and target kind decide it; `inForce` false: that is the verdict.
    private func start() -> (verdict: PolicyVerdict, inForce: Bool) {
        var verdict = PolicyVerdict(policyID: policy.id, displayName: policy.displayName, state: policy.state,
                                    applies: .no, reasons: [], requires: nil, satisfied: nil, isEnforced: false)
        if let stateReason = stateReason {
            verdict.reasons.append(stateReason)
            guard policy.isReportOnly else {
                verdict.failedCondition = "policyNotEnabled"
                return (verdict, false)
            }
        }
        if targetsWorkloadIdentitiesOnly {
            verdict.reasons.append("targets workload identities (service principals), not users")
            verdict.failedCondition = "workloadIdentities"
            return (verdict, false)
        }
        return (verdict, true)
    }

    /// The verdict of a policy in force, from the users condition on.
    private func finish(_ verdict: PolicyVerdict, userMatch: UserCondition.Match, facts: SignInFacts, tenant: CompiledTenant)
        -> (verdict: PolicyVerdict, outcome: GrantCondition.Outcome?)
    {
        var verdict = verdict
        verdict.reasons.append(userMatch.scope.reason)
        verdict.reasons += userMatch.notes
        guard userMatch.scope.isIncluded else {
            verdict.failedCondition = "users"
            return (verdict, nil)
        }
        var certain = userMatch.isCertain
        for step in 0..<9 {
            let match: ConditionMatch
            switch step {
            case 0: match = applications.match(facts.resource)
            case 1: match = clientApps.match(facts.clientApp)
            case 2: match = platforms.match(facts.platform)
            case 3: match = locations.match(facts.place, index: tenant.locations)
            case 4: match = userRisk.match(facts.userRisk)
            case 5: match = signInRisk.match(facts.signInRisk)
            case 6: match = insiderRisk.match(facts.insiderRisk)
            case 7: match = devices.isEmpty ? .yes([]) : devices.match(facts.context.device)
            default: match = unmodeledMatch()
            }
            switch match {
            case .yes(let reasons): verdict.reasons += reasons
            case .unknown(let reasons):
                verdict.reasons += reasons
                certain = false
            case .no(let reason):
                verdict.reasons.append(reason)
                verdict.failedCondition = ["application", "clientApps", "devicePlatform", "location", "userRisk",
                                           "signInRisk", "insiderRisk", "devices", "authenticationFlow"][step]
                return (verdict, nil)
            }
        }
        verdict.applies = certain ? .yes : .unknown
        verdict.isEnforced = policy.isEnabled
        guard let requirement = grant.requirement else {
            let session = policy.sessionControlNames
            verdict.reasons.append(session.isEmpty
                ? "requires nothing" : "session controls only (\(session.joined(separator: ", "))): requires nothing")
            return (verdict, nil)
        }
        let outcome = grant.satisfaction(facts.atHand, legacyClient: facts.context.isLegacyClient)
        verdict.requires = requirement
        verdict.satisfied = outcome.satisfied
        verdict.reasons += outcome.notes
        verdict.decidedBy = outcome.evidence
        if requirement.blocks {
            verdict.reasons.append("blocks access")
        } else if !outcome.satisfied {
            verdict.reasons.append("cannot be satisfied: missing \(outcome.missing.joined(separator: ", "))")
        }
        return (verdict, outcome)
    }
}

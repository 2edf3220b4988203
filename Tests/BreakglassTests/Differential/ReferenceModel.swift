import Foundation

/// An independent model of shared/spec/evaluation.md, written from the spec and Microsoft Learn for the differential
/// test. It reads the tenant's raw JSON (`ModelTenant`), never the product's types, and says for one sign-in which
/// policies apply, what they require, and the decision.
///
/// Learn pages this follows (learn.microsoft.com/entra/identity/conditional-access/…):
/// - concept-conditional-access-users-groups: include/exclude, exclusion wins, nested groups; "Conditional Access
///   policies do not support users assigned a directory role scoped to an administrative unit or … custom roles";
///   directory roles: "users actively assigned a privileged role".
/// - concept-conditional-access-cloud-apps: Office 365, Microsoft Admin Portals, Windows Azure Service Management API.
/// - concept-conditional-access-conditions: client apps ("Sign-ins from legacy authentication clients don't support
///   MFA and don't pass device state information, so they are blocked by Conditional Access grant controls").
/// - concept-assignment-network: any location, all trusted, selected; include unknown countries/regions.
/// - concept-condition-filters-for-devices: null properties of unregistered devices, extensionAttributes1-15.
/// - concept-conditional-access-grant: require all / one of; "When a user is prompted to change a password, they're
///   first required to complete multifactor authentication".
/// - concept-authentication-flows: device code flow and authentication transfer are flows a sign-in can be.
/// - identity/authentication/concept-authentication-strengths (built-in strengths table) and
///   concept-authentication-strength-advanced-options (FIDO2 AAGUID restrictions).
/// - fundamentals/security-defaults: the administrator roles, legacy authentication blocked, Azure management.
/// - Graph resource types: conditionalAccessAuthenticationFlows (`none` puts no transfer method in scope),
///   authenticationMethodModes and temporaryAccessPassAuthenticationMethod (one-time and multi-use passes apart),
///   x509CertificateAuthenticationModeConfiguration (a certificate's binding, not in a snapshot).
///
/// Where a snapshot cannot decide something (a group's members, a deleted named location, an external user's home
/// tenant), a condition is `unknown`, never a guess (DESIGN.md, "Honest results").
struct ReferenceModel {
    let tenant: ModelTenant
    /// Whether verdicts carry reasons (for a person reading a disagreement); off, the model runs faster.
    var explains = false

    /// A reason, built only when the model explains itself.
    func why(_ text: @autoclosure () -> String) -> String { explains ? text() : "" }

    // MARK: - Constants from Learn

    /// Learn, "Security defaults": "the following administrator roles will be required to do multifactor
    /// authentication every time they sign in" (template ids from "Microsoft Entra built-in roles").
    static let securityDefaultsRoles: Set<String> = [
        "62e90394-69f5-4237-9190-012177145e10",  // Global Administrator
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",  // Application Administrator
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",  // Authentication Administrator
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",  // Billing Administrator
        "158c047a-c907-4556-b7ef-446551a6b5f7",  // Cloud Application Administrator
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",  // Conditional Access Administrator
        "29232cdf-9323-42fd-ade2-1d097af3e4de",  // Exchange Administrator
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",  // Helpdesk Administrator
        "966707d0-3269-4727-9be2-8c3a10f19b9d",  // Password Administrator
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",  // Privileged Authentication Administrator
        "e8611ab8-c189-46e8-94e1-60213ab1f814",  // Privileged Role Administrator
        "194ae4cb-b126-40b2-bd5b-6091b380977d",  // Security Administrator
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",  // SharePoint Administrator
        "69091246-20e8-4a56-aa4d-066075b2a7a8",  // Teams Administrator
        "fe930be7-5e62-47db-91af-98c3a49a38b1",  // User Administrator
        "0526716b-113d-4c15-b2c8-68e3c22b9f80",  // Authentication Policy Administrator
        "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e",  // Identity Governance Administrator
    ]

    /// The built-in Multifactor authentication strength's combinations (Graph, `…0002`): the multifactor
    /// combinations. Learn's strengths table: "MFA strength - the same set of combinations that could be used to
    /// satisfy the Require multifactor authentication setting".
    static let multifactorCombinations: [String] = [
        "windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush",
        "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "password,microsoftAuthenticatorPush",
        "password,softwareOath", "password,hardwareOath", "password,x509CertificateSingleFactor",
        "password,x509CertificateMultiFactor", "password,sms", "password,voice", "federatedMultiFactor",
        "microsoftAuthenticatorPush,federatedSingleFactor", "softwareOath,federatedSingleFactor",
        "hardwareOath,federatedSingleFactor", "sms,federatedSingleFactor", "voice,federatedSingleFactor",
    ]
    static let passwordlessCombinations = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor",
                                           "deviceBasedPush"]
    static let phishingResistantCombinations = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"]
    /// The factors of phishing-resistant combinations: explicit `phishingResistantMfa` makes the combinations made
    /// only of these available, explicit `mfa` every other multifactor combination (spec, "Decision").
    static let phishingResistantFactors: Set<String> = ["windowsHelloForBusiness", "fido2",
                                                        "x509CertificateMultiFactor"]

    static let factorsByCombination: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: multifactorCombinations.map { ($0, Set($0.split(separator: ",").map(String.init))) })

    static func factors(of combination: String) -> Set<String> {
        factorsByCombination[combination] ?? Set(combination.split(separator: ",").map(String.init))
    }

    static let builtInStrengths = [
        "00000000-0000-0000-0000-000000000002": multifactorCombinations,
        "00000000-0000-0000-0000-000000000003": passwordlessCombinations,
        "00000000-0000-0000-0000-000000000004": phishingResistantCombinations,
    ]

    // MARK: - Evaluation

    func evaluate(_ signIn: ModelSignIn) -> ModelResult {
        let userID = signIn.userID.lowercased()
        let abilities = Abilities(model: self, userID: userID, signIn: signIn)
        let facts = UserFacts(model: self, userID: userID)
        var verdicts: [ModelVerdict] = []
        for policy in tenant.policies {
            verdicts.append(verdict(policy, signIn: signIn, facts: facts, abilities: abilities))
        }
        let securityDefaults = securityDefaultsOutcome(signIn: signIn, facts: facts, abilities: abilities)

        var blockReasons: [String] = []
        var requires = false
        for verdict in verdicts where verdict.state == "enabled" && verdict.applies != .no {
            guard let requirement = verdict.requirement else { continue }
            if requirement.blocks {
                blockReasons.append("'\(verdict.displayName)' blocks")
            } else if verdict.satisfied == false {
                blockReasons.append("'\(verdict.displayName)' is not satisfied: \(verdict.reasons.last ?? "")")
            } else {
                requires = true
            }
        }
        switch securityDefaults {
        case .blocks: blockReasons.append("security defaults block legacy authentication")
        case .requiresMFA(satisfied: false): blockReasons.append("security defaults require MFA, not at hand")
        case .requiresMFA(satisfied: true): requires = true
        case .none: break
        }
        let decision = !blockReasons.isEmpty ? "block" : (requires ? "grantWithControls" : "grant")
        return ModelResult(decision: decision, verdicts: verdicts, securityDefaults: securityDefaults,
                           blockReasons: blockReasons)
    }

    func verdict(_ policy: ModelPolicy, signIn: ModelSignIn, facts: UserFacts, abilities: Abilities) -> ModelVerdict {
        var verdict = ModelVerdict(policyID: policy.id, displayName: policy.displayName, state: policy.state,
                                   applies: .no, reasons: [], requirement: requirement(policy))
        guard policy.state == "enabled" || policy.state == "enabledForReportingButNotEnforced" else {
            verdict.reasons = ["disabled"]
            return verdict
        }
        var applies = Tri.yes
        for (name, condition) in conditions(policy, signIn: signIn, facts: facts) {
            let (value, reason) = condition()
            if value != .yes, explains { verdict.reasons.append("\(name): \(reason) (\(value))") }
            applies = applies && value
            if applies == .no { break }
        }
        verdict.applies = applies
        guard applies != .no, let requirement = verdict.requirement, !requirement.blocks else { return verdict }
        let (satisfied, why) = isSatisfied(policy, requirement: requirement, signIn: signIn, abilities: abilities)
        verdict.satisfied = satisfied
        verdict.reasons.append(why)
        return verdict
    }

    typealias Condition = () -> (Tri, String)

    func conditions(_ policy: ModelPolicy, signIn: ModelSignIn, facts: UserFacts) -> [(String, Condition)] {
        [
            ("users", { self.users(policy, facts: facts) }),
            ("applications", { self.applications(policy, resource: signIn.resource) }),
            ("clientAppTypes", {
                let types = policy.clientAppTypes
                return (Tri(types.isEmpty || types.contains("all") || types.contains(signIn.clientApp)),
                        why("client app \(signIn.clientApp) vs \(types)"))
            }),
            ("platforms", { self.platforms(policy, platform: signIn.platform) }),
            ("locations", { self.locations(policy, signIn: signIn) }),
            ("userRiskLevels", {
                (Tri(policy.userRiskLevels.isEmpty || policy.userRiskLevels.contains(signIn.userRisk)),
                 why("user risk \(signIn.userRisk) vs \(policy.userRiskLevels)"))
            }),
            ("signInRiskLevels", {
                (Tri(policy.signInRiskLevels.isEmpty || policy.signInRiskLevels.contains(signIn.signInRisk)),
                 why("sign-in risk \(signIn.signInRisk) vs \(policy.signInRiskLevels)"))
            }),
            ("insiderRiskLevels", {
                if policy.insiderRiskLevels.isEmpty { return (.yes, "") }
                return (Tri(policy.insiderRiskLevels.contains(signIn.insiderRisk)),
                        why("insider risk \(signIn.insiderRisk) vs \(policy.insiderRiskLevels)"))
            }),
            // Learn, "Authentication flows": device code flow and authentication transfer; an ordinary sign-in is
            // neither, so a policy on them does not apply. Graph's `none` (Learn, conditionalAccessAuthenticationFlows:
            // "the transfer methods in scope for the policy", possible values none, deviceCodeFlow,
            // authenticationTransfer) puts no transfer method in scope: an ordinary sign-in still matches.
            ("authenticationFlows", {
                let methods = policy.transferMethods
                return (Tri(methods.isEmpty), why("an ordinary sign-in is not \(methods)"))
            }),
            ("devices", { self.deviceFilter(policy, device: signIn.device) }),
        ]
    }

    // MARK: Users

    /// What the user condition needs to know about the user, computed once per sign-in.
    struct UserFacts {
        var user: ModelTenant.User?
        var groups: Set<String>
        var activeRoles: [ActiveRole]
        var externalKind: String?

        init(model: ReferenceModel, userID: String) {
            user = model.tenant.users[userID]
            groups = model.tenant.groups(containing: userID)
            activeRoles = model.activeRoles(of: userID)
            externalKind = user.flatMap(model.externalKind)
        }
    }

    /// Learn, "Conditional Access: users and groups": exclusion overrides inclusion.
    func users(_ policy: ModelPolicy, facts: UserFacts) -> (Tri, String) {
        guard facts.user != nil else { return (.no, "unknown user") }
        let included = audience(facts, users: policy.includeUsers, groups: policy.includeGroups,
                                roles: policy.includeRoles, guests: policy.includeGuests, allowAll: true)
        guard included.0 != .no else { return (.no, "not included") }
        // An exclusion the snapshot cannot decide (a group whose members it lacks, an external user's home tenant)
        // leaves the policy applying `unknown` (DESIGN.md, "Honest results"), which the decision counts as applying.
        let excluded = audience(facts, users: policy.excludeUsers, groups: policy.excludeGroups,
                                roles: policy.excludeRoles, guests: policy.excludeGuests, allowAll: false)
        let value = included.0 && !excluded.0
        return (value, excluded.0 == .no ? why("included by \(included.1)") : why("excluded by \(excluded.1)"))
    }

    func audience(_ facts: UserFacts, users: [String], groups: [String], roles: [String],
                  guests: ModelPolicy.Guests?, allowAll: Bool) -> (Tri, String) {
        guard let user = facts.user else { return (.no, "unknown user") }
        if allowAll, users.contains("All") { return (.yes, "All") }
        if users.contains(where: { $0.lowercased() == user.id }) { return (.yes, "user id") }
        if users.contains("GuestsOrExternalUsers"), let kind = facts.externalKind {
            return (.yes, why("GuestsOrExternalUsers (\(kind))"))
        }
        var result = Tri.no
        var because = "nothing"
        for group in groups {
            let member = isMember(facts, ofGroup: group)
            if member == .yes { return (.yes, why("group \(group)")) }
            if member == .unknown { because = why("group \(group) with unknown members") }
            result = result || member
        }
        for role in roles where holdsRole(facts, template: role) {
            return (.yes, why("role \(role)"))
        }
        if let guests, let kind = facts.externalKind, guests.types.contains(kind) {
            // A snapshot does not say which tenant an external user comes from: enumerated tenants are unknown.
            // Local guests are not external users (Graph: externalTenants are "the tenant IDs of the selected types of
            // external users"): the tenant list does not apply to them.
            if guests.allTenants || kind == "internalGuest" {
                return (.yes, why("guest or external user type \(kind)"))
            }
            result = result || .unknown
            because = why("guest or external user type \(kind), tenant not known")
        }
        return (result, because)
    }

    /// Learn, "Authentication and Conditional Access for External ID": B2B collaboration guests (userType Guest,
    /// invited), B2B collaboration members (userType Member, invited), local guests (userType Guest, credentials
    /// here). An invitation shows as `externalUserState`, `creationType: Invitation` or `#EXT#` in the UPN.
    func externalKind(_ user: ModelTenant.User) -> String? {
        let invited = !(user.externalUserState ?? "").isEmpty || user.creationType == "Invitation"
            || user.userPrincipalName.uppercased().contains("#EXT#")
        if user.userType == "Guest" { return invited ? "b2bCollaborationGuest" : "internalGuest" }
        return invited ? "b2bCollaborationMember" : nil
    }

    /// Transitive membership; a group under it whose members are not in the snapshot makes it unknown.
    func isMember(_ facts: UserFacts, ofGroup groupID: String) -> Tri {
        if facts.groups.contains(groupID) { return .yes }
        return tenant.groupsReachingUnknown.contains(groupID) || tenant.groupMembers[groupID] == nil ? .unknown : .no
    }

    struct ActiveRole {
        var templateID: String
        var isBuiltIn: Bool
        var scope: String
    }

    /// Active assignments at `now`: the schedule instances whose window contains it (permanent, time-bound and
    /// PIM-activated), and role assignments with no instance (no P2: every assignment is permanent); directly or
    /// through a (role-assignable) group the user is a member of. Eligibility does not count.
    func activeRoles(of userID: String) -> [ActiveRole] {
        let principals = Set([userID] + (tenant.directGroupsOfPrincipal[userID] ?? []))
        var active: [(role: String, scope: String)] = []
        let assignments = tenant.roleAssignments.filter { principals.contains($0.principalID) }
        if let instances = tenant.scheduleInstances {
            for instance in instances where principals.contains(instance.principalID) {
                let started = instance.start.map { $0 <= tenant.now } ?? true
                let running = instance.end.map { tenant.now < $0 } ?? true
                if started, running { active.append((instance.roleDefinitionID, instance.scope)) }
            }
            for assignment in assignments {
                let hasInstance = instances.contains {
                    $0.principalID == assignment.principalID && $0.roleDefinitionID == assignment.roleDefinitionID
                        && $0.scope == assignment.scope
                }
                if !hasInstance {
                    active.append((assignment.roleDefinitionID, assignment.scope))
                }
            }
        } else {
            active = assignments.map { ($0.roleDefinitionID, $0.scope) }
        }
        return active.map { role, scope in
            let definition = tenant.roleDefinitions[role]
            return ActiveRole(templateID: definition?.templateID ?? role, isBuiltIn: definition?.isBuiltIn ?? true,
                              scope: scope)
        }
    }

    /// Learn, "Users and groups": only built-in directory roles; "Other role types aren't supported, including
    /// administrative unit-scoped roles and custom roles".
    func holdsRole(_ facts: UserFacts, template: String) -> Bool {
        facts.activeRoles.contains { role in
            role.templateID == template
                && role.isBuiltIn && role.scope == "/"
        }
    }

    // MARK: Applications, platforms, locations, devices

    func applications(_ policy: ModelPolicy, resource: String) -> (Tri, String) {
        if policy.includeApplications.isEmpty,
           !policy.includeUserActions.isEmpty || !policy.includeAuthenticationContexts.isEmpty {
            return (.no, "targets user actions or authentication contexts, not a sign-in to a resource")
        }
        let name = ModelAliases.name(resource)
        guard let included = policy.includeApplications.first(where: { Self.names($0, resource) }) else {
            return (.no, why("\(name) not in \(policy.includeApplications)"))
        }
        if let excluded = policy.excludeApplications.first(where: { Self.names($0, resource) }) {
            return (.no, why("\(name) excluded by \(excluded)"))
        }
        return (.yes, why("\(name) included by \(included)"))
    }

    static func names(_ entry: String, _ resource: String) -> Bool {
        switch entry.lowercased() {
        case "all": true
        case "office365": ModelAliases.isOffice365(resource)
        case "microsoftadminportals": ModelAliases.isAdminPortal(resource)
        case ModelAliases.azureManagement: ModelAliases.isInAzureManagementSuite(resource)
        default: entry.lowercased() == resource.lowercased()
        }
    }

    func platforms(_ policy: ModelPolicy, platform: String) -> (Tri, String) {
        guard let include = policy.includePlatforms else { return (.yes, "") }
        let included = include.contains("all") || (platform != "unknown" && include.contains(platform))
        let excluded = policy.excludePlatforms.contains(platform)
        return (Tri(included && !excluded),
                why("platform \(platform) vs include \(include) exclude \(policy.excludePlatforms)"))
    }

    func locations(_ policy: ModelPolicy, signIn: ModelSignIn) -> (Tri, String) {
        guard let include = policy.includeLocations else { return (.yes, "") }
        let included = include.reduce(Tri.no) { $0 || isIn($1, signIn) }
        let excluded = policy.excludeLocations.reduce(Tri.no) { $0 || isIn($1, signIn) }
        let place = why("ip \(signIn.ip ?? "none") country \(signIn.country ?? "none")")
        return (included && !excluded,
                why("\(place) vs include \(include) exclude \(policy.excludeLocations)"))
    }

    /// Learn, "Network assignment": Any location is any address; All trusted is every location marked trusted;
    /// "Include unknown countries/regions" covers addresses that map to no country. A sign-in with no ip and no
    /// country is in no named location (spec). A location id the snapshot's named-locations.json does not have
    /// (deleted, or not readable when captured) cannot be checked: unknown.
    func isIn(_ location: String, _ signIn: ModelSignIn) -> Tri {
        switch location.lowercased() {
        case "all": return .yes
        case "alltrusted":
            return Tri(tenant.namedLocations.values.contains { $0.isTrusted && contains($0, signIn) })
        default:
            guard let named = tenant.namedLocations[location.lowercased()] else { return .unknown }
            return Tri(contains(named, signIn))
        }
    }

    func contains(_ location: ModelTenant.NamedLocation, _ signIn: ModelSignIn) -> Bool {
        if location.isIPLocation {
            guard let text = signIn.ip, let address = ModelIPAddress(text) else { return false }
            return location.ranges.contains { $0.contains(address) }
        }
        if let country = signIn.country { return location.countries.contains(country.uppercased()) }
        return signIn.ip != nil && location.includeUnknownCountries
    }

    func deviceFilter(_ policy: ModelPolicy, device: ModelDevice?) -> (Tri, String) {
        guard let filter = policy.deviceFilter else { return (.yes, "") }
        guard let rule = policy.deviceRule else {
            return (.unknown, why("rule not understood: \(filter.rule)"))
        }
        let matches = rule.evaluate { property in
            guard let device else { return .null }
            return device.value(of: property)
        }
        let applies = filter.mode.lowercased() == "exclude" ? !matches : matches
        return (applies, why("\(filter.mode) \(filter.rule): rule \(matches)"))
    }

    // MARK: Requirements

    func requirement(_ policy: ModelPolicy) -> ModelRequirement? {
        guard policy.hasGrantControls else { return nil }
        if policy.builtInControls.contains("block") {
            return ModelRequirement(blocks: true, operatorIsAND: false, controls: ["block"])
        }
        var controls = policy.builtInControls
        controls += policy.termsOfUse.map { why("termsOfUse:\($0)") }
        if let strength = policy.strength { controls.append(why("authenticationStrength:\(strength.displayName)")) }
        guard !controls.isEmpty else { return nil }
        return ModelRequirement(blocks: false, operatorIsAND: policy.operatorIsAND, controls: controls)
    }

    func isSatisfied(_ policy: ModelPolicy, requirement: ModelRequirement, signIn: ModelSignIn,
                     abilities: Abilities) -> (Bool, String) {
        if signIn.isLegacyClient {
            return (false, why("a legacy client (\(signIn.clientApp)) cannot satisfy \(requirement.controls)"))
        }
        var available: [String] = []
        var missing: [String] = []
        func record(_ control: String, _ isAvailable: Bool) {
            if isAvailable { available.append(control) } else { missing.append(control) }
        }
        for control in policy.builtInControls { record(control, abilities.canSatisfy(control)) }
        for terms in policy.termsOfUse { record(why("termsOfUse:\(terms)"), abilities.has("termsOfUse")) }
        if let strength = policy.strength {
            record(why("authenticationStrength:\(strength.displayName)"), abilities.satisfies(strength))
        }
        let satisfied = requirement.operatorIsAND ? missing.isEmpty : !available.isEmpty
        return (satisfied, why("available \(available), missing \(missing) [\(abilities)]"))
    }

    func securityDefaultsOutcome(signIn: ModelSignIn, facts: UserFacts,
                                 abilities: Abilities) -> SecurityDefaultsOutcome {
        guard tenant.securityDefaultsEnabled else { return .none }
        if signIn.isLegacyClient { return .blocks }
        let admin = facts.activeRoles.contains { role in
            role.isBuiltIn && role.scope == "/" && Self.securityDefaultsRoles.contains(role.templateID)
        }
        let management = [ModelAliases.azurePortal, ModelAliases.azureManagement].contains(signIn.resource.lowercased())
        guard admin || management else { return .none }
        return .requiresMFA(satisfied: abilities.canSatisfy("mfa"))
    }
}

// MARK: - What the person can do

/// The sign-in's capabilities: explicit ones describe the person and the `device` flags always add theirs; without
/// explicit ones the registered methods decide each combination (spec, "Sign-in context" and "Decision").
struct Abilities: CustomStringConvertible {
    var explicit: Set<String>?
    let compliantDevice: Bool
    let hybridJoinedDevice: Bool
    /// Graph `authenticationMethodModes` the registered methods give.
    var modes: Set<String> = []
    var fido2AAGUIDs: [String] = []
    /// A usable temporary access pass whose `isUsableOnce` the snapshot lacks.
    var passOfUnknownKind = false
    let methodsKnown: Bool

    init(model: ReferenceModel, userID: String, signIn: ModelSignIn) {
        explicit = signIn.capabilities
        compliantDevice = signIn.device?.isCompliant ?? false
        hybridJoinedDevice = signIn.device?.isHybridJoined ?? false
        let methods = model.tenant.methods[userID]
        methodsKnown = methods != nil
        for method in methods ?? [] { add(method, now: model.tenant.now) }
        // Learn, Graph `authorizationInfo.certificateUserIds`: certificate-based authentication is not a method in
        // /authentication/methods. Whether a certificate sign-in is single- or multifactor is the tenant's
        // authentication binding (Graph `x509CertificateAuthenticationModeConfiguration`, default mode
        // `x509CertificateSingleFactor`), which a snapshot does not hold: the model counts a bound certificate as no
        // mode at all — it claims no strength the account may not meet (lock-out analysis: never a guessed pass).
        isFederatedUser = model.tenant.isFederated(userID)
    }

    /// The user's domain is federated (domains.json `authenticationType`): only such a user signs in at a federation
    /// service and can present `federatedMultiFactor` or `… + federatedSingleFactor` (Learn, "Authentication
    /// strengths", built-in strengths table: "Federated single-factor + something you have", "Federated
    /// Multi-Factor").
    var isFederatedUser = false

    mutating func add(_ method: ModelTenant.Method, now: Date) {
        switch method.kind {
        case "passwordAuthenticationMethod":
            modes.insert("password")
        case "fido2AuthenticationMethod":
            modes.insert("fido2")
            if let guid = method.string("aaGuid") { fido2AAGUIDs.append(guid.lowercased()) }
        case "windowsHelloForBusinessAuthenticationMethod": modes.insert("windowsHelloForBusiness")
        case "microsoftAuthenticatorAuthenticationMethod":
            modes.insert("microsoftAuthenticatorPush")
            // Graph: createdDateTime "is null if the device isn't registered for passwordless Phone Sign-In".
            if method.string("createdDateTime") != nil {
                modes.insert("deviceBasedPush")
            }
        case "phoneAuthenticationMethod": modes.formUnion(["sms", "voice"])
        case "softwareOathAuthenticationMethod": modes.insert("softwareOath")
        case "temporaryAccessPassAuthenticationMethod":
            // Graph: isUsable, methodUsabilityReason (Expired, NotYetValid, OneTimeUsed), startDateTime and
            // lifetimeInMinutes. Only a usable pass within its lifetime is a method.
            let start = method.start
            let lifetime = (method.fields["lifetimeInMinutes"] as? Int) ?? 0
            let withinLifetime = start.map { $0 <= now && now < $0.addingTimeInterval(Double(lifetime) * 60) } ?? false
            // A pass not yet valid when captured becomes usable at its startDateTime (Graph: startDateTime is "when the
            // Temporary Access Pass becomes available to use and when isUsable is true is enforced").
            let notYetValid = method.string("methodUsabilityReason") == "NotYetValid"
            let usable = ((method.fields["isUsable"] as? Bool) == true || notYetValid) && withinLifetime
            // Graph `authenticationMethodModes`: temporaryAccessPassOneTime and temporaryAccessPassMultiUse are apart;
            // `isUsableOnce` says which a pass is. Without it, only a strength allowing both is sure.
            if usable {
                switch method.fields["isUsableOnce"] as? Bool {
                case true?: modes.insert("temporaryAccessPassOneTime")
                case false?: modes.insert("temporaryAccessPassMultiUse")
                case nil: passOfUnknownKind = true
                }
            }
        default: break
        }
    }

    func isAvailable(_ combination: String, restrictedTo aaguids: [String]?) -> Bool {
        let factors = ReferenceModel.factors(of: combination)
        if let aaguids, !aaguids.isEmpty, factors.contains("fido2") {
            // Learn, strength advanced options: only keys whose AAGUID is listed; the spec: "only by a registered key
            // of a listed model", whether the capabilities are explicit or not.
            let listed = fido2AAGUIDs.contains { aaguids.contains($0) }
            return listed && (explicit.map { $0.contains("phishingResistantMfa") } ?? true)
        }
        if let explicit {
            if factors.isSubset(of: ReferenceModel.phishingResistantFactors) {
                return explicit.contains("phishingResistantMfa")
            }
            // Federated combinations need a federated user (`isFederatedUser`).
            return ReferenceModel.multifactorCombinations.contains(combination)
                && (isFederatedUser || !combination.contains("federated")) && explicit.contains("mfa")
        }
        return factors.isSubset(of: modes)
    }

    func has(_ capability: String) -> Bool {
        let fromDevice = (capability == "compliantDevice" && compliantDevice)
            || (capability == "domainJoinedDevice" && hybridJoinedDevice)
        if let explicit {
            return explicit.contains(capability) || fromDevice
        }
        switch capability {
        case "mfa":
            return passOfUnknownKind
                || ReferenceModel.multifactorCombinations.contains { isAvailable($0, restrictedTo: nil) }
        case "phishingResistantMfa":
            return ReferenceModel.phishingResistantCombinations.contains { isAvailable($0, restrictedTo: nil) }
        // A person can accept terms of use (interactively; legacy clients cannot, see `isSatisfied`).
        case "termsOfUse": return true
        default: return fromDevice
        }
    }

    /// A built-in control. `passwordChange` needs MFA first (Learn, "Grant": "they're first required to complete
    /// multifactor authentication"); with derived capabilities a person who can do MFA can change the password.
    func canSatisfy(_ control: String) -> Bool {
        switch control {
        case "mfa": return has("mfa") || has("phishingResistantMfa")
        case "passwordChange":
            let willing = explicit?.contains("passwordChange") ?? true
            return willing && (has("mfa") || has("phishingResistantMfa"))
        default: return has(control)
        }
    }

    func satisfies(_ strength: ModelTenant.Strength) -> Bool {
        return satisfiesCombinations(strength)
    }

    func satisfiesCombinations(_ strength: ModelTenant.Strength) -> Bool {
        let combinations = strength.isBuiltIn
            ? (ReferenceModel.builtInStrengths[strength.id] ?? strength.allowedCombinations)
            : strength.allowedCombinations
        if passOfUnknownKind, explicit == nil,
           ["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"].allSatisfy(combinations.contains) {
            return true
        }
        return combinations.contains { isAvailable($0, restrictedTo: strength.allowedAAGUIDs[$0]) }
    }

    var description: String {
        if let explicit {
            let device = [compliantDevice ? "compliant" : nil, hybridJoinedDevice ? "hybridJoined" : nil]
                .compactMap { $0 }
            return "explicit \(explicit.sorted()) device \(device)"
        }
        return methodsKnown ? "methods \(modes.sorted()) aaGuids \(fido2AAGUIDs)" : "methods unknown"
    }
}

// MARK: - Results

struct ModelRequirement {
    var blocks: Bool
    var operatorIsAND: Bool
    var controls: [String]
}

struct ModelVerdict {
    var policyID: String
    var displayName: String
    var state: String
    var applies: Tri
    var reasons: [String]
    var requirement: ModelRequirement?
    var satisfied: Bool?
}

enum SecurityDefaultsOutcome: Equatable, CustomStringConvertible {
    case none
    case blocks
    case requiresMFA(satisfied: Bool)

    var description: String {
        switch self {
        case .none: "requires nothing"
        case .blocks: "blocks"
        case .requiresMFA(let satisfied): "requires mfa (\(satisfied ? "at hand" : "not at hand"))"
        }
    }
}

struct ModelResult {
    var decision: String
    var verdicts: [ModelVerdict]
    var securityDefaults: SecurityDefaultsOutcome
    var blockReasons: [String]
}

import EntraModel
import Foundation

/// A policy's grant controls, compiled once: what it requires and how each requirement is met.
struct GrantCondition: Sendable {
    enum Control: Sendable {
        /// The name as the policy writes it, and lowercased.
        case builtIn(String, key: String)
        case strength(StrengthRequirement)
        case termsOfUse(String)
        case customFactor(String)

        var label: String {
            switch self {
            case .builtIn(let name, _): name
            case .strength(let strength): "authenticationStrength:\(strength.name)"
            case .termsOfUse(let id): "termsOfUse:\(id)"
            case .customFactor(let id): "customAuthenticationFactor:\(id)"
            }
        }
    }

    let requirement: Requirement?
    let controls: [Control]
    let isAnd: Bool

    init(_ grant: ConditionalAccessPolicy.GrantControls?, strengths: [String: AuthenticationStrengthPolicy]) {
        guard let grant else {
            requirement = nil
            controls = []
            isAnd = false
            return
        }
        var controls: [Control] = grant.builtInControls.map { .builtIn($0, key: $0.lowercased()) }
        if let strength = grant.authenticationStrength {
            controls.append(.strength(StrengthRequirement(strength, tenant: strengths)))
        }
        controls += grant.termsOfUse.map { .termsOfUse($0) }
        controls += grant.customAuthenticationFactors.map { .customFactor($0) }
        self.controls = controls
        isAnd = grant.operator.caseInsensitiveCompare("AND") == .orderedSame
        requirement = controls.isEmpty
            ? nil : Requirement(blocks: grant.blocks, operator: isAnd ? "AND" : "OR", controls: controls.map(\.label))
    }

    struct Outcome: Sendable {
        var satisfied: Bool
        /// The controls the person can meet (for OR, any one of them will do).
        var available: [String]
        var missing: [String]
        var notes: [String]
        /// What decided each control, as a person checks it against Entra's What If: "mfa: available (registered
        /// method fido2)", "authenticationStrength:Phishing-resistant MFA: no allowed combination at hand".
        var evidence: [String] = []
    }

    /// OR: satisfied iff some control is available; AND: iff all are. `block` is never satisfied. A legacy client
    /// (Exchange ActiveSync, other clients) can present no control at all (Learn, "Conditional Access: client apps").
    func satisfaction(_ atHand: AuthenticationAtHand, legacyClient: Bool = false) -> Outcome {
        if requirement?.blocks == true {
            return Outcome(satisfied: false, available: [], missing: ["block"], notes: [], evidence: ["block"])
        }
        if legacyClient {
            let labels = controls.map(\.label)
            return Outcome(satisfied: false, available: [], missing: labels, notes: [],
                           evidence: ["legacy client: cannot perform MFA or present device state, so no grant "
                               + "control can be satisfied"])
        }
        var available: [String] = []
        var missing: [String] = []
        var notes: [String] = []
        var evidence: [String] = []
        for control in controls {
            let isAvailable: Bool
            let why: String
            switch control {
            case .builtIn(let name, let key):
                (isAvailable, why) = Self.availability(builtIn: key, name: name, atHand: atHand, notes: &notes)
            case .strength(let strength):
                (isAvailable, why) = strength.satisfaction(atHand, notes: &notes)
            case .termsOfUse:
                isAvailable = atHand.capabilities.contains(.termsOfUse)
                why = isAvailable ? atHand.explain(.termsOfUse) : "termsOfUse not at hand"
            case .customFactor(let id):
                isAvailable = false
                why = "not modelled"
                notes.append("custom authentication factor \(id) cannot be evaluated: treated as unavailable")
            }
            evidence.append("\(control.label): " + (isAvailable ? "available, " : "missing, ") + why)
            if isAvailable { available.append(control.label) } else { missing.append(control.label) }
        }
        let satisfied = isAnd ? missing.isEmpty : !available.isEmpty
        return Outcome(satisfied: satisfied, available: available, missing: satisfied ? [] : missing, notes: notes,
                       evidence: evidence)
    }

    /// `key` is the control's name lowercased.
    static func availability(builtIn key: String, name: String, atHand: AuthenticationAtHand,
                             notes: inout [String]) -> (Bool, String) {
        let capabilities = atHand.capabilities
        func has(_ capability: Capability) -> (Bool, String) {
            capabilities.contains(capability)
                ? (true, atHand.explain(capability)) : (false, "\(capability.rawValue) not at hand")
        }
        let mfa: (Bool, String) = capabilities.contains(.phishingResistantMfa)
            ? (true, atHand.explain(.phishingResistantMfa)) : has(.mfa)
        switch key {
        case "block": return (false, "block")
        case "mfa": return mfa
        case "compliantdevice": return has(.compliantDevice)
        case "domainjoineddevice": return has(.domainJoinedDevice)
        case "approvedapplication": return has(.approvedApplication)
        case "compliantapplication": return has(.compliantApplication)
        case "passwordchange", "riskremediation":
            // Learn, "Conditional Access: Grant": require password change needs the user to complete MFA first;
            // Microsoft-managed remediation is MFA, then a secure password change for password users.
            let change = has(.passwordChange)
            guard change.0 else { return change }
            guard mfa.0 else { return (false, "password change needs MFA first, and no MFA is at hand") }
            return (true, "\(change.1) after \(mfa.1)")
        default:
            notes.append("grant control \(name) is not modelled: treated as unavailable")
            return (false, "not modelled")
        }
    }
}

/// An authentication strength as a requirement, met when one of its allowed combinations is at hand
/// (`AuthenticationAtHand.combinations`) — for built-in and custom strengths alike. For `fido2` restricted by a
/// `fido2CombinationConfiguration`, only a registered key whose AAGUID is listed counts (Learn, "Custom
/// authentication strengths: FIDO2 security key advanced options").
struct StrengthRequirement: Sendable {
    let id: String
    let name: String
    /// Normalized combinations; nil when a custom strength's combinations are not known.
    let allowed: Set<String>?
    /// Lowercased AAGUIDs allowed for `fido2`; nil when unrestricted.
    let fido2Models: Set<String>?

    init(_ strength: AuthenticationStrengthPolicy, tenant: [String: AuthenticationStrengthPolicy]) {
        let id = strength.id.lowercased()
        let known = tenant[id] ?? AuthenticationStrengthPolicy.builtIn.first { $0.id == id }
        self.id = id
        name = strength.displayName ?? known?.displayName ?? strength.id
        let combinations = strength.allowedCombinations.isEmpty
            ? known?.allowedCombinations ?? [] : strength.allowedCombinations
        allowed = combinations.isEmpty ? nil : Set(combinations.map(Self.normalize))
        let configurations = strength.combinationConfigurations.isEmpty
            ? known?.combinationConfigurations ?? [] : strength.combinationConfigurations
        let restrictions = configurations.filter {
            $0.isFIDO2KeyRestriction && $0.appliesToCombinations.contains { Self.normalize($0) == "fido2" }
        }
        fido2Models = restrictions.isEmpty
            ? nil : Set(restrictions.flatMap(\.allowedAAGUIDs).map { $0.lowercased() })
    }

    func satisfaction(_ atHand: AuthenticationAtHand, notes: inout [String]) -> (Bool, String) {
        guard let allowed else {
            notes.append("authentication strength \(name) has no known allowed combinations: cannot be satisfied")
            return (false, "its allowed combinations are unknown")
        }
        var restricted = false
        let anyPass: Set<String> = ["temporaryaccesspassonetime", "temporaryaccesspassmultiuse"]
        if atHand.combinations.contains(AuthenticationMethod.temporaryAccessPassOfUnknownKind.lowercased()),
           anyPass.isSubset(of: allowed)
        {
            return (true, "a Temporary Access Pass (one-time and multi-use are both allowed)")
        }
        for combination in allowed.intersection(atHand.combinations).sorted() {
            guard combination == "fido2", let models = fido2Models else {
                return (true, "combination \(combination) at hand")
            }
            guard let registered = atHand.fido2Models else {
                notes.append("\(name) accepts only some FIDO2 key models and the user's keys are not in the snapshot")
                restricted = true
                continue
            }
            if let model = registered.intersection(models).sorted().first {
                return (true, "combination fido2 with a registered key of an allowed model (AAGUID \(model))")
            }
            restricted = true
        }
        return (false, restricted
            ? "fido2 is restricted to key models (AAGUIDs) \(fido2Models?.sorted().joined(separator: ", ") ?? "") and no "
                + "registered key is one of them"
            : "no allowed combination at hand")
    }

    /// `password, sms` and `sms,password` are the same combination: lowercased, sorted, comma-joined.
    static func normalize(_ combination: String) -> String {
        combination.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.sorted()
            .joined(separator: ",")
    }
}

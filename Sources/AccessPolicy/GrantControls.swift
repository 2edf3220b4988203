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
    }

    /// OR: satisfied iff some control is available; AND: iff all are. `block` is never satisfied.
    func satisfaction(capabilities: Set<Capability>, methods: [AuthenticationMethod]?) -> Outcome {
        var available: [String] = []
        var missing: [String] = []
        var notes: [String] = []
        var combinations: Set<String>?
        for control in controls {
            let isAvailable: Bool
            switch control {
            case .builtIn(let name, let key):
                isAvailable = Self.isAvailable(builtIn: key, name: name, capabilities: capabilities, notes: &notes)
            case .strength(let strength):
                if case .custom = strength.kind, combinations == nil {
                    combinations = StrengthRequirement.availableCombinations(
                        capabilities: capabilities, methods: methods)
                }
                isAvailable = strength.isSatisfied(capabilities: capabilities, combinations: combinations ?? [],
                                                   notes: &notes)
            case .termsOfUse:
                isAvailable = capabilities.contains(.termsOfUse)
            case .customFactor(let id):
                isAvailable = false
                notes.append("custom authentication factor \(id) cannot be evaluated: treated as unavailable")
            }
            if isAvailable { available.append(control.label) } else { missing.append(control.label) }
        }
        let satisfied = isAnd ? missing.isEmpty : !available.isEmpty
        if requirement?.blocks == true {
            return Outcome(satisfied: false, available: [], missing: ["block"], notes: notes)
        }
        return Outcome(satisfied: satisfied, available: available, missing: satisfied ? [] : missing, notes: notes)
    }

    /// `key` is the control's name lowercased.
    static func isAvailable(builtIn key: String, name: String, capabilities: Set<Capability>,
                            notes: inout [String]) -> Bool {
        let mfa = capabilities.contains(.mfa) || capabilities.contains(.phishingResistantMfa)
        switch key {
        case "block": return false
        case "mfa": return mfa
        case "compliantdevice": return capabilities.contains(.compliantDevice)
        case "domainjoineddevice": return capabilities.contains(.domainJoinedDevice)
        case "approvedapplication": return capabilities.contains(.approvedApplication)
        case "compliantapplication": return capabilities.contains(.compliantApplication)
        case "passwordchange": return capabilities.contains(.passwordChange)
        case "riskremediation":
            // Microsoft-managed remediation: MFA, then a secure password change for password users.
            return mfa && capabilities.contains(.passwordChange)
        default:
            notes.append("grant control \(name) is not modelled: treated as unavailable")
            return false
        }
    }
}

/// An authentication strength as a requirement. Built-in strengths go by id (spec/evaluation.md): Multifactor is
/// met by `mfa` or `phishingResistantMfa`, Passwordless and Phishing-resistant by `phishingResistantMfa`. A custom
/// strength is met when one of its allowed combinations is available.
struct StrengthRequirement: Sendable {
    enum Kind: Sendable {
        case multifactor
        case phishingResistant
        /// Normalized combinations (see `normalize`).
        case custom(Set<String>)
        /// A custom strength whose combinations are not known.
        case undefined
    }

    let id: String
    let name: String
    let kind: Kind

    init(_ strength: AuthenticationStrengthPolicy, tenant: [String: AuthenticationStrengthPolicy]) {
        let id = strength.id.lowercased()
        let known = tenant[id] ?? AuthenticationStrengthPolicy.builtIn.first { $0.id == id }
        self.id = id
        name = strength.displayName ?? known?.displayName ?? strength.id
        switch id {
        case AuthenticationStrengthPolicy.multifactorID: kind = .multifactor
        case AuthenticationStrengthPolicy.passwordlessID, AuthenticationStrengthPolicy.phishingResistantID:
            kind = .phishingResistant
        default:
            let combinations = strength.allowedCombinations.isEmpty
                ? known?.allowedCombinations ?? [] : strength.allowedCombinations
            kind = combinations.isEmpty ? .undefined : .custom(Set(combinations.map(Self.normalize)))
        }
    }

    func isSatisfied(capabilities: Set<Capability>, combinations: Set<String>, notes: inout [String]) -> Bool {
        switch kind {
        case .multifactor: return capabilities.contains(.mfa) || capabilities.contains(.phishingResistantMfa)
        case .phishingResistant: return capabilities.contains(.phishingResistantMfa)
        case .custom(let allowed): return !allowed.isDisjoint(with: combinations)
        case .undefined:
            notes.append("authentication strength \(name) has no known allowed combinations: cannot be satisfied")
            return false
        }
    }

    /// `password, sms` and `sms,password` are the same combination: lowercased, sorted, comma-joined.
    static func normalize(_ combination: String) -> String {
        combination.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.sorted()
            .joined(separator: ",")
    }

    static let phishingResistantCombinations: Set<String> = ["fido2", "windowshelloforbusiness",
                                                              "x509certificatemultifactor"]
    static let singleFactorMethods: Set<String> = ["password", "federatedsinglefactor", "x509certificatesinglefactor"]
    /// The non-phishing-resistant MFA combinations (those of the built-in Multifactor strength).
    static let otherMFACombinations: Set<String> = {
        let multifactor = AuthenticationStrengthPolicy.builtIn.first {
            $0.id == AuthenticationStrengthPolicy.multifactorID
        }
        return Set((multifactor?.allowedCombinations ?? []).map(normalize)).subtracting(phishingResistantCombinations)
    }()

    /// The capability a combination needs to work now: none for single-factor ones, `phishingResistantMfa` for
    /// FIDO2/Windows Hello/certificate MFA, `mfa` for the rest.
    static func isUsable(_ combination: String, capabilities: Set<Capability>) -> Bool {
        if phishingResistantCombinations.contains(combination) { return capabilities.contains(.phishingResistantMfa) }
        if combination.split(separator: ",").allSatisfy({ singleFactorMethods.contains(String($0)) }) { return true }
        return capabilities.contains(.mfa)
    }

    /// Combinations available for a custom strength. With the user's registered methods known: the combinations
    /// those methods give (`AuthenticationMethod.strengthCombinations`) that the capabilities let work now, so an
    /// MFA outage also disables registered phone methods. With methods unknown: what the capabilities imply
    /// (`phishingResistantMfa` → FIDO2, Windows Hello, certificate MFA; `mfa` → the other MFA combinations).
    static func availableCombinations(capabilities: Set<Capability>, methods: [AuthenticationMethod]?) -> Set<String> {
        guard let methods else {
            var result: Set<String> = ["password"]
            if capabilities.contains(.phishingResistantMfa) { result.formUnion(phishingResistantCombinations) }
            if capabilities.contains(.mfa) { result.formUnion(otherMFACombinations) }
            return result
        }
        let registered = Set(methods.flatMap(\.strengthCombinations).map(normalize))
        return registered.filter { isUsable($0, capabilities: capabilities) }
    }
}

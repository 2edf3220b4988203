import EntraModel
import Foundation

/// What the person can present at one sign-in, by one rule for built-in controls and authentication strengths
/// (spec/evaluation.md, "Decision"): `capabilities` meet the built-in controls, `combinations` meet strengths.
///
/// - Explicit capabilities describe the *person* and are coarse: `phishingResistantMfa` makes the FIDO2, Windows
///   Hello and certificate-MFA combinations available, `mfa` every other multifactor combination — the federated
///   ones only for a user of a federated domain. The device flags
///   still add `compliantDevice` / `domainJoinedDevice`: explicit capabilities never take away what the device gives.
/// - Without them the registered methods decide each combination (an expired or used Temporary Access Pass is not a
///   method — `Directory.authenticationMethods(ofUser:at:)` leaves it out); a person can always accept terms of use
///   and change a password (which needs MFA first: `GrantCondition`).
/// - An authentication outage (a failure scenario) takes away what stops working: all MFA, or the methods that need
///   a phone.
struct AuthenticationAtHand: Sendable, Hashable {
    var capabilities: Set<Capability>
    /// Normalized combinations (`StrengthRequirement.normalize`) available now.
    var combinations: Set<String>
    /// The AAGUIDs (lowercased) of the registered FIDO2 keys usable now; nil when the user's methods are unknown.
    var fido2Models: Set<String>?
    /// Why each capability is at hand, as a person reads it: "registered method fido2", "device flag compliant".
    var sources: [Capability: String]
    var notes: [String]

    static let phishingResistantCombinations: Set<String> = ["fido2", "windowshelloforbusiness",
                                                              "x509certificatemultifactor"]
    /// The non-phishing-resistant MFA combinations (those of the built-in Multifactor strength).
    static let otherMFACombinations: Set<String> = {
        let multifactor = AuthenticationStrengthPolicy.builtIn.first {
            $0.id == AuthenticationStrengthPolicy.multifactorID
        }
        return Set((multifactor?.allowedCombinations ?? []).map(StrengthRequirement.normalize))
            .subtracting(phishingResistantCombinations)
    }()
    /// The combinations that start at a federation service (`federatedMultiFactor`, `… + federatedSingleFactor`):
    /// only a user of a federated domain can present them (Learn, "Authentication strengths": "Federated single-factor
    /// + something you have", "Federated Multi-Factor" are sign-ins at a federated identity provider).
    static let federatedCombinations: Set<String> = otherMFACombinations.filter { $0.contains("federated") }

    /// `isFederatedUser`: the user's domain is federated, so explicit `mfa` also covers the federated combinations.
    init(context: SignInContext, methods registered: [AuthenticationMethod]?, isFederatedUser: Bool = false) {
        var sources: [Capability: String] = [:]
        var capabilities: Set<Capability> = []
        var notes: [String] = []
        if context.device.isCompliant {
            capabilities.insert(.compliantDevice)
            sources[.compliantDevice] = "device flag compliant"
        }
        if context.device.isHybridJoined {
            capabilities.insert(.domainJoinedDevice)
            sources[.domainJoinedDevice] = "device flag hybridJoined"
        }
        let methods = registered.map { list in list.filter { context.outage.leavesUsable($0) } }
        fido2Models = methods.map { list in
            Set(list.filter { $0.kind == "fido2" }.compactMap { $0.aaGuid?.lowercased() })
        }
        if var given = context.capabilities {
            given.subtract(context.outage.removedCapabilities)
            for capability in given where sources[capability] == nil {
                sources[capability] = "given in capabilities"
            }
            capabilities.formUnion(given)
            var combinations: Set<String> = ["password"]
            if given.contains(.phishingResistantMfa) { combinations.formUnion(Self.phishingResistantCombinations) }
            if given.contains(.mfa) {
                combinations.formUnion(isFederatedUser
                    ? Self.otherMFACombinations : Self.otherMFACombinations.subtracting(Self.federatedCombinations))
            }
            self.combinations = combinations
        } else {
            for capability in [Capability.termsOfUse, .passwordChange] {
                capabilities.insert(capability)
                sources[capability] = "anyone can do it at the sign-in screen"
            }
            var combinations: Set<String> = ["password"]
            if let methods {
                for method in methods {
                    combinations.formUnion(method.strengthCombinations.map(StrengthRequirement.normalize))
                    let name = "registered method \(method.kind)"
                    if method.isPhishingResistant {
                        capabilities.insert(.phishingResistantMfa)
                        sources[.phishingResistantMfa] = sources[.phishingResistantMfa] ?? name
                    }
                    if method.satisfiesMFA {
                        capabilities.insert(.mfa)
                        sources[.mfa] = sources[.mfa] ?? name
                    }
                }
                if let outage = context.outage.description, methods.count < (registered?.count ?? 0) {
                    notes.append("\(outage): only \(methods.map(\.kind).joined(separator: ", ").ifEmpty("no method")) works")
                }
            } else {
                notes.append("the user's authentication methods are not in the snapshot: no MFA assumed "
                    + "(give capabilities to say what the person can do)")
            }
            self.combinations = combinations
        }
        self.capabilities = capabilities
        self.sources = sources
        self.notes = notes
    }

    var hasMFA: Bool { capabilities.contains(.mfa) || capabilities.contains(.phishingResistantMfa) }

    /// "mfa (registered method fido2)".
    func explain(_ capability: Capability) -> String {
        sources[capability].map { "\(capability.rawValue) (\($0))" } ?? capability.rawValue
    }
}

/// An authentication service that is down in a failure scenario.
public enum AuthenticationOutage: String, Sendable, Hashable, CaseIterable {
    case none
    /// No MFA of any kind works.
    case allMFA
    /// Phone-based MFA (SMS, voice, Microsoft Authenticator, software OATH) is down; FIDO2 keys, Windows Hello,
    /// certificates and hardware OATH tokens still work.
    case phoneMFA

    var description: String? {
        switch self {
        case .none: nil
        case .allMFA: "no MFA works"
        case .phoneMFA: "phone-based MFA is down"
        }
    }

    func leavesUsable(_ method: AuthenticationMethod) -> Bool {
        switch self {
        case .none: true
        case .allMFA: !method.satisfiesMFA
        case .phoneMFA: method.isPhoneIndependent
        }
    }

    /// What explicit capabilities lose: phishing-resistant MFA needs no phone, so a phone outage leaves it.
    var removedCapabilities: Set<Capability> {
        switch self {
        case .none: []
        case .allMFA: [.mfa, .phishingResistantMfa]
        case .phoneMFA: [.mfa]
        }
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

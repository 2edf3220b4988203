import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

@Suite("AccessPolicy grant controls")
struct AccessPolicyGrantControlTests {
    let evaluator: Evaluator = {
        var tenant = AccessTestTenant()
        tenant.strengths = [
            AuthenticationStrengthPolicy(id: "strength-fido", displayName: "FIDO2 only",
                                         allowedCombinations: ["fido2"]),
        ]
        return tenant.evaluator
    }()

    func policy(strength: AuthenticationStrengthPolicy? = nil, builtIn: [String] = [], operator: String = "OR",
                termsOfUse: [String] = [], factors: [String] = []) -> ConditionalAccessPolicy {
        ConditionalAccessPolicy(id: "p", displayName: "P", grantControls: .init(
            operator: `operator`, builtInControls: builtIn, customAuthenticationFactors: factors,
            termsOfUse: termsOfUse, authenticationStrength: strength))
    }

    func builtInStrength(_ id: String) -> AuthenticationStrengthPolicy {
        AuthenticationStrengthPolicy(id: id, displayName: nil, policyType: "builtIn", allowedCombinations: [])
    }

    @Test("Built-in authentication strengths", arguments: [
        (AuthenticationStrengthPolicy.multifactorID, Set<Capability>([.mfa]), true),
        (AuthenticationStrengthPolicy.multifactorID, [.phishingResistantMfa], true),
        (AuthenticationStrengthPolicy.multifactorID, [.compliantDevice], false),
        // spec/evaluation.md: explicit `mfa` makes every non-phishing-resistant multifactor combination available,
        // Authenticator phone sign-in (deviceBasedPush) included.
        (AuthenticationStrengthPolicy.passwordlessID, [.mfa], true),
        (AuthenticationStrengthPolicy.passwordlessID, [.compliantDevice], false),
        (AuthenticationStrengthPolicy.passwordlessID, [.phishingResistantMfa], true),
        (AuthenticationStrengthPolicy.phishingResistantID, [.mfa], false),
        (AuthenticationStrengthPolicy.phishingResistantID, [.phishingResistantMfa], true),
    ] as [(String, Set<Capability>, Bool)])
    func builtInStrengths(id: String, capabilities: Set<Capability>, expected: Bool) {
        let result = evaluator.satisfaction(of: policy(strength: builtInStrength(id)), capabilities: capabilities,
                                            methods: nil)
        #expect(result.satisfied == expected)
        if !expected {
            let name = AuthenticationStrengthPolicy.builtIn.first { $0.id == id }?.displayName ?? id
            #expect(result.missing == ["authenticationStrength:\(name)"])
        }
    }

    @Test func customStrengthNeedsOneAllowedCombination() {
        let embedded = AuthenticationStrengthPolicy(id: "custom-1", displayName: "Authenticator or SMS",
                                                    allowedCombinations: ["password, sms", "microsoftAuthenticatorPush,password"])
        let p = policy(strength: embedded)
        let phone = [AuthenticationMethod(kind: "phone"), AuthenticationMethod(kind: "password")]
        let fido = [AuthenticationMethod(kind: "fido2")]
        #expect(evaluator.satisfaction(of: p, capabilities: [.mfa], methods: phone).satisfied)
        // Explicit capabilities describe the person, coarsely, for custom strengths as for built-in ones (one rule):
        // `mfa` makes the password + second-factor combinations available whatever the registered methods.
        #expect(evaluator.satisfaction(of: p, capabilities: [.mfa, .phishingResistantMfa], methods: fido).satisfied)
        #expect(evaluator.satisfaction(of: p, capabilities: [.phishingResistantMfa], methods: fido).satisfied == false)
        #expect(evaluator.satisfaction(of: p, capabilities: [], methods: phone).satisfied == false, "MFA outage")
        #expect(evaluator.satisfaction(of: p, capabilities: [.mfa], methods: nil).satisfied, "methods unknown")
        #expect(evaluator.satisfaction(of: p, capabilities: [.phishingResistantMfa], methods: nil).satisfied == false)

        // Referenced by id only: the tenant's authentication-strengths file gives the combinations.
        let byID = policy(strength: AuthenticationStrengthPolicy(id: "STRENGTH-FIDO", displayName: nil,
                                                                 allowedCombinations: []))
        #expect(evaluator.requirement(of: byID)?.controls == ["authenticationStrength:FIDO2 only"])
        #expect(evaluator.satisfaction(of: byID, capabilities: [.phishingResistantMfa], methods: fido).satisfied)
        #expect(evaluator.satisfaction(of: byID, capabilities: [.mfa], methods: fido).satisfied == false,
                "registered FIDO2 but phishing-resistant MFA unavailable")
        #expect(evaluator.satisfaction(of: byID, capabilities: [.mfa, .phishingResistantMfa],
                                       methods: phone).satisfied, "explicit phishing-resistant MFA makes fido2 available")

        let undefined = policy(strength: AuthenticationStrengthPolicy(id: "gone", displayName: "Deleted",
                                                                      allowedCombinations: []))
        #expect(evaluator.satisfaction(of: undefined, capabilities: Set(Capability.allCases), methods: nil).satisfied
            == false)
    }

    @Test func termsOfUseCustomFactorsAndPasswordChange() {
        let terms = policy(builtIn: ["mfa"], operator: "AND", termsOfUse: ["tou-1"])
        #expect(evaluator.requirement(of: terms) == Requirement(blocks: false, operator: "AND",
                                                               controls: ["mfa", "termsOfUse:tou-1"]))
        #expect(evaluator.satisfaction(of: terms, capabilities: [.mfa], methods: nil) == (false, ["termsOfUse:tou-1"]))
        #expect(evaluator.satisfaction(of: terms, capabilities: [.mfa, .termsOfUse], methods: nil).satisfied)
        let factor = policy(factors: ["duo"])
        #expect(evaluator.satisfaction(of: factor, capabilities: Set(Capability.allCases), methods: nil)
            == (false, ["customAuthenticationFactor:duo"]))
        let password = policy(builtIn: ["mfa", "passwordChange"], operator: "AND")
        #expect(evaluator.satisfaction(of: password, capabilities: [.mfa], methods: nil) == (false, ["passwordChange"]))
        #expect(evaluator.satisfaction(of: password, capabilities: [.mfa, .passwordChange], methods: nil).satisfied)
    }

    @Test func blockIsNeverSatisfiedAndNothingIsAlwaysSatisfied() {
        let block = policy(builtIn: ["block"])
        #expect(evaluator.requirement(of: block)?.blocks == true)
        #expect(evaluator.satisfaction(of: block, capabilities: Set(Capability.allCases), methods: nil)
            == (false, ["block"]))
        let sessionOnly = ConditionalAccessPolicy(id: "s", displayName: "S",
                                                  sessionControls: ["signInFrequency": ["value": 1]])
        #expect(evaluator.requirement(of: sessionOnly) == nil)
        #expect(evaluator.satisfaction(of: sessionOnly, capabilities: [], methods: nil) == (true, []))
    }

    @Test func capabilitiesComeFromMethodsAndDevice() {
        var tenant = AccessTestTenant()
        tenant.addUser("fido", methods: ["fido2", "password"])
        tenant.addUser("phone", methods: ["phone", "password"])
        tenant.addUser("password", methods: ["password", "email"])
        tenant.addUser("unknown")
        let evaluator = tenant.evaluator
        let compliant = Device(isRegistered: true, isCompliant: true, isHybridJoined: true, properties: [:])
        #expect(evaluator.capabilities(ofUser: "fido", device: .unregistered)
            == [.mfa, .phishingResistantMfa, .termsOfUse, .passwordChange])
        #expect(evaluator.capabilities(ofUser: "phone", device: compliant)
            == [.mfa, .compliantDevice, .domainJoinedDevice, .termsOfUse, .passwordChange])
        #expect(evaluator.capabilities(ofUser: "password", device: .unregistered) == [.termsOfUse, .passwordChange])
        #expect(evaluator.capabilities(ofUser: "unknown", device: .unregistered) == nil)
    }
}


import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

@Suite("AccessPolicy decision")
struct AccessPolicyDecisionTests {
    func tenant(_ policies: [ConditionalAccessPolicy], securityDefaults: Bool? = nil) -> Evaluator {
        var tenant = AccessTestTenant()
        tenant.addUser("admin", methods: ["microsoftAuthenticator"])
        tenant.addUser("user", methods: ["password"])
        tenant.addUser("nomethods")
        tenant.assign(AccessTestTenant.globalAdministrator, to: "admin")
        tenant.policies = policies
        tenant.securityDefaults = securityDefaults
        return tenant.evaluator
    }

    @Test func statesDecideWhetherAPolicyCounts() {
        let evaluator = tenant([
            accessPolicy("MFA"),
            accessPolicy("Report-only block", state: PolicyState.reportOnly, grant: ["block"]),
            accessPolicy("Disabled block", state: PolicyState.disabled, grant: ["block"]),
            accessPolicy("Session only", grant: nil),
        ])
        let evaluation = evaluator.evaluate(SignInContext(userID: "admin"))
        #expect(evaluation.decision == .grantWithControls)
        #expect(evaluation.requiredControls == ["mfa"])
        #expect(evaluation.policies.map(\.displayName)
            == ["MFA", "Report-only block", "Disabled block", "Session only"])
        let reportOnly = evaluation.verdict("Report-only block")
        #expect(reportOnly?.applies == .yes)
        #expect(reportOnly?.isEnforced == false)
        #expect(reportOnly?.satisfied == false)
        #expect(reportOnly?.reasons.first == "report-only: evaluated, never enforced")
        #expect(evaluation.verdict("Disabled block")?.applies == Applicability.no)
        #expect(evaluation.verdict("Disabled block")?.reasons == ["policy is disabled"])
        #expect(evaluation.verdict("Session only")?.requires == nil)
        #expect(evaluation.verdict("Session only")?.applies == .yes)

        let user = evaluator.evaluate(SignInContext(userID: "user"))
        #expect(user.decision == .block)
        #expect(user.requiredControls.isEmpty)
        #expect(user.blockReasons == ["policy 'MFA' requires mfa: missing mfa"])
    }

    @Test func orAndOperatorsAndRequiredControls() {
        let either = accessPolicy("Either", grant: ["compliantDevice", "mfa"])
        let both = accessPolicy("Both", grant: ["mfa", "compliantDevice"], operator: "AND")
        let context = SignInContext(userID: "admin")
        let evaluation = tenant([either]).evaluate(context)
        #expect(evaluation.decision == .grantWithControls)
        #expect(evaluation.requiredControls == ["mfa"])
        let blocked = tenant([either, both]).evaluate(context)
        #expect(blocked.decision == .block)
        #expect(blocked.blockReasons == ["policy 'Both' requires mfa and compliantDevice: missing compliantDevice"])
        let compliant = Device(isRegistered: true, isCompliant: true, isHybridJoined: false, properties: [:])
        let granted = tenant([either, both]).evaluate(SignInContext(userID: "admin", device: compliant))
        #expect(granted.decision == .grantWithControls)
        #expect(granted.requiredControls == ["compliantDevice", "mfa"])
        #expect(tenant([accessPolicy("Blocker", grant: ["block"])]).evaluate(context).blockReasons
            == ["policy 'Blocker' blocks access"])
        #expect(tenant([]).evaluate(context).decision == .grant)
    }

    @Test func givenCapabilitiesOverrideMethodsAndUnknownMethodsAssumeNoMFA() {
        let evaluator = tenant([accessPolicy("MFA")])
        #expect(evaluator.evaluate(SignInContext(userID: "user", capabilities: [.mfa])).decision == .grantWithControls)
        #expect(evaluator.evaluate(SignInContext(userID: "admin", capabilities: [])).decision == .block)
        let unknown = evaluator.evaluate(SignInContext(userID: "nomethods"))
        #expect(unknown.decision == .block)
        #expect(unknown.blockReasons.contains { $0.contains("authentication methods are not in the snapshot") })
    }

    @Test func policiesGivenToEvaluateReplaceTheTenants() {
        let evaluator = tenant([accessPolicy("MFA")])
        let changed = [accessPolicy("MFA"), accessPolicy("New block", grant: ["block"])]
        #expect(evaluator.evaluate(SignInContext(userID: "admin"), policies: changed).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "admin")).decision == .grantWithControls)
        let changedEvaluator = Evaluator(directory: evaluator.directory, now: evaluator.now, policies: changed)
        #expect(changedEvaluator.evaluate(SignInContext(userID: "admin")).decision == .block)
    }

    @Test func securityDefaults() {
        let evaluator = tenant([], securityDefaults: true)
        let admin = evaluator.evaluate(SignInContext(userID: "admin", resource: Resource.graph))
        #expect(admin.decision == .grantWithControls)
        #expect(admin.requiredControls == ["mfa"])
        let verdict = admin.verdict("Security defaults")
        #expect(verdict?.policyID == SecurityDefaultsPolicy.id)
        #expect(verdict?.reasons.first?.contains("active role Global Administrator") == true)
        #expect(evaluator.evaluate(SignInContext(userID: "admin", capabilities: [])).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "user", resource: Resource.graph)).decision == .grant)
        #expect(evaluator.evaluate(SignInContext(userID: "user")).decision == .block, "Azure portal needs MFA")
        #expect(evaluator.evaluate(SignInContext(userID: "user", resource: Resource.azureManagement,
                                                 capabilities: [.mfa])).decision == .grantWithControls)
        #expect(evaluator.evaluate(SignInContext(userID: "user", resource: Resource.exchangeOnline,
                                                 clientApp: "exchangeActiveSync")).decision == .block)
        #expect(tenant([], securityDefaults: false).evaluate(SignInContext(userID: "user")).policies.isEmpty)
    }

    @Test func jsonHasTheWhatIfShape() throws {
        var tenant = AccessTestTenant()
        tenant.addUser("admin", upn: "admin@contoso.com", methods: ["microsoftAuthenticator"])
        tenant.policies = [
            accessPolicy("MFA"),
            accessPolicy("Filtered", grant: ["block"]) {
                $0.devices = .init(deviceFilter: .init(mode: "include", rule: #"device.model -eq "x""#))
            },
        ]
        let device = Device(isRegistered: true, isCompliant: false, isHybridJoined: false, properties: [:])
        let evaluation = tenant.evaluator.evaluate(SignInContext(userID: "admin", device: device, capabilities: [.mfa]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(evaluation)) as? [String: Any])
        #expect(Set(object.keys) == ["user", "context", "decision", "requiredControls", "policies"])
        let user = try #require(object["user"] as? [String: Any])
        #expect(user["id"] as? String == "admin")
        #expect(user["userPrincipalName"] as? String == "admin@contoso.com")
        let context = try #require(object["context"] as? [String: Any])
        #expect(context["resource"] as? String == Resource.azurePortal)
        #expect(context["clientApp"] as? String == "browser")
        #expect(context["platform"] as? String == "windows")
        #expect(context["capabilities"] as? [String] == ["mfa"])
        #expect(object["decision"] as? String == "block")
        let policies = try #require(object["policies"] as? [[String: Any]])
        #expect(policies.count == 2)
        #expect(Set(policies[0].keys) == ["id", "displayName", "state", "applies", "reasons", "requires", "satisfied",
                                          "decidedBy"])
        #expect(policies[0]["applies"] as? Bool == true)
        #expect(policies[0]["satisfied"] as? Bool == true)
        let requires = try #require(policies[0]["requires"] as? [String: Any])
        #expect(requires["operator"] as? String == "OR")
        #expect(requires["controls"] as? [String] == ["mfa"])
        #expect(policies[1]["applies"] as? String == "unknown")
    }
}

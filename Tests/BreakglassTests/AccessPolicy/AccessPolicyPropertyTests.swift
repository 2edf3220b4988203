import Foundation
import PropertyBased
import Testing

@testable import AccessPolicy
@testable import EntraModel

/// issue 3, "Done when": the evaluator's laws, over generated tenants and policies.
@Suite("AccessPolicy properties")
struct AccessPolicyPropertyTests {
    typealias Users = ConditionalAccessPolicy.Users
    static let ga = AccessTestTenant.globalAdministrator
    static let controls = ["mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication",
                           "compliantApplication", "passwordChange"]

    /// u1 is in g0; g(i) is in g(i+1) up to g3; u1 holds Global Administrator; u2 is in no group.
    static func tenant(policies: [ConditionalAccessPolicy] = []) -> AccessTestTenant {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["microsoftAuthenticator"])
        tenant.addUser("u2", methods: ["fido2"])
        tenant.addGroup("g0", users: ["u1"])
        for level in 1...3 { tenant.addGroup("g\(level)", groups: ["g\(level - 1)"]) }
        tenant.assign(ga, to: "u1")
        tenant.policies = policies
        return tenant
    }

    /// Ways to include u1 and ways to exclude u1.
    static func including(_ kind: Int, depth: Int) -> Users {
        switch kind {
        case 0: Users(includeUsers: ["All"])
        case 1: Users(includeUsers: ["u1"])
        case 2: Users(includeGroups: ["g\(depth)"])
        case 3: Users(includeRoles: [ga])
        default: Users(includeUsers: ["GuestsOrExternalUsers", "u1"])
        }
    }

    static func excluding(_ kind: Int, depth: Int, into users: Users) -> Users {
        var users = users
        switch kind {
        case 0: users.excludeUsers = ["U1"]
        case 1: users.excludeGroups = ["g\(depth)"]
        default: users.excludeRoles = [ga]
        }
        return users
    }

    @Test func exclusionAlwaysWins() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...4), Gen.int(in: 0...2), Gen.int(in: 0...3),
                            Gen.int(in: 0...3), Gen.element(of: ["mfa", "block", "compliantDevice"])) {
            include, exclude, includeDepth, excludeDepth, control in
            let users = Self.excluding(exclude, depth: excludeDepth,
                                       into: Self.including(include, depth: includeDepth))
            let policy = accessPolicy("P", users: users, grant: [control ?? "block"])
            let evaluator = Self.tenant(policies: [policy]).evaluator
            #expect(!evaluator.userScope(of: policy, userID: "u1").isIncluded)
            #expect(!evaluator.mayApply(policy, toUser: "u1").applies)
            let evaluation = evaluator.evaluate(SignInContext(userID: "u1"))
            #expect(evaluation.policies.first?.applies == Applicability.no)
            #expect(evaluation.decision == .grant)
        }
    }

    @Test func includeUsersNoneNeverApplies() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...4), Gen.int(in: 0...3), Gen.bool) {
            include, depth, noneFirst in
            var users = Self.including(include, depth: depth)
            users.includeUsers = noneFirst ? ["None"] + users.includeUsers : users.includeUsers + ["none"]
            let policy = accessPolicy("P", users: users, grant: ["block"])
            let evaluator = Self.tenant(policies: [policy]).evaluator
            for user in ["u1", "u2"] {
                #expect(!evaluator.mayApply(policy, toUser: user).applies)
                #expect(evaluator.evaluate(SignInContext(userID: user)).policies.first?.applies == Applicability.no)
            }
        }
    }

    /// A generated policy: state, users, grant controls and operator, an optional device filter.
    static let policyGenerator = Gen.int(in: 0...4).array(of: 6).map { genes -> ConditionalAccessPolicy in
        let users = genes[1] == 4 ? Users(includeUsers: ["u2"]) : including(genes[1], depth: genes[2] % 4)
        let grant: [String]? = genes[3] == 0 ? ["block"]
            : genes[3] == 1 ? nil : Array(controls[genes[2]...min(controls.count - 1, genes[2] + genes[4] % 3)])
        return accessPolicy("P\(genes)", users: users, grant: grant, operator: genes[5] % 2 == 0 ? "OR" : "AND") {
            if genes[4] == 4 {
                $0.devices = .init(deviceFilter: .init(mode: "include", rule: #"device.model -ne "x""#))
            }
        }
    }

    @Test func reportOnlyAndDisabledPoliciesNeverChangeTheDecision() async {
        await propertyCheck(count: 150, input: Self.policyGenerator.array(of: 0...4),
                            Self.policyGenerator.array(of: 1...4), Gen.bool,
                            Gen.element(of: Capability.allCases).array(of: 0...3)) {
            enforced, others, reportOnly, capabilities in
            let silent = others.enumerated().map { index, policy -> ConditionalAccessPolicy in
                var policy = policy
                policy.id = "silent-\(index)"
                policy.state = reportOnly ? PolicyState.reportOnly : PolicyState.disabled
                return policy
            }
            let evaluator = Self.tenant(policies: enforced).evaluator
            for user in ["u1", "u2"] {
                let context = SignInContext(userID: user, capabilities: Set(capabilities.compactMap { $0 }))
                let alone = evaluator.evaluate(context)
                let mixed = evaluator.evaluate(context, policies: silent + enforced)
                #expect(alone.decision == mixed.decision)
                #expect(alone.requiredControls == mixed.requiredControls)
                #expect(alone.blockReasons == mixed.blockReasons)
                #expect(mixed.policies.count == silent.count + enforced.count)
                #expect(mixed.policies.prefix(silent.count).allSatisfy { !$0.isEnforced })
            }
        }
    }

    @Test func andOrAlgebra() async {
        await propertyCheck(count: 300, input: Gen.element(of: Self.controls).array(of: 1...4),
                            Gen.element(of: Capability.allCases).array(of: 0...6), Gen.bool) {
            picked, capabilities, isAnd in
            let required = picked.compactMap { $0 }
            let available = Set(capabilities.compactMap { $0 })
            let policy = accessPolicy("P", grant: required, operator: isAnd ? "AND" : "OR")
            let evaluator = Self.tenant().evaluator
            let mfa = !available.isDisjoint(with: [.mfa, .phishingResistantMfa])
            func has(_ control: String) -> Bool {
                switch control {
                case "mfa": mfa
                // Learn, "Grant": a password change needs MFA first.
                case "passwordChange": mfa && available.contains(.passwordChange)
                default: available.contains { $0.rawValue == control }
                }
            }
            let expected = isAnd ? required.allSatisfy(has) : required.contains(where: has)
            let result = evaluator.satisfaction(of: policy, capabilities: available, methods: nil)
            #expect(result.satisfied == expected, "\(required) with \(available)")
            #expect(result.missing == (expected ? [] : required.filter { isAnd ? !has($0) : true }))
            let decision = evaluator.evaluate(SignInContext(userID: "u1", capabilities: available), policies: [policy])
            #expect(decision.decision == (expected ? .grantWithControls : .block))
        }
    }

    /// A registered device that gives none of the properties a rule reads: the policy applies `unknown`, counts as
    /// applying, and so a block policy with such a filter blocks.
    @Test func unevaluableDeviceFilterCountsAsUnknownAndApplying() async {
        // extensionAttribute1-15 are null, not unknown, on a device that is not compliant or hybrid-joined.
        let properties = ["model", "manufacturer", "displayName", "operatingSystem", "enrollmentProfileName"]
        let operators = ["-eq", "-ne", "-startsWith", "-notStartsWith", "-contains", "-notEndsWith"]
        await propertyCheck(count: 150, input: Gen.element(of: properties), Gen.element(of: operators),
                            Gen.element(of: ["include", "exclude"]), Gen.letterOrNumber.string(of: 1...8)) {
            property, op, mode, value in
            let rule = "device.\(property ?? "model") \(op ?? "-eq") \"\(value)\""
            let policy = accessPolicy("Filtered", grant: ["block"]) {
                $0.devices = .init(deviceFilter: .init(mode: mode ?? "include", rule: rule))
            }
            let device = Device(isRegistered: true, isCompliant: false, isHybridJoined: false, properties: [:])
            let evaluation = Self.tenant(policies: [policy]).evaluator
                .evaluate(SignInContext(userID: "u1", device: device))
            #expect(evaluation.policies.first?.applies == .unknown, "\(rule)")
            #expect(evaluation.policies.first?.applies.countsAsApplying == true)
            #expect(evaluation.decision == .block)
        }
    }
}

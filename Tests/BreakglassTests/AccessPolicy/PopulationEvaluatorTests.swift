import Foundation
import Testing

@testable import AccessPolicy
@testable import Bench
@testable import EntraModel
@testable import Lockout

/// The column engine against the per-user evaluator, the reference: same decision and same applying policies for
/// every user × sign-in of generated tenants of both shapes — nested groups, a group cycle, groups whose members
/// are unknown, guests, role holders through groups, registered methods, security defaults on and off.
@Suite("The column engine agrees with per-user evaluation")
struct PopulationEvaluatorTests {
    struct Tenant {
        var name: String
        var snapshot: Snapshot
    }

    static let customRole = "c0ffee00-0000-4000-8000-00000000c0de"
    static let globalReader = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

    /// Prepends `item` to the `value` list of a generated file (if the generator wrote it).
    static func prepend(_ item: String, to name: String, in files: inout [String: Data]) {
        guard let data = files[name] else { return }
        let text = String(decoding: data, as: UTF8.self)
        guard let open = text.range(of: "[") else { return }
        let rest = text[open.upperBound...]
        let separator = rest.contains("{") ? "," : ""
        files[name] = Data((text[..<open.upperBound] + item + separator + rest).utf8)
    }

    static func generated(_ name: String, _ tenant: SyntheticTenant, securityDefaults: Bool = false) throws -> Tenant {
        // Roles security defaults do not count (Global Reader) and a custom role Conditional Access ignores, each
        // held by a user, directly and active.
        var files = tenant.files()
        prepend(#"{"id":"\#(customRole)","displayName":"Custom helpdesk","templateId":"\#(customRole)","isBuiltIn":false}"#,
                to: "role-definitions.json", in: &files)
        let ids = (0..<tenant.users).map { tenant.userID($0) }
        for (n, (principal, role)) in [(ids[tenant.users / 3], globalReader), (ids[tenant.users / 4], customRole),
                                       (ids[tenant.users / 4 + 1], globalReader)].enumerated() {
            prepend(#"{"id":"rx-\#(n)","principalId":"\#(principal)","roleDefinitionId":"\#(role)","directoryScopeId":"/"}"#,
                    to: "role-assignments.json", in: &files)
            prepend(#"{"id":"rix-\#(n)","principalId":"\#(principal)","roleDefinitionId":"\#(role)","directoryScopeId":"/","assignmentType":"Assigned","memberType":"Direct","startDateTime":"2024-01-01T00:00:00Z","endDateTime":null}"#,
                    to: "role-assignment-schedule-instances.json", in: &files)
        }
        var snapshot = try SnapshotReader().read(from: MemorySource(files))
        // Policies the generators do not write: named users, guest kinds with enumerated tenants, roles excluded,
        // includeUsers None, report-only and a workload-identity policy.
        let users = snapshot.users
        let someone = users[users.count / 2].id
        let guest = users.first { $0.isGuest }?.id ?? someone
        let role = snapshot.roleDefinitions[1].id
        let group = snapshot.policies.flatMap(\.conditions.users.includeGroups).first ?? "none"
        let extra = """
            [{"id":"x1","displayName":"Named users and a role excluded","state":"enabled","conditions":{"users":{"includeUsers":["\(someone)","\(guest)"],"excludeRoles":["\(role)"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["block"]}},
             {"id":"x2","displayName":"Guests of listed tenants","state":"enabled","conditions":{"users":{"includeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"b2bCollaborationGuest,internalGuest","externalTenants":{"membershipKind":"enumerated","members":["contoso.example"]}},"excludeUsers":["\(someone)"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"AND","builtInControls":["mfa","compliantDevice"]}},
             {"id":"x3","displayName":"All but guests, report-only","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":["All"],"excludeUsers":["GuestsOrExternalUsers"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["block"]}},
             {"id":"x4","displayName":"Nobody","state":"enabled","conditions":{"users":{"includeUsers":["None"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["block"]}},
             {"id":"x5","displayName":"Group and role, guests excluded by kind","state":"enabled","conditions":{"users":{"includeGroups":["\(group)"],"includeRoles":["\(role)"],"excludeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"b2bCollaborationGuest","externalTenants":{"membershipKind":"all"}}},"applications":{"includeApplications":["MicrosoftAdminPortals"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}},
             {"id":"x7","displayName":"Custom role in, Global Reader and custom role out, at insider risk","state":"enabled","conditions":{"users":{"includeRoles":["\(customRole)","\(globalReader)"],"excludeRoles":["\(customRole)"]},"insiderRiskLevels":["elevated"],"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["compliantDevice"]}},
             {"id":"x8","displayName":"Terms of use only","state":"enabled","conditions":{"users":{"includeRoles":["\(globalReader)"]},"applications":{"includeApplications":["\(Resource.exchangeOnline)"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","termsOfUse":["tou-1"]}},
             {"id":"x9","displayName":"All but guests of listed tenants (exclusion uncertain)","state":"enabled","conditions":{"users":{"includeUsers":["All"],"excludeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"b2bCollaborationGuest","externalTenants":{"membershipKind":"enumerated","members":["contoso.example"]}}},"applications":{"includeApplications":["\(Resource.teams)"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["mfa"]}},
             {"id":"x10","displayName":"Federated MFA only","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["\(Resource.sharePointOnline)"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":[],"authenticationStrength":{"id":"f0000000-0000-4000-8000-0000000fed01","displayName":"Federated MFA","allowedCombinations":["federatedMultiFactor"]}}},
             {"id":"x6","displayName":"Workload identities","state":"enabled","conditions":{"users":{"includeUsers":["None"]},"clientApplications":{"includeServicePrincipals":["All"]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},"grantControls":{"operator":"OR","builtInControls":["block"]}}]
            """
        snapshot.policies += try SnapshotReader().policies(from: Data(extra.utf8), file: "extra.json")
        // A few users with registered methods, so that capabilities differ between users.
        for (offset, kinds) in [["phone"], ["fido2"], ["microsoftAuthenticator", "phone"]].enumerated() {
            let user = users[(offset + 1) * users.count / 5]
            snapshot.authenticationMethods[user.id.lowercased()] = kinds.map { AuthenticationMethod(kind: $0) }
        }
        // A user with a password and a certificate bound to the account: the evaluator adds the binding's method.
        let bound = users.count * 4 / 5 + 1
        snapshot.authenticationMethods[users[bound].id.lowercased()] = [AuthenticationMethod(kind: "password")]
        snapshot.users[bound].authorizationInfo = .init(certificateUserIds: ["X509:<PN>user@synthetic.example"])
        if securityDefaults { snapshot.securityDefaults = SecurityDefaults(isEnabled: true) }
        return Tenant(name: name, snapshot: snapshot)
    }

    static func tenants() throws -> [Tenant] {
        var harsh = SyntheticTenant.Shape.harsh
        harsh.policyGroups = 24
        harsh.roleGroups = 4
        var harshCycles = harsh
        harshCycles.cycles = 4
        harshCycles.unknownGroups = 3
        var standardCycles = SyntheticTenant.Shape.standard
        standardCycles.nesting = 2
        standardCycles.cycles = 3
        standardCycles.unknownGroups = 4
        return [
            try generated("default 1", SyntheticTenant(users: 120, groups: 30, policies: 30, seed: 1)),
            try generated("default 2", SyntheticTenant(users: 140, groups: 30, policies: 40, seed: 2),
                          securityDefaults: true),
            try generated("default, nested, cycles, unknown members",
                          SyntheticTenant(users: 120, groups: 30, policies: 30, seed: 3, shape: standardCycles)),
            try generated("harsh 1", SyntheticTenant(users: 140, groups: 50, policies: 39, seed: 4, shape: harsh)),
            try generated("harsh 2", SyntheticTenant(users: 120, groups: 40, policies: 30, seed: 5, shape: harsh),
                          securityDefaults: true),
            try generated("harsh, cycles, unknown members",
                          SyntheticTenant(users: 140, groups: 50, policies: 39, seed: 6, shape: harshCycles)),
        ]
    }

    /// Sign-ins besides the scenarios': legacy clients, derived capabilities, a blocked country, high risk.
    static let extraSignIns: [@Sendable (SignInContext) -> SignInContext] = [
        { SignInContext(userID: $0.userID, resource: Resource.exchangeOnline, clientApp: "exchangeActiveSync") },
        { SignInContext(userID: $0.userID, resource: Resource.graph, platform: "linux", country: "KP") },
        { SignInContext(userID: $0.userID, resource: Resource.azurePortal, userRisk: "high", signInRisk: "medium",
                        device: Device(isRegistered: true, isCompliant: true, isHybridJoined: false, properties: [:]),
                        capabilities: [.mfa]) },
        { SignInContext(userID: $0.userID, resource: Resource.teams, ipAddress: "10.3.0.9", capabilities: []) },
        { SignInContext(userID: $0.userID, resource: Resource.sharePointOnline, insiderRisk: "elevated") },
        { SignInContext(userID: $0.userID, resource: Resource.exchangeOnline, capabilities: [.termsOfUse]) },
    ]

    @Test func everyUserAndSignInGetsTheSameDecisionAndApplyingPolicies() throws {
        for tenant in try Self.tenants() {
            let directory = Directory(tenant.snapshot)
            let evaluator = Evaluator(directory: directory, now: tenant.snapshot.capturedAt ?? Date())
            let simulation = Simulation(evaluator: evaluator)
            let population = PopulationEvaluator(evaluator: evaluator)
            let users = tenant.snapshot.users
            var signIns: [[SignInContext]] = []
            for scenario in Scenario.allCases {
                for resource in AdminResource.allCases {
                    signIns.append(users.compactMap { simulation.context(for: $0, scenario: scenario, resource: resource).0 })
                }
            }
            for make in Self.extraSignIns { signIns.append(users.map { make(SignInContext(userID: $0.id)) }) }

            let federatedDomains = Set(tenant.snapshot.domains.filter(\.isFederated).map { $0.id.lowercased() })
            func federated(_ id: String) -> Bool {
                directory.user(idOrUPN: id)?.upnDomain.map(federatedDomains.contains) ?? false
            }
            var compared = 0
            var applyingSeen = 0
            for contexts in signIns {
                // One evaluation per group of users the sign-in is the same for (as Coverage groups them).
                var groups: [ContextKey: (context: SignInContext, users: Bitset)] = [:]
                for context in contexts {
                    let position = try #require(directory.userPosition(context.userID))
                    let key = ContextKey(context, methods: directory.authenticationMethods(ofUser: context.userID, at: evaluator.now),
                                         federated: federated(context.userID))
                    groups[key, default: (context, Bitset(capacity: users.count))].users.insert(position)
                }
                var outcomes: [ContextKey: PopulationOutcome] = [:]
                for (key, group) in groups { outcomes[key] = population.outcome(of: group.context, for: group.users) }
                for context in contexts {
                    let position = try #require(directory.userPosition(context.userID))
                    let key = ContextKey(context, methods: directory.authenticationMethods(ofUser: context.userID, at: evaluator.now),
                                         federated: federated(context.userID))
                    let outcome = try #require(outcomes[key])
                    let reference = evaluator.evaluate(context)
                    #expect(outcome.decision(of: position) == reference.decision,
                            "\(tenant.name): \(context.userID) \(context.resource) \(context.clientApp)")
                    #expect(outcome.policyIDs == reference.policies.map(\.policyID))
                    for (index, verdict) in reference.policies.enumerated() {
                        #expect(outcome.applicability(of: index, for: position) == verdict.applies,
                                "\(tenant.name): \(verdict.displayName) for \(context.userID): \(verdict.reasons)")
                        if verdict.applies != .no { applyingSeen += 1 }
                    }
                    compared += 1
                }
            }
            #expect(compared > users.count * 20)
            #expect(applyingSeen > compared)
        }
    }

    @Test func whatifFromTheColumnsIsTheSameEvaluationWithTheSameReasons() throws {
        for tenant in try Self.tenants() {
            let directory = Directory(tenant.snapshot)
            let evaluator = Evaluator(directory: directory, now: tenant.snapshot.capturedAt ?? Date())
            let population = PopulationEvaluator(evaluator: evaluator)
            let simulation = Simulation(evaluator: evaluator)
            for user in tenant.snapshot.users {
                var contexts = [SignInContext(userID: user.id), SignInContext(userID: user.userPrincipalName ?? user.id)]
                if let normal = simulation.context(for: user, scenario: .normal, resource: .azurePortal).0 {
                    contexts.append(normal)
                }
                for context in contexts {
                    #expect(population.evaluate(context) == evaluator.evaluate(context), "\(tenant.name): \(user.id)")
                }
            }
            // A user the snapshot does not hold is evaluated per user.
            let stranger = SignInContext(userID: "00000000-0000-4000-8000-00000000abcd")
            #expect(population.evaluate(stranger) == evaluator.evaluate(stranger))
        }
    }

    @Test func lockoutMatrixInColumnsIsTheSameAsPerUser() throws {
        for tenant in try Self.tenants() {
            let directory = Directory(tenant.snapshot)
            let evaluator = Evaluator(directory: directory, now: tenant.snapshot.capturedAt ?? Date())
            // The tenant as it is, and with a policy change (a policy removed): the population follows the change.
            for simulation in [Simulation(evaluator: evaluator),
                               Simulation(evaluator: evaluator, policies: Array(tenant.snapshot.policies.dropFirst(3)))] {
                let users = tenant.snapshot.users + [User(id: "00000000-0000-4000-8000-00000000abcd")]
                let priority: Set<String> = [users[0].id]
                let perUser = LockoutMatrix(simulation: simulation, users: users, priority: priority)
                let columns = LockoutMatrix(simulation: simulation, users: users, priority: priority,
                                            population: PopulationEvaluator(evaluator: simulation.evaluator))
                #expect(columns.rows == perUser.rows, "\(tenant.name)")
                #expect(columns.verdicts == perUser.verdicts, "\(tenant.name)")
            }
        }
    }

    @Test func nestedGroupPathsAndUnknownMembersAreExplained() throws {
        let tenant = try Self.tenants()[5]
        let directory = Directory(tenant.snapshot)
        let evaluator = Evaluator(directory: directory, now: tenant.snapshot.capturedAt ?? Date())
        let population = PopulationEvaluator(evaluator: evaluator)
        var nested = 0
        var unknown = 0
        for user in tenant.snapshot.users {
            let evaluation = population.evaluate(SignInContext(userID: user.id))
            for verdict in evaluation.policies {
                if verdict.reasons.contains(where: { $0.contains("(nested through ") }) { nested += 1 }
                if verdict.applies == .unknown, verdict.reasons.contains(where: { $0.contains("are not in the snapshot") }) {
                    unknown += 1
                }
            }
        }
        #expect(nested > 0)
        #expect(unknown > 0)
    }

    /// A sign-in with the user left out, and the user's methods: what makes users share one evaluation.
    struct ContextKey: Hashable {
        var context: SignInContext
        var methods: [AuthenticationMethod]?
        var federated: Bool

        init(_ context: SignInContext, methods: [AuthenticationMethod]?, federated: Bool) {
            var context = context
            context.userID = ""
            self.context = context
            self.methods = methods
            self.federated = federated
        }
    }
}

@Suite("Group closures as bitsets")
struct MembershipIndexTests {
    static func reference(_ member: String, _ kind: String = "user") -> DirectoryObjectReference {
        DirectoryObjectReference(id: member, odataType: "#microsoft.graph.\(kind)")
    }

    /// A ∋ B ∋ C ∋ A (a cycle), A ∋ u1, C ∋ u2, B ∋ D (no member file), E ∋ A, E ∋ u3.
    static func cycle() -> Snapshot {
        var snapshot = Snapshot(
            organization: Organization(id: "t"),
            users: ["u1", "u2", "u3", "u4"].map { User(id: $0, userPrincipalName: "\($0)@t.example") },
            groups: ["A", "B", "C", "D", "E"].map { Group(id: $0, displayName: "Group \($0)") })
        snapshot.groupMembers = [
            "a": [reference("B", "group"), reference("u1")],
            "b": [reference("C", "group"), reference("D", "group")],
            "c": [reference("A", "group"), reference("u2")],
            "e": [reference("A", "group"), reference("u3")],
        ]
        return snapshot
    }

    @Test func closuresSurviveACycleAndMatchTheWalk() {
        let directory = Directory(Self.cycle())
        let closures = directory.membership.transitiveUsers(ofGroups: ["A", "B", "C", "D", "E", "missing"])
        #expect(closures["a"]?.members == [0, 1])
        #expect(closures["b"]?.members == [0, 1])
        #expect(closures["c"]?.members == [0, 1])
        #expect(closures["d"]?.members == [])
        #expect(closures["e"]?.members == [0, 1, 2])
        #expect(closures["missing"]?.members == [])
        for group in ["a", "b", "c", "d", "e"] {
            let walked = directory.transitiveUsers(ofGroup: group).users
            #expect(Set(closures[group]?.members.map { directory.users[$0].id.lowercased() } ?? []) == walked)
        }
        #expect(directory.transitiveGroups(of: "u2") == ["a", "b", "c", "e"])
        #expect(directory.ancestry(of: "u2").path(below: "e") == ["a", "b", "c"])
        #expect(directory.ancestry(of: "u2").path(below: "c") == [])
    }

    @Test func unknownMembersBelowAGroup() {
        let directory = Directory(Self.cycle())
        #expect(directory.membership.groupsWithUnknownMembers(under: "A") == ["d"])
        #expect(directory.membership.groupsWithUnknownMembers(under: "E") == ["d"])
        #expect(directory.membership.groupsWithUnknownMembers(under: "D") == ["d"])
        #expect(directory.membership.groupsWithUnknownMembers(under: "nowhere") == ["nowhere"])
    }

    @Test func closuresOfGeneratedTenantsMatchTheWalk() throws {
        var harsh = SyntheticTenant.Shape.harsh
        harsh.cycles = 5
        harsh.unknownGroups = 2
        for tenant in [SyntheticTenant(users: 300, groups: 80, policies: 20, seed: 9, shape: harsh),
                       SyntheticTenant(users: 300, groups: 80, policies: 20, seed: 9)] {
            let directory = Directory(try SnapshotReader().read(from: MemorySource(tenant.files())))
            let groups = directory.snapshot.groups.map { $0.id.lowercased() }
            let closures = directory.membership.transitiveUsers(ofGroups: groups)
            for group in groups {
                let walked = directory.transitiveUsers(ofGroup: group).users
                #expect(Set(closures[group]?.members.map { directory.users[$0].id.lowercased() } ?? []) == walked)
            }
        }
    }

    @Test func bitsetAlgebra() {
        var a = Bitset(capacity: 130, [0, 64, 129])
        let b = Bitset(capacity: 130, [64, 100])
        #expect(a.union(b).members == [0, 64, 100, 129])
        #expect(a.intersection(b).members == [64])
        #expect(a.subtracting(b).members == [0, 129])
        #expect(Bitset.full(capacity: 130).count == 130)
        #expect(!a.isDisjoint(with: b))
        a.remove(64)
        #expect(a.isDisjoint(with: b))
        #expect(!a.contains(130) && !a.contains(-1))
    }
}

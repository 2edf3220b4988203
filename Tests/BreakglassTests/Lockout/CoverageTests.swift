import AccessPolicy
import EntraModel
import Foundation
import Testing

@testable import Bench
@testable import Lockout
@testable import Posture

@Suite("Coverage in columns answers exactly as simulating every user")
struct CoverageTests {
    static func tenants() throws -> [(String, TenantContext)] {
        let demo = try DemoTenant.snapshot()
        var cycles = SyntheticTenant.Shape.harsh
        cycles.policyGroups = 20
        cycles.roleGroups = 3
        cycles.cycles = 3
        cycles.unknownGroups = 2
        let synthetic = try [
            ("default", SyntheticTenant(users: 150, groups: 30, policies: 30, seed: 7)),
            ("harsh with cycles and unknown members", SyntheticTenant(users: 150, groups: 40, policies: 30, seed: 8, shape: cycles)),
        ].map { name, tenant in
            let snapshot = try SnapshotReader().read(from: MemorySource(tenant.files()))
            return (name, TenantContext(snapshot: snapshot, configuration: Configuration(), now: snapshot.capturedAt ?? Date()))
        }
        // The column engine's tenants with roles security defaults do not count, a custom role, a certificate
        // binding and a terms-of-use-only policy; one with security defaults on.
        let columns = try PopulationEvaluatorTests.tenants().filter { ["default 1", "harsh 2"].contains($0.name) }.map {
            ($0.name, TenantContext(snapshot: $0.snapshot, configuration: Configuration(), now: $0.snapshot.capturedAt ?? Date()))
        }
        return columns + [
            ("good", try Fixture.context("good")), ("bad", try Fixture.context("bad")),
            ("demo", TenantContext(snapshot: demo, configuration: try DemoTenant.configuration(), now: demo.capturedAt ?? Date())),
        ] + synthetic
    }

    @Test func classesGiveTheSameAnswerAsEveryUser() async throws {
        for (name, context) in try Self.tenants() {
            let simulation = Simulation(evaluator: context.evaluator)
            let users = context.directory.users
            let coverage = await Coverage(simulation: simulation, users: users)
            for scenario in Scenario.allCases {
                var expected: [String: [String]] = [:]
                for user in users where user.accountEnabled != false {
                    let denied = AdminResource.allCases.filter { !simulation.attempt(user, scenario: scenario, resource: $0).succeeded }
                    if !denied.isEmpty { expected[user.id] = denied.map(\.rawValue) }
                }
                let actual = Dictionary(uniqueKeysWithValues: coverage.blocked(in: scenario).map { ($0.user.id, $0.resources) })
                #expect(actual == expected, "\(name) \(scenario.rawValue)")
                #expect(coverage.blockedCount(in: scenario) == expected.count)
            }
            var open: [String: [String]] = [:]
            let untrusted = simulation.context(for: users[0], scenario: .untrustedNetwork, resource: .azurePortal).0
            for user in users where user.accountEnabled != false {
                let aliases = Coverage.gapResources.filter { alias, id in
                    // The password and terms of use: open when nothing else is asked.
                    let context = SignInContext(userID: user.id, resource: id, clientApp: "browser", platform: "windows",
                                                ipAddress: untrusted?.ipAddress, country: untrusted?.country,
                                                device: .unregistered, capabilities: [.termsOfUse])
                    let evaluation = simulation.evaluator.evaluate(context)
                    return evaluation.decision != .block
                        && evaluation.requiredControls.allSatisfy { $0.hasPrefix("termsOfUse:") }
                }.map(\.alias)
                if !aliases.isEmpty { open[user.id] = aliases }
            }
            #expect(Dictionary(uniqueKeysWithValues: coverage.passwordOnly.map { ($0.user.id, $0.resources) }) == open, "\(name)")
        }
    }

    @Test func usersThatDifferOnlyByNameShareAClass() throws {
        let context = try Fixture.context("good")
        let evaluator = context.evaluator
        let bob = try #require(context.directory.user(idOrUPN: "bob@fabrikam.com"))
        let carol = try #require(context.directory.user(idOrUPN: "carol@fabrikam.com"))
        let bg1 = try #require(context.directory.user(idOrUPN: "bg-01@fabrikam.onmicrosoft.com"))
        #expect(evaluator.audienceKey(ofUser: bob.id) == evaluator.audienceKey(ofUser: carol.id))
        #expect(evaluator.audienceKey(ofUser: bob.id) != evaluator.audienceKey(ofUser: bg1.id))
    }
}

@Suite("Password-only gap analysis")
struct PasswordOnlyTests {
    // Issue 9, item 13: a person with only the password can still accept terms of use.
    @Test("A user who only has to accept terms of use gets in with a password alone")
    func termsOfUseAloneIsPasswordOnly() async throws {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: [])
        var terms = accessPolicy("Terms for Exchange", applications: .init(includeApplications: [Resource.exchangeOnline]),
                                 grant: [])
        terms.grantControls = .init(builtInControls: [], termsOfUse: ["tou-1"])
        let mfa = accessPolicy("MFA for SharePoint", applications: .init(includeApplications: [Resource.sharePointOnline]),
                               grant: ["mfa"])
        tenant.policies = [terms, mfa]
        let snapshot = tenant.snapshot
        let coverage = await Coverage(simulation: Simulation(evaluator: tenant.evaluator), users: snapshot.users)
        let entry = try #require(coverage.passwordOnly.first)
        #expect(entry.resources.contains("exchange-online"))
        #expect(!entry.resources.contains("sharepoint-online"))
    }
}

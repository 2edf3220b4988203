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
        return [
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
                    let context = SignInContext(userID: user.id, resource: id, clientApp: "browser", platform: "windows",
                                                ipAddress: untrusted?.ipAddress, country: untrusted?.country,
                                                device: .unregistered, capabilities: [])
                    return simulation.evaluator.evaluate(context).decision == .grant
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

import AccessPolicy
import EntraModel
import Foundation
import Testing

@testable import Lockout
@testable import Posture

@Suite("Coverage by audience classes answers exactly as evaluating every user")
struct CoverageTests {
    static func tenants() throws -> [(String, TenantContext)] {
        let demo = try DemoTenant.snapshot()
        return [
            ("good", try Fixture.context("good")), ("bad", try Fixture.context("bad")),
            ("demo", TenantContext(snapshot: demo, configuration: try DemoTenant.configuration(), now: demo.capturedAt ?? Date())),
        ]
    }

    @Test func classesGiveTheSameAnswerAsEveryUser() async throws {
        for (name, context) in try Self.tenants() {
            let simulation = Simulation(evaluator: context.evaluator)
            let users = context.directory.users
            let coverage = await Coverage(simulation: simulation, users: users)
            #expect(coverage.classCount <= users.count)
            for scenario in Scenario.allCases {
                var expected: [String: [String]] = [:]
                for user in users where user.accountEnabled != false {
                    let denied = AdminResource.allCases.filter { !simulation.attempt(user, scenario: scenario, resource: $0).succeeded }
                    if !denied.isEmpty { expected[user.id] = denied.map(\.rawValue) }
                }
                let actual = Dictionary(uniqueKeysWithValues: coverage.blocked(in: scenario).map { ($0.user.id, $0.resources) })
                #expect(actual == expected, "\(name) \(scenario.rawValue)")
            }
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

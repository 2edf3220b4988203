import AccessPolicy
import EntraModel
import Foundation
import Testing

@testable import Lockout
@testable import Posture

/// The two incidents of DESIGN.md, end to end: federation down, and the all-users compliant-device + MFA policy.
@Suite("The incidents breakglass exists for")
struct IncidentTests {
    static let excludeGroup = "e0000000-0000-4000-8000-0000000e0c10"

    static func lockoutPolicy(excluding groups: [String]) -> String {
        let exclude = groups.map { "\"\($0)\"" }.joined(separator: ",")
        return #"""
        {"displayName":"CA100 All users - require compliant device and MFA","state":"enabled",
         "conditions":{"users":{"includeUsers":["All"],"excludeGroups":[\#(exclude)]},
                       "applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},
         "grantControls":{"operator":"AND","builtInControls":["mfa","compliantDevice"]}}
        """#
    }

    @Test("Federation down: only the cloud-only emergency accounts get in")
    func federationOutage() throws {
        let context = try Fixture.context("good")
        let admins = context.directory.activeAdministrators(at: context.now)
        #expect(admins.contains { $0.userPrincipalName == "alice@fabrikam.com" })
        let matrix = LockoutMatrix(simulation: Simulation(evaluator: context.evaluator), users: admins,
                                   priority: Set(context.resolvedAccounts.map(\.user.id)), scenarios: [.normal, .federationOutage])
        let inside = matrix.rows.filter { $0.reachesAdminResource(in: .federationOutage) }.map(\.user.name)
        #expect(inside == ["bg-01@fabrikam.onmicrosoft.com", "bg-02@fabrikam.onmicrosoft.com"])
        let alice = try #require(matrix.rows.first { $0.user.name == "alice@fabrikam.com" })
        #expect(alice.reachesAdminResource(in: .normal))
        guard case .cannotAuthenticate(let reason)? = alice.outcomes[.federationOutage]?[.azurePortal] else {
            Issue.record("alice should not authenticate with federation down")
            return
        }
        #expect(reason.contains("federated"))
        #expect(matrix.verdict(.federationOutage)?.isRecoverable == true)
        #expect(matrix.rows.prefix(2).allSatisfy { $0.isPriority })
    }

    @Test("Total MFA outage: Microsoft's mandatory MFA closes the portals, Graph from PowerShell stays open")
    func mandatoryMFA() throws {
        let context = try Fixture.context("good")
        let simulation = Simulation(evaluator: context.evaluator)
        let user = try #require(context.directory.user(idOrUPN: "bg-01@fabrikam.onmicrosoft.com"))
        #expect(!simulation.attempt(user, scenario: .mfaOutage, resource: .azurePortal).succeeded)
        #expect(simulation.attempt(user, scenario: .mfaOutage, resource: .graph).succeeded)
        #expect(simulation.attempt(user, scenario: .phoneMFAOutage, resource: .azurePortal).succeeded)
    }

    @Test("A new all-users compliant-device + MFA policy excluding nobody fails the gate, naming it")
    func gateCatchesTheLockoutPolicy() throws {
        let folder = Fixture.temporaryDirectory()
        let bad = folder.appendingPathComponent("ca100.json")
        try Data(Self.lockoutPolicy(excluding: []).utf8).write(to: bad)
        let good = Fixture.url("good")
        let config = good.appendingPathComponent("breakglass.yml").path
        let failed = try CLI.run(["gate", "--snapshot", good.path, "--config", config, "--policies", bad.path, "--format", "json"])
        #expect(failed.status == 1, "\(failed.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        let failures = results.filter { $0["status"] as? String == "fail" }
        #expect(failures.contains { ($0["related"] as? [String: Any])?["name"] as? String == "CA100 All users - require compliant device and MFA" && $0["check"] as? String == "BG030" })
        #expect(failures.contains { $0["check"] as? String == "BG070" && ($0["subject"] as? [String: Any])?["id"] as? String == "device-compliance-outage" })

        // The same policy excluding the emergency-access group passes; as UTF-16 from PowerShell, too.
        let fixed = folder.appendingPathComponent("ca100-fixed.json")
        var utf16 = Data([0xFF, 0xFE])
        utf16.append(Self.lockoutPolicy(excluding: [Self.excludeGroup]).data(using: .utf16LittleEndian) ?? Data())
        try utf16.write(to: fixed)
        let passed = try CLI.run(["gate", "--snapshot", good.path, "--config", config, "--policies", fixed.path])
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
    }

    @Test func gateOutputsSARIFAndJUnitAndRejectsBadFiles() throws {
        let folder = Fixture.temporaryDirectory()
        let bad = folder.appendingPathComponent("ca100.json")
        try Data(Self.lockoutPolicy(excluding: []).utf8).write(to: bad)
        let good = Fixture.url("good")
        let config = good.appendingPathComponent("breakglass.yml").path
        let sarif = try CLI.run(["gate", "--snapshot", good.path, "--config", config, "--policies", folder.path, "--format", "sarif"])
        #expect(sarif.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")
        let junit = try CLI.run(["gate", "--snapshot", good.path, "--config", config, "--policies", bad.path, "--format", "junit"])
        #expect(junit.stdout.contains("<failure"))

        let broken = folder.appendingPathComponent("broken.json")
        try Data(#"{"displayName":"x","conditions":{"users":{"includeUsers":[1]}}}"#.utf8).write(to: broken)
        let malformed = try CLI.run(["gate", "--snapshot", good.path, "--config", config, "--policies", broken.path])
        #expect(malformed.status == 3)
        #expect(malformed.stderr.contains("broken.json"))
        #expect(try CLI.run(["gate", "--snapshot", good.path]).status == 2)
    }

    @Test func simulateReportsAndExitsOnUnrecoverableScenarios() throws {
        let good = Fixture.url("good")
        let config = good.appendingPathComponent("breakglass.yml").path
        let normal = try CLI.run(["simulate", "--snapshot", good.path, "--config", config, "--format", "json"])
        #expect(normal.status == 0, "\(normal.stdout)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(normal.stdout.utf8)) as? [String: Any])
        let scenarios = try #require(document["scenarios"] as? [[String: Any]])
        #expect(scenarios.count == Scenario.allCases.count)

        let folder = Fixture.temporaryDirectory()
        let block = folder.appendingPathComponent("block.json")
        try Data(#"{"value":[{"id":"new-1","displayName":"Block everyone","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["block"]}}]}"#.utf8).write(to: block)
        let locked = try CLI.run(["simulate", "--snapshot", good.path, "--config", config, "--policy", block.path])
        #expect(locked.status == 1)
        #expect(locked.stdout.contains("UNRECOVERABLE"))
    }

    @Test func coverageFindsPasswordOnlyUsers() async throws {
        let context = try Fixture.context("good")
        let coverage = await Coverage(simulation: Simulation(evaluator: context.evaluator), users: context.directory.users,
                                scenarios: [.normal])
        // CA003 requires MFA of all users but the exclusion group: the emergency accounts are the password-only ones.
        let names = Set(coverage.passwordOnly.map(\.user.name))
        #expect(names == ["bg-01@fabrikam.onmicrosoft.com", "bg-02@fabrikam.onmicrosoft.com"])
    }
}

import Foundation
import Testing

/// A rotation of an account inside a restricted-management administrative unit: no tenant-scope role or app can reset
/// that password (Learn, "Restricted management administrative units in Microsoft Entra ID", Limitations), so the plan
/// takes the account out of the unit for the reset and puts it back, and says so before anyone approves it. The demo
/// tenant holds bg-01 in such a unit and bg-02 outside it.
@Suite("rotate plan and restricted-management administrative units")
struct RotationPlanNoteTests {
    func plan(for account: String) throws -> [String: Any] {
        let folder = Fixture.temporaryDirectory()
        let snapshot = folder.appendingPathComponent("snap")
        #expect(try CLI.run(["snapshot", "--demo", "--out", snapshot.path]).status == 0)
        let plan = folder.appendingPathComponent("rotate.json")
        let result = try CLI.run(["rotate", "plan", "--snapshot", snapshot.path, "--config",
                                  snapshot.appendingPathComponent("breakglass.yml").path, "--account", account,
                                  "--out", plan.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any])
    }

    func notes(for account: String) throws -> [String] { try plan(for: account)["notes"] as? [String] ?? [] }

    @Test("The reset of a restricted unit's member is bracketed: out of the unit (DELETE …/$ref), reset, back in")
    func resetIsBracketedByLeavingAndRejoiningTheUnit() throws {
        let inside = try plan(for: "bg-01@contoso.onmicrosoft.com")
        let steps = try #require(inside["steps"] as? [[String: Any]])
        #expect(steps.map { $0["action"] as? String } == ["removeAdministrativeUnitMember", "setPassword", "addAdministrativeUnitMember"])
        let leave = try #require(steps[0]["request"] as? [String: Any])
        #expect(leave["method"] as? String == "DELETE")
        // With /$ref only the membership goes; without it Graph would delete the account (administrativeunit-delete-members).
        #expect((leave["path"] as? String)?.hasSuffix("/members/2a008d1e-f028-5bb4-99df-c82b624f5476/$ref") == true)
        #expect((steps[0]["parameters"] as? [String: String])?["rejoinStep"] == steps[2]["id"] as? String)
        let rejoin = try #require(steps[2]["request"] as? [String: Any])
        #expect(rejoin["method"] as? String == "POST")
        #expect((rejoin["path"] as? String)?.hasSuffix("/members/$ref") == true)
        // The unit is part of the state the approvers signed: a change to its members refuses the apply.
        let state = try #require(inside["state"] as? [[String: Any]])
        #expect(state.contains { $0["key"] as? String == "administrativeUnit" })

        let outside = try plan(for: "bg-02@contoso.onmicrosoft.com")
        #expect((outside["steps"] as? [[String: Any]])?.map { $0["action"] as? String } == ["setPassword"])
    }

    @Test("An account in the restricted unit gets the note naming the unit; one outside it does not")
    func restrictedMemberIsNamed() throws {
        let inside = try notes(for: "bg-01@contoso.onmicrosoft.com")
        #expect(inside.contains { $0.contains("restricted-management administrative unit 'Emergency access (restricted)'") })
        let outside = try notes(for: "bg-02@contoso.onmicrosoft.com")
        #expect(!outside.contains { $0.contains("restricted-management administrative unit") })
    }
}

import Foundation
import Testing

/// A rotation of an account inside a restricted-management administrative unit says, before anyone approves it, that a
/// tenant-scope role or app cannot reset that password (Learn, "Restricted management administrative units in
/// Microsoft Entra ID"). The demo tenant holds bg-01 in such a unit and bg-02 outside it.
@Suite("rotate plan and restricted-management administrative units")
struct RotationPlanNoteTests {
    func notes(for account: String) throws -> [String] {
        let folder = Fixture.temporaryDirectory()
        let snapshot = folder.appendingPathComponent("snap")
        #expect(try CLI.run(["snapshot", "--demo", "--out", snapshot.path]).status == 0)
        let plan = folder.appendingPathComponent("rotate.json")
        let result = try CLI.run(["rotate", "plan", "--snapshot", snapshot.path, "--config",
                                  snapshot.appendingPathComponent("breakglass.yml").path, "--account", account,
                                  "--out", plan.path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any])
        return json["notes"] as? [String] ?? []
    }

    @Test("An account in the restricted unit gets the note naming the unit; one outside it does not")
    func restrictedMemberIsNamed() throws {
        let inside = try notes(for: "bg-01@contoso.onmicrosoft.com")
        #expect(inside.contains { $0.contains("restricted-management administrative unit 'Emergency access (restricted)'") })
        let outside = try notes(for: "bg-02@contoso.onmicrosoft.com")
        #expect(!outside.contains { $0.contains("restricted-management administrative unit") })
    }
}

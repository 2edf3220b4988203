import Custody
import EntraModel
import Foundation
import GraphEmulator
import Posture
import Provision
import Testing

@Suite("custodian keys")
struct CustodianKeyTests {
    static let weak = ScryptParameters(n: 1 << 12, r: 8, p: 1)

    @Test func roundTripsWithThePassphraseOnly() throws {
        let folder = Fixture.temporaryDirectory()
        let path = folder.appendingPathComponent("alice.key").path
        let key = CustodianKey(name: "alice")
        try key.write(toPath: path, passphrase: Secret(utf8: "a long passphrase"), parameters: Self.weak)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"algorithm\" : \"scrypt\"") && text.contains("\"n\" : 4096"))

        let opened = try CustodianKey.load(atPath: path, passphrase: Secret(utf8: "a long passphrase"))
        #expect(opened.publicKey == key.publicKey)
        #expect(throws: CustodyError.wrongPassphrase(path: path)) {
            try CustodianKey.load(atPath: path, passphrase: Secret(utf8: "another passphrase"))
        }
        // Renaming the key in the file breaks the seal: the name is authenticated with the private key.
        try text.replacingOccurrences(of: "\"alice\"", with: "\"mallory\"").write(toFile: path + ".2", atomically: true, encoding: .utf8)
        #expect(throws: CustodyError.wrongPassphrase(path: path + ".2")) {
            try CustodianKey.load(atPath: path + ".2", passphrase: Secret(utf8: "a long passphrase"))
        }
        #expect(throws: CustodyError.fileExists(path: path)) {
            try key.write(toPath: path, passphrase: Secret(utf8: "a long passphrase"), parameters: Self.weak)
        }
    }
}

@Suite("provision plans")
struct ProvisionPlanTests {
    static func context(_ yaml: String, folder: URL = Fixture.url("provision")) throws -> (TenantContext, [String: Data]) {
        let snapshot = try SnapshotReader().read(folder)
        let configuration = try Configuration.parse(yaml)
        let files = [SnapshotFile.policies.rawValue: try Data(contentsOf: folder.appendingPathComponent(SnapshotFile.policies.rawValue))]
        return (TenantContext(snapshot: snapshot, configuration: configuration, now: snapshot.capturedAt ?? Date()), files)
    }

    static func keys() -> [CustodianKey] { ["alice", "bob", "carol"].map { CustodianKey(name: $0) } }

    static func yaml(_ keys: [CustodianKey], approvals: Int = 2) -> String {
        """
        emergencyAccounts:
          - userPrincipalName: bg-01@fabrikam.onmicrosoft.com
          - userPrincipalName: bg-02@fabrikam.onmicrosoft.com
        custody:
          threshold: 2
          approvals: \(approvals)
          custodians:
        \(keys.map { "    - name: \($0.name)\n      publicKey: \($0.publicKey)" }.joined(separator: "\n"))
        """
    }

    @Test func plansEverythingAndNoSecret() throws {
        let (context, files) = try Self.context(Self.yaml(Self.keys()))
        let plan = try ProvisionPlanner.plan(context: context, files: files, options: ProvisionOptions(), source: "test")
        let actions = plan.steps.map(\.action)
        #expect(actions.filter { $0 == .createUser }.count == 2)
        #expect(actions.filter { $0 == .createGroup }.count == 1)
        #expect(actions.filter { $0 == .addMember }.count == 2)
        #expect(actions.filter { $0 == .assignRole }.count == 2)
        // All six policies reach a new Global Administrator: CA001 by role, the others all users; CA900 is disabled
        // but would lock them out the day it is enabled; CA004 is report-only (BG031).
        #expect(actions.filter { $0 == .excludeFromPolicy }.count == 6)
        #expect(plan.steps.first { $0.id.hasPrefix("exclude.") && $0.what.contains("CA004") }?.fixes == ["BG031"])
        // BG016: a restricted-management unit (the fixture has none), created restricted and holding both accounts,
        // after every other directory change (a member's properties are then out of tenant-wide admins' reach).
        let unitSteps = plan.steps.filter { [.createAdministrativeUnit, .addAdministrativeUnitMember].contains($0.action) }
        #expect(unitSteps.map(\.id) == ["create-administrative-unit", "add-to-administrative-unit.bg-01", "add-to-administrative-unit.bg-02"])
        #expect(unitSteps.allSatisfy { $0.fixes == ["BG016"] && $0.permission == "AdministrativeUnit.ReadWrite.All" })
        #expect(unitSteps.first?.request.body?["isMemberManagementRestricted"] == JSONValue.bool(true))
        #expect(unitSteps.last?.request.path == "/directory/administrativeUnits/\(PlanPlaceholder.administrativeUnit)/members/$ref")
        let lastExclusion = try #require(plan.steps.lastIndex { $0.action == .excludeFromPolicy })
        #expect(plan.steps.firstIndex { $0.action == .createAdministrativeUnit } == lastExclusion + 1)
        #expect(plan.subjects.administrativeUnitName == ProvisionPlanner.defaultAdministrativeUnitName)
        #expect(plan.state.contains { $0.key == "administrativeUnit" && $0.digest == StateItem.absent })
        let text = String(decoding: try plan.encoded(), as: UTF8.self)
        #expect(text.contains(PlanPlaceholder.password))
        #expect(!plan.stateHash.isEmpty && plan.state.contains { $0.key == "user:bg-01@fabrikam.onmicrosoft.com" && $0.digest == "absent" })
        // Microsoft's default model needs a FIDO2 key per account, which only a person can register.
        #expect(plan.notes.contains { $0.contains("FIDO2") })
    }

    /// A tenant that already has the design gets only what it lacks: here the disabled pilot policy that does not
    /// exclude the group yet.
    @Test func anExistingDesignPlansOnlyWhatIsMissing() throws {
        let keys = Self.keys()
        let yaml = """
            emergencyAccounts:
              - id: b9000001-0000-4000-8000-000000000001
              - userPrincipalName: bg-02@fabrikam.onmicrosoft.com
            exclusionGroup: e0000000-0000-4000-8000-0000000e0c10
            custody:
              custodians:
            \(keys.map { "    - name: \($0.name)\n      publicKey: \($0.publicKey)" }.joined(separator: "\n"))
            """
        let (context, files) = try Self.context(yaml, folder: Fixture.url("good"))
        let plan = try ProvisionPlanner.plan(context: context, files: files, options: ProvisionOptions(), source: "test")
        #expect(plan.steps.map(\.id) == ["exclude.p-old"])
        #expect(plan.steps.first?.why.contains("the day it is enabled") == true)
        // Both accounts are already in the restricted-management unit: no unit step, and the unit is in the state.
        #expect(plan.subjects.administrativeUnitID == "d0000000-0000-4000-8000-0000000ea0a1")
        #expect(plan.state.contains { $0.key == "administrativeUnit" && $0.digest != StateItem.absent })
    }

    /// BG016 from `good`, whose unit holds both accounts: a unit holding one is reused for the other; an unrestricted
    /// unit is never reused (the setting exists only at creation, Learn: admin-units-restricted-management), and one
    /// named in breakglass.yml must be restricted.
    @Test func theRestrictedUnitIsReusedOnlyWhenRestricted() throws {
        let keys = Self.keys()
        func yaml(unit: String? = nil) -> String {
            """
            emergencyAccounts:
              - id: b9000001-0000-4000-8000-000000000001
              - id: b9000001-0000-4000-8000-000000000002
            exclusionGroup: e0000000-0000-4000-8000-0000000e0c10
            \(unit.map { "administrativeUnit: \($0)" } ?? "")
            custody:
              custodians:
            \(keys.map { "    - name: \($0.name)\n      publicKey: \($0.publicKey)" }.joined(separator: "\n"))
            """
        }
        let unit = "d0000000-0000-4000-8000-0000000ea0a1"
        func unitSteps(_ folder: URL, unit configured: String? = nil) throws -> [PlanStep] {
            let (context, files) = try Self.context(yaml(unit: configured), folder: folder)
            return try ProvisionPlanner.plan(context: context, files: files, options: ProvisionOptions(), source: "test").steps
                .filter { [.createAdministrativeUnit, .addAdministrativeUnitMember].contains($0.action) }
        }

        let partial = try Fixture.copy("good")
        try ##"{"value":[{"@odata.type":"#microsoft.graph.user","id":"b9000001-0000-4000-8000-000000000001"}]}"##
            .write(to: partial.appendingPathComponent("administrative-unit-members/\(unit).json"), atomically: true, encoding: .utf8)
        let reused = try unitSteps(partial)
        #expect(reused.map(\.id) == ["add-to-administrative-unit.bg-02"])
        #expect(reused.first?.request.path == "/directory/administrativeUnits/\(unit)/members/$ref")

        let unrestricted = try Fixture.copy("good")
        try #"{"value":[{"id":"\#(unit)","displayName":"Emergency access (restricted)","isMemberManagementRestricted":null}]}"#
            .write(to: unrestricted.appendingPathComponent("administrative-units.json"), atomically: true, encoding: .utf8)
        #expect(try unitSteps(unrestricted).map(\.action) == [.createAdministrativeUnit, .addAdministrativeUnitMember, .addAdministrativeUnitMember])
        #expect(throws: ProvisionError.self) { try unitSteps(unrestricted, unit: unit) }
        #expect(try unitSteps(Fixture.url("good"), unit: unit).isEmpty)
    }

    /// The evaluator decides, not id matching: a policy for a group the accounts are not in needs no exclusion.
    @Test func policiesThatCannotReachTheAccountsAreLeftAlone() throws {
        let folder = try Fixture.copy("provision")
        let url = folder.appendingPathComponent(SnapshotFile.policies.rawValue)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var policies = try #require(document["value"] as? [[String: Any]])
        var staff = policies[2]
        staff["id"] = "c0000000-0000-4000-8000-00000000057a"
        staff["displayName"] = "CA010 Staff only"
        staff["conditions"] = ["users": ["includeGroups": ["e0000000-0000-4000-8000-00000057aff0"]],
                               "applications": ["includeApplications": ["All"]], "clientAppTypes": ["all"]]
        policies.append(staff)
        document["value"] = policies
        try JSONSerialization.data(withJSONObject: document).write(to: url)
        let (context, files) = try Self.context(Self.yaml(Self.keys()), folder: folder)
        let plan = try ProvisionPlanner.plan(context: context, files: files, options: ProvisionOptions(), source: "test")
        #expect(!plan.steps.contains { $0.what.contains("CA010") })
        #expect(plan.steps.filter { $0.action == .excludeFromPolicy }.count == 6)
    }

    @Test func approvalsNeedDistinctListedCustodians() throws {
        let keys = Self.keys()
        let (context, files) = try Self.context(Self.yaml(keys))
        var plan = try ProvisionPlanner.plan(context: context, files: files, options: ProvisionOptions(), source: "test")
        let custody = context.configuration.custody

        #expect(throws: ProvisionError.notApproved(required: 2, valid: [], problems: [])) { try plan.verifyApprovals(custody) }
        try plan.approve(with: keys[0])
        try plan.approve(with: keys[0])
        #expect(throws: ProvisionError.notApproved(required: 2, valid: ["alice"], problems: [])) { try plan.verifyApprovals(custody) }

        // A key nobody listed, under a listed name, does not count.
        var forged = plan
        try forged.approve(with: CustodianKey(name: "bob"))
        #expect(throws: ProvisionError.notApproved(
            required: 2, valid: ["alice"], problems: ["bob signed with a key that is not the one in breakglass.yml"])) {
            try forged.verifyApprovals(custody)
        }

        try plan.approve(with: keys[1])
        #expect(try plan.verifyApprovals(custody) == ["alice", "bob"])

        // Any change after signing invalidates every signature.
        var edited = plan
        edited.steps.removeLast()
        #expect(throws: ProvisionError.self) { try edited.verifyApprovals(custody) }
    }
}

@Suite("emulator writes")
struct EmulatorWriteTests {
    static func emulator(_ options: EmulatorOptions = EmulatorOptions()) throws -> GraphEmulator {
        try GraphEmulator(snapshot: Fixture.url("provision"), options: options)
    }

    static func token(_ emulator: GraphEmulator) async throws -> String {
        let answer = await emulator.handle(EmulatorRequest(
            method: "POST", path: "/tenant/oauth2/v2.0/token", query: [:], headers: [:],
            body: Data("grant_type=client_credentials&client_id=a&client_secret=b&scope=x".utf8), baseURL: "http://127.0.0.1"))
        let json = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
        return try #require(json["access_token"] as? String)
    }

    static func send(_ emulator: GraphEmulator, _ method: String, _ path: String, _ body: String) async throws -> (Int, String) {
        let token = try await token(emulator)
        let answer = await emulator.handle(EmulatorRequest(
            method: method, path: path, query: [:], headers: ["Authorization": "Bearer \(token)"], body: Data(body.utf8),
            baseURL: "http://127.0.0.1"))
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    static func user(_ upn: String, password: String) -> String {
        #"{"accountEnabled":true,"displayName":"x","mailNickname":"x","userPrincipalName":"\#(upn)","passwordProfile":{"password":"\#(password)"}}"#
    }

    /// graph.md §11: 8–256 printable ASCII characters, 3 of 4 classes.
    @Test("Entra's password rules", arguments: [
        ("short1A!", 201), ("alllowercaseletters", 400), ("lowerandUPPERonly", 400), ("lower UPPER 123", 201),
        ("Ünïcode-Passw0rd", 400), ("Abcdefg", 400),
    ])
    func passwordComplexity(password: String, status: Int) async throws {
        let emulator = try Self.emulator()
        let (answer, body) = try await Self.send(emulator, "POST", "/v1.0/users", Self.user("x@fabrikam.onmicrosoft.com", password: password))
        #expect(answer == status, "\(body)")
    }

    @Test func duplicatesAndRoleAssignableRules() async throws {
        let emulator = try Self.emulator()
        let user = Self.user("dup@fabrikam.onmicrosoft.com", password: "Str0ng-enough!")
        #expect(try await Self.send(emulator, "POST", "/v1.0/users", user).0 == 201)
        let (status, body) = try await Self.send(emulator, "POST", "/v1.0/users", user)
        #expect(status == 400 && body.contains("ObjectConflict"))
        #expect(try await Self.send(emulator, "POST", "/v1.0/users", Self.user("x@unverified.example", password: "Str0ng-enough!")).0 == 400)

        let dynamic = #"{"displayName":"d","mailEnabled":false,"mailNickname":"d","securityEnabled":true,"isAssignableToRole":true,"groupTypes":["DynamicMembership"],"membershipRule":"user.department -eq \"x\""}"#
        #expect(try await Self.send(emulator, "POST", "/v1.0/groups", dynamic).0 == 400)
        let (created, group) = try await Self.send(emulator, "POST", "/v1.0/groups",
            #"{"displayName":"g","mailEnabled":false,"mailNickname":"g","securityEnabled":true,"isAssignableToRole":true}"#)
        #expect(created == 201)
        let groupID = try #require((try JSONSerialization.jsonObject(with: Data(group.utf8)) as? [String: Any])?["id"] as? String)
        let nested = #"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/e0000000-0000-4000-8000-00000057aff0"}"#
        #expect(try await Self.send(emulator, "POST", "/v1.0/groups/\(groupID)/members/$ref", nested).0 == 400)
    }

    @Test func writesNeedTheirPermission() async throws {
        let emulator = try Self.emulator(EmulatorOptions(applicationGrant: EmulatorGrant(permissions: ["Group.ReadWrite.All"])))
        let roleAssignable = #"{"displayName":"g","mailEnabled":false,"mailNickname":"g","securityEnabled":true,"isAssignableToRole":true}"#
        #expect(try await Self.send(emulator, "POST", "/v1.0/groups", roleAssignable).0 == 403)
        let plain = #"{"displayName":"g","mailEnabled":false,"mailNickname":"g","securityEnabled":true}"#
        #expect(try await Self.send(emulator, "POST", "/v1.0/groups", plain).0 == 201)
        #expect(try await Self.send(emulator, "POST", "/v1.0/users", Self.user("y@fabrikam.onmicrosoft.com", password: "Str0ng-enough!")).0 == 403)
        #expect(await emulator.writeCount() == 1)
    }

    /// Learn: directory-post-administrativeunits and administrativeunit-post-members (v1.0) — both need
    /// AdministrativeUnit.ReadWrite.All; an existing member reference answers 400, as for groups.
    @Test func administrativeUnitWrites() async throws {
        let denied = try Self.emulator(EmulatorOptions(applicationGrant: EmulatorGrant(permissions: ["Directory.ReadWrite.All"])))
        let unit = #"{"displayName":"Emergency access","description":"bg","isMemberManagementRestricted":true}"#
        #expect(try await Self.send(denied, "POST", "/v1.0/directory/administrativeUnits", unit).0 == 403)

        let emulator = try Self.emulator(EmulatorOptions(applicationGrant: EmulatorGrant(permissions: ["AdministrativeUnit.ReadWrite.All"])))
        #expect(try await Self.send(emulator, "POST", "/v1.0/directory/administrativeUnits", #"{"description":"no name"}"#).0 == 400)
        let (created, body) = try await Self.send(emulator, "POST", "/v1.0/directory/administrativeUnits", unit)
        #expect(created == 201, "\(body)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
        let member = #"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/e0000000-0000-4000-8000-00000057aff0"}"#
        let path = "/v1.0/directory/administrativeUnits/\(id)/members/$ref"
        #expect(try await Self.send(emulator, "POST", path, member).0 == 204)
        let (again, duplicate) = try await Self.send(emulator, "POST", path, member)
        #expect(again == 400 && duplicate.contains("already exist"))
        let missing = #"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-4000-8000-000000000bad"}"#
        #expect(try await Self.send(emulator, "POST", path, missing).0 == 404)

        // Served back as a capture reads them: the unit restricted, its member in the members folder.
        let (listed, units) = try await Self.send(emulator, "GET", "/v1.0/directory/administrativeUnits", "")
        #expect(listed == 200 && units.contains(id) && units.contains(#""isMemberManagementRestricted":true"#))
        let (_, members) = try await Self.send(emulator, "GET", "/v1.0/directory/administrativeUnits/\(id)/members", "")
        #expect(members.contains("e0000000-0000-4000-8000-00000057aff0"))
    }

    /// Learn, admin-units-restricted-management: a restricted unit's member cannot be changed from tenant scope, not
    /// even by a Global Administrator with every permission; taking it out (`DELETE …/members/{id}/$ref`,
    /// administrativeunit-delete-members) is allowed, and then the change goes through. Without `/$ref` Graph would
    /// delete the object itself where the caller may manage it — a restricted member it may not: 403.
    @Test func aRestrictedUnitsMemberCannotBeChangedUntilItLeaves() async throws {
        let emulator = try Self.emulator()
        let (_, body) = try await Self.send(emulator, "POST", "/v1.0/directory/administrativeUnits",
                                            #"{"displayName":"Emergency access","isMemberManagementRestricted":true}"#)
        let unit = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String)
        let user = "a1000000-0000-4000-8000-000000000b0b"
        let change = #"{"passwordPolicies":"DisablePasswordExpiration"}"#
        #expect(try await Self.send(emulator, "PATCH", "/v1.0/users/\(user)", change).0 == 204)
        #expect(try await Self.send(emulator, "POST", "/v1.0/directory/administrativeUnits/\(unit)/members/$ref",
                                    #"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/\#(user)"}"#).0 == 204)

        let (refused, error) = try await Self.send(emulator, "PATCH", "/v1.0/users/\(user)", change)
        #expect(refused == 403 && error.contains("Authorization_RequestDenied"))
        #expect(try await Self.send(emulator, "PATCH", "/v1.0/users/\(user)", #"{"passwordProfile":{"password":"Correct-Horse-9-Battery"}}"#).0 == 403)
        #expect(try await Self.send(emulator, "DELETE", "/v1.0/directory/administrativeUnits/\(unit)/members/\(user)", "").0 == 403)

        #expect(try await Self.send(emulator, "DELETE", "/v1.0/directory/administrativeUnits/\(unit)/members/\(user)/$ref", "").0 == 204)
        #expect(try await Self.send(emulator, "DELETE", "/v1.0/directory/administrativeUnits/\(unit)/members/\(user)/$ref", "").0 == 404)
        #expect(try await Self.send(emulator, "PATCH", "/v1.0/users/\(user)", change).0 == 204)

        let denied = try Self.emulator(EmulatorOptions(applicationGrant: EmulatorGrant(permissions: ["User.ReadWrite.All"])))
        #expect(try await Self.send(denied, "DELETE", "/v1.0/directory/administrativeUnits/\(unit)/members/\(user)/$ref", "").0 == 403)
    }
}

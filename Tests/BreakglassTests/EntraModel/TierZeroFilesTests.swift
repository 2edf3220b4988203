import Foundation
import Testing

@testable import EntraModel

/// The tier-0 snapshot files read as Graph sends them and as people export them (issue 15).
@Suite("Reading owners, applications, administrative units and the authentication methods policy")
struct TierZeroFilesTests {
    func read(_ overrides: [String: String], utf16: Set<String> = []) throws -> Snapshot {
        var files = SnapshotReaderTests.minimal.mapValues { Data($0.utf8) }
        for (name, text) in overrides {
            files[name] = utf16.contains(name) ? Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data()) : Data(text.utf8)
        }
        return try SnapshotReader().read(from: MemorySource(files))
    }

    @Test("Graph's shapes: nulls for lists, unknown enum values kept, a one-element list for an object, UTF-16")
    func shapes() throws {
        let snapshot = try read([
            "service-principals.json": ##"{"value":[{"id":"SP1","appId":"A1","displayName":"App","servicePrincipalType":"SocialIdp","accountEnabled":null,"appRoles":null,"@odata.type":"#microsoft.graph.servicePrincipal"}]}"##,
            "graph-service-principal.json": ##"{"value":[{"id":"g","appId":"00000003-0000-0000-c000-000000000000","appRoles":[{"id":"R1","value":"RoleManagement.ReadWrite.Directory","futureField":1},{"id":"R2","value":null}]}]}"##,
            "graph-app-role-assignments.json": ##"[{"id":"x","appRoleId":"R1","principalId":"SP1","principalType":"ServicePrincipal"}]"##,
            "administrative-units.json": ##"{"value":[{"id":"au1","displayName":"Restricted","isMemberManagementRestricted":true},{"id":"au2","isMemberManagementRestricted":null},{"id":"au3"}]}"##,
            "authentication-methods-policy.json": ##"{"id":"authenticationMethodsPolicy","authenticationMethodConfigurations":[{"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2","state":"enabled","includeTargets":[{"targetType":"group","id":"all_users"}],"excludeTargets":null},{"id":"HypotheticalNewMethod","state":"unknownFutureValue"}]}"##,
            "group-owners/G1.json": ##"{"value":[{"@odata.type":"#microsoft.graph.servicePrincipal","id":"SP1"}]}"##,
        ], utf16: ["authentication-methods-policy.json"])
        #expect(snapshot.servicePrincipals?.first?.appRoles == [])
        #expect(snapshot.servicePrincipals?.first?.servicePrincipalType == "SocialIdp")
        #expect(snapshot.graphServicePrincipal?.appRoles.map(\.value) == ["RoleManagement.ReadWrite.Directory", nil])
        #expect(snapshot.graphAppRoleAssignments?.count == 1)
        #expect(snapshot.administrativeUnits?.map(\.isRestricted) == [true, false, false])
        let policy = try #require(snapshot.authenticationMethodsPolicy)
        #expect(policy.configuration("fido2")?.excludeTargets == [])
        #expect(policy.configuration("Fido2")?.includeTargets.first?.isAllUsers == true)
        #expect(policy.configuration("HypotheticalNewMethod")?.isEnabled == false)
        #expect(snapshot.groupOwners["g1"]?.first?.isServicePrincipal == true)
    }

    @Test("Missing tier-0 files are recorded with what they need, never errors")
    func missing() throws {
        let snapshot = try read([:])
        #expect(snapshot.servicePrincipals == nil && snapshot.authenticationMethodsPolicy == nil)
        #expect(snapshot.whyUnavailable(.servicePrincipals)?.description == "service-principals.json is not in the snapshot (needs Application.Read.All)")
        #expect(snapshot.whyUnavailable(.administrativeUnits)?.description.contains("AdministrativeUnit.Read.All") == true)
        #expect(snapshot.whyUnavailable(.authenticationMethodsPolicy)?.description.contains("Policy.Read.AuthenticationMethod") == true)
    }

    @Test("A wrong type names the file and the JSON path")
    func malformed() {
        #expect(throws: SnapshotError.self) {
            try read(["administrative-units.json": ##"{"value":[{"id":"au1","isMemberManagementRestricted":"yes"}]}"##])
        }
        do {
            _ = try read(["graph-app-role-assignments.json": ##"{"value":[{"id":"x","appRoleId":5,"principalId":"p"}]}"##])
            Issue.record("a number for appRoleId was accepted")
        } catch {
            #expect("\(error)".contains("graph-app-role-assignments.json"))
        }
    }

    @Test("FIDO2 AAGUID and certificate user ids decode, by the fast user decoder too")
    func credentials() throws {
        let snapshot = try read([
            "users.json": ##"{"value":[{"id":"u1","userPrincipalName":"a@t.onmicrosoft.com","authorizationInfo":{"certificateUserIds":["X509:<I>CN=CA<S>CN=a"]}},{"id":"u2","authorizationInfo":null}]}"##,
            "authentication-methods/u1.json": ##"{"value":[{"@odata.type":"#microsoft.graph.fido2AuthenticationMethod","id":"k","aaGuid":"cb69481e-8ff7-4039-93ec-0a2729a154a8","model":"YubiKey 5"}]}"##,
        ])
        #expect(snapshot.users.first?.authorizationInfo?.certificateUserIds == ["X509:<I>CN=CA<S>CN=a"])
        #expect(snapshot.users.last?.authorizationInfo == nil)
        #expect(snapshot.authenticationMethods["u1"]?.first?.aaGuid == "cb69481e-8ff7-4039-93ec-0a2729a154a8")
        let data = Data(#"{"value":[{"id":"u1","authorizationInfo":{"certificateUserIds":["X509:<PN>a@t"]}}]}"#.utf8)
        #expect(FastUserDecoder.decode(data)?.first?.authorizationInfo?.certificateUserIds == ["X509:<PN>a@t"])
    }
}

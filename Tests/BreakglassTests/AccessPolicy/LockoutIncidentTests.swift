import EntraModel
import Foundation
import Testing

@testable import AccessPolicy

/// DESIGN.md, "The incidents it exists for", incident 2: a new all-users compliant-device + MFA policy. (Incident
/// 1, federation down, is a scenario for `simulate`, not the evaluator.)
@Suite("AccessPolicy lock-out incident")
struct AccessPolicyLockoutIncidentTests {
    static let ga = WellKnownRole.globalAdministrator

    func tenant(excludeGroups: [String]) throws -> Evaluator {
        let excluded = excludeGroups.map { "\"\($0)\"" }.joined(separator: ", ")
        let files: [String: String] = [
            "organization.json": #"{"value": [{"id": "t1", "displayName": "Contoso"}]}"#,
            "domains.json": #"{"value": [{"id": "contoso.onmicrosoft.com", "authenticationType": "Managed", "isInitial": true}]}"#,
            "users.json": """
                {"value": [
                  {"id": "a1", "userPrincipalName": "alice@contoso.com", "userType": "Member"},
                  {"id": "a2", "userPrincipalName": "bob@contoso.com", "userType": "Member"},
                  {"id": "bg1", "userPrincipalName": "bg-01@contoso.onmicrosoft.com", "userType": "Member"}
                ]}
                """,
            "groups.json": #"{"value": [{"id": "g-emergency", "displayName": "BG-Emergency", "isAssignableToRole": false}]}"#,
            "group-members/g-emergency.json": ##"{"value": [{"@odata.type": "#microsoft.graph.user", "id": "bg1"}]}"##,
            "role-definitions.json": """
                {"value": [{"id": "\(Self.ga)", "displayName": "Global Administrator", "templateId": "\(Self.ga)"}]}
                """,
            "role-assignments.json": """
                {"value": [
                  {"id": "r1", "principalId": "a1", "roleDefinitionId": "\(Self.ga)", "directoryScopeId": "/"},
                  {"id": "r2", "principalId": "a2", "roleDefinitionId": "\(Self.ga)", "directoryScopeId": "/"},
                  {"id": "r3", "principalId": "bg1", "roleDefinitionId": "\(Self.ga)", "directoryScopeId": "/"}
                ]}
                """,
            "conditional-access-policies.json": """
                {"value": [{
                  "id": "p-new", "displayName": "Require compliant device and MFA", "state": "enabled",
                  "conditions": {
                    "users": {"includeUsers": ["All"], "excludeUsers": [], "excludeGroups": [\(excluded)]},
                    "applications": {"includeApplications": ["All"]},
                    "clientAppTypes": ["all"]
                  },
                  "grantControls": {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}
                }]}
                """,
            "authentication-methods/a1.json": ##"{"value": [{"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod"}]}"##,
            "authentication-methods/a2.json": ##"{"value": [{"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "phoneType": "mobile"}]}"##,
            "authentication-methods/bg1.json": ##"{"value": [{"@odata.type": "#microsoft.graph.fido2AuthenticationMethod"}]}"##,
        ]
        let snapshot = try SnapshotReader().read(from: MemorySource(files.mapValues { Data($0.utf8) }))
        return Evaluator(directory: Directory(snapshot), now: Date(timeIntervalSince1970: 1_750_000_000))
    }

    @Test func excludingNobodyBlocksEveryAdministrator() throws {
        let evaluator = try tenant(excludeGroups: [])
        let admins = evaluator.directory.activeHolders(ofRole: Self.ga, at: evaluator.now)
        #expect(admins.count == 3)
        for admin in admins {
            for resource in [Resource.azurePortal, Resource.m365AdminCenter] {
                let evaluation = evaluator.evaluate(SignInContext(userID: admin.id, resource: resource))
                #expect(evaluation.decision == .block, "\(admin.name)")
                #expect(evaluation.blockReasons == [
                    "policy 'Require compliant device and MFA' requires mfa and compliantDevice: missing compliantDevice",
                ])
            }
        }
    }

    @Test func excludingTheEmergencyGroupLetsTheEmergencyAccountIn() throws {
        let evaluator = try tenant(excludeGroups: ["g-emergency"])
        let emergency = evaluator.evaluate(SignInContext(userID: "bg-01@contoso.onmicrosoft.com"))
        #expect(emergency.decision == .grant)
        #expect(emergency.policies.first?.applies == Applicability.no)
        #expect(emergency.policies.first?.reasons == ["user excluded by group BG-Emergency"])
        #expect(evaluator.evaluate(SignInContext(userID: "a1")).decision == .block)
        let policy = try #require(evaluator.directory.snapshot.policies.first)
        #expect(evaluator.mayApply(policy, toUser: "bg1").applies == false)
        #expect(evaluator.mayApply(policy, toUser: "a1").applies)
    }
}

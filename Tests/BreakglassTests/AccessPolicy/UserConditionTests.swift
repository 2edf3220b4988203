import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

@Suite("AccessPolicy users condition")
struct AccessPolicyUserConditionTests {
    typealias Users = ConditionalAccessPolicy.Users

    func scope(_ tenant: AccessTestTenant, _ users: Users, user: String = "u1") -> UserScope {
        tenant.evaluator.userScope(of: accessPolicy("P", users: users), userID: user)
    }

    @Test func nestedGroupsExcludeWithThePath() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        tenant.addGroup("g-inner", name: "BG-Accounts", users: ["u1"])
        tenant.addGroup("g-mid", name: "Tier0", groups: ["g-inner"])
        tenant.addGroup("g-outer", name: "BG-Exclusions", groups: ["g-mid"])
        let excluded = scope(tenant, Users(includeUsers: ["All"], excludeGroups: ["G-OUTER"]))
        #expect(excluded == .excluded("user excluded by group BG-Exclusions (nested through Tier0 → BG-Accounts)"))
        let direct = scope(tenant, Users(includeGroups: ["g-inner"]))
        #expect(direct == .included("user included by group BG-Accounts"))
        #expect(scope(tenant, Users(includeGroups: ["g-outer"]), user: "someone-else").isIncluded == false)
    }

    /// The path named is a shortest chain of nesting (a breadth-first walk up from the user), and a chain deeper than
    /// eight groups is shortened to its three outermost and three innermost groups: a directory nesting groups
    /// hundreds deep must not print hundreds of names per policy (issue 11, whatif < 1 ms on the harsh shape).
    @Test func theShortestNestingIsNamedAndLongChainsAreShortened() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        // top ⊃ n1 ⊃ n2 ⊃ … ⊃ n12 ⊃ u1, and shortcut ⊃ n12.
        tenant.addGroup("n12", name: "N12", users: ["u1"])
        for level in stride(from: 11, through: 1, by: -1) {
            tenant.addGroup("n\(level)", name: "N\(level)", groups: ["n\(level + 1)"])
        }
        tenant.addGroup("top", name: "Top", groups: ["n1"])
        tenant.addGroup("wide", name: "Wide", groups: ["n1", "n12"])
        #expect(scope(tenant, Users(includeGroups: ["top"]))
            == .included("user included by group Top (nested through N1 → N2 → N3 → … 6 more groups … → N10 → N11 → N12)"))
        #expect(scope(tenant, Users(includeGroups: ["wide"])) == .included("user included by group Wide (nested through N12)"))
        #expect(scope(tenant, Users(includeGroups: ["n5"]))
            == .included("user included by group N5 (nested through N6 → N7 → N8 → N9 → N10 → N11 → N12)"))
    }

    @Test func groupCyclesEndTheWalk() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        tenant.addGroup("a", name: "A", users: ["u1"], groups: ["b"])
        tenant.addGroup("b", name: "B", groups: ["a"])
        #expect(scope(tenant, Users(includeGroups: ["b"])) == .included("user included by group B (nested through A)"))
        #expect(scope(tenant, Users(includeUsers: ["All"], excludeGroups: ["a"])).isIncluded == false)
        tenant.addUser("u2")
        #expect(scope(tenant, Users(includeGroups: ["a", "b"]), user: "u2").isIncluded == false)
    }

    @Test func unknownMembersMayIncludeButNeverExclude() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        tenant.groups.append(Group(id: "g-unknown", displayName: "Dynamic Admins"))
        tenant.addGroup("g-outer", name: "Outer", groups: ["g-unknown"])
        let excluded = scope(tenant, Users(includeUsers: ["All"], excludeGroups: ["g-unknown"]))
        #expect(excluded.isIncluded)
        #expect(excluded.reason.contains("members of group Dynamic Admins are not in the snapshot: not counted"))
        let included = scope(tenant, Users(includeGroups: ["g-outer"]))
        #expect(included.isIncluded)
        #expect(included.reason.contains("nested group Dynamic Admins"))
        tenant.policies = [accessPolicy("P", users: Users(includeGroups: ["g-outer"]))]
        let verdict = tenant.evaluator.evaluate(SignInContext(userID: "u1")).verdict("P")
        #expect(verdict?.applies == .unknown)
    }

    @Test func activeRolesIncludeEligibleOnlyDoNot() {
        var tenant = AccessTestTenant()
        tenant.addUser("admin")
        tenant.addUser("eligible")
        tenant.addUser("via-group")
        tenant.addUser("activated")
        tenant.addUser("expired")
        tenant.assign(AccessTestTenant.globalAdministrator, to: "admin")
        tenant.addGroup("g-ra", name: "GA holders", users: ["via-group"])
        tenant.assign(AccessTestTenant.globalAdministrator, to: "g-ra")
        let ga = AccessTestTenant.globalAdministrator
        let hour: TimeInterval = 3600
        tenant.scheduleInstances = [
            RoleAssignmentScheduleInstance(id: "i1", principalId: "activated", roleDefinitionId: ga,
                                           directoryScopeId: "/", assignmentType: "Activated",
                                           startDateTime: AccessTestTenant.now - hour,
                                           endDateTime: AccessTestTenant.now + hour),
            RoleAssignmentScheduleInstance(id: "i2", principalId: "expired", roleDefinitionId: ga,
                                           directoryScopeId: "/", assignmentType: "Activated",
                                           startDateTime: AccessTestTenant.now - 3 * hour,
                                           endDateTime: AccessTestTenant.now - hour),
        ]
        tenant.eligibility = [
            RoleEligibilitySchedule(id: "e1", principalId: "eligible", roleDefinitionId: ga, directoryScopeId: "/"),
        ]
        let users = Users(includeRoles: [ga])
        #expect(scope(tenant, users, user: "admin") == .included("user included by role Global Administrator"))
        #expect(scope(tenant, users, user: "via-group")
            == .included("user included by role Global Administrator through group GA holders"))
        #expect(scope(tenant, users, user: "activated")
            == .included("user included by role Global Administrator (PIM-activated)"))
        #expect(scope(tenant, users, user: "expired").isIncluded == false)
        let eligible = scope(tenant, users, user: "eligible")
        #expect(eligible.isIncluded == false)
        #expect(eligible.reason.contains("role Global Administrator is eligible only (not active): it does not include"))
        // An eligible-only role does not exclude either; an active one does, and exclusion wins.
        #expect(scope(tenant, Users(includeUsers: ["All"], excludeRoles: [ga]), user: "eligible").isIncluded)
        #expect(scope(tenant, Users(includeUsers: ["All"], excludeRoles: [ga]), user: "admin")
            == .excluded("user excluded by role Global Administrator"))
    }

    @Test func noneIncludesNobody() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        tenant.addGroup("g", users: ["u1"])
        let users = Users(includeUsers: ["None"], includeGroups: ["g"])
        #expect(scope(tenant, users) == .notIncluded("includeUsers is None: the policy includes nobody"))
    }

    @Test func guestAndExternalUserTypes() throws {
        var tenant = AccessTestTenant()
        tenant.addUser("member")
        tenant.addUser("local-guest", type: "Guest")
        tenant.addUser("b2b-guest", upn: "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", type: "Guest")
        tenant.addUser("b2b-member", type: "Member")
        if let index = tenant.users.firstIndex(where: { $0.id == "b2b-member" }) {
            tenant.users[index].externalUserState = "Accepted"
        }
        let legacy = Users(includeUsers: ["GuestsOrExternalUsers"])
        #expect(scope(tenant, legacy, user: "member").isIncluded == false)
        #expect(scope(tenant, legacy, user: "local-guest").isIncluded)
        #expect(scope(tenant, legacy, user: "b2b-member").isIncluded)

        let policy = try decodedPolicy("""
            {"id": "p", "displayName": "Guests", "state": "enabled",
             "conditions": {"applications": {"includeApplications": ["All"]},
               "users": {"includeGuestsOrExternalUsers": {
                 "guestOrExternalUserTypes": "b2bCollaborationGuest,b2bCollaborationMember",
                 "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants",
                                     "membershipKind": "all"}}}},
             "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
            """)
        let evaluator = tenant.evaluator
        #expect(evaluator.userScope(of: policy, userID: "b2b-guest")
            == .included("user included as guest or external user type b2bCollaborationGuest"))
        #expect(evaluator.userScope(of: policy, userID: "b2b-member").isIncluded)
        #expect(evaluator.userScope(of: policy, userID: "local-guest").isIncluded == false)
        #expect(evaluator.userScope(of: policy, userID: "member").isIncluded == false)

        var enumerated = policy
        enumerated.conditions.users = Users(
            includeUsers: ["All"],
            excludeGuestsOrExternalUsers: .init(guestOrExternalUserTypes: ["b2bCollaborationGuest"],
                                                externalTenants: try JSONDecoder().decode(
                                                    ConditionalAccessPolicy.ExternalTenants.self,
                                                    from: Data(#"{"membershipKind": "enumerated", "members": ["t1"]}"#.utf8))))
        let unsure = evaluator.userScope(of: enumerated, userID: "b2b-guest")
        #expect(unsure.isIncluded, "a B2B guest's home tenant is unknown: not counted as excluded")
        #expect(unsure.reason.contains("home tenant is unknown"))
    }

    @Test func exclusionByIDWinsOverEveryInclusion() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        tenant.addGroup("g", users: ["u1"])
        tenant.assign(AccessTestTenant.globalAdministrator, to: "u1")
        let users = Users(includeUsers: ["All", "u1"], excludeUsers: ["U1"], includeGroups: ["g"],
                          includeRoles: [AccessTestTenant.globalAdministrator])
        #expect(scope(tenant, users) == .excluded("user excluded directly (excludeUsers)"))
    }

    @Test func userIsFoundByUPN() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", upn: "Alice@contoso.com")
        #expect(scope(tenant, Users(includeUsers: ["u1"]), user: "alice@CONTOSO.com")
            == .included("user included directly (includeUsers)"))
    }
}

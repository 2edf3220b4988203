import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

/// A small tenant built in code for the AccessPolicy tests.
struct AccessTestTenant {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let globalAdministrator = WellKnownRole.globalAdministrator
    static let userAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1"

    var users: [User] = []
    var groups: [Group] = []
    var members: [String: [DirectoryObjectReference]] = [:]
    var roleDefinitions: [RoleDefinition] = [
        RoleDefinition(id: globalAdministrator, displayName: "Global Administrator"),
        RoleDefinition(id: userAdministrator, displayName: "User Administrator"),
    ]
    var roleAssignments: [RoleAssignment] = []
    var scheduleInstances: [RoleAssignmentScheduleInstance]?
    var eligibility: [RoleEligibilitySchedule]?
    var policies: [ConditionalAccessPolicy] = []
    var namedLocations: [NamedLocation]? = []
    var strengths: [AuthenticationStrengthPolicy]?
    var securityDefaults: Bool?
    var methods: [String: [AuthenticationMethod]] = [:]

    mutating func addUser(_ id: String, upn: String? = nil, type: String = "Member", methods kinds: [String]? = nil) {
        users.append(User(id: id, displayName: id, userPrincipalName: upn ?? "\(id)@contoso.onmicrosoft.com",
                          userType: type))
        if let kinds { methods[id] = kinds.map { AuthenticationMethod(kind: $0) } }
    }

    /// A group with known members (users and nested groups).
    mutating func addGroup(_ id: String, name: String? = nil, users memberUsers: [String] = [],
                           groups memberGroups: [String] = []) {
        groups.append(Group(id: id, displayName: name ?? id))
        members[id] = memberUsers.map { DirectoryObjectReference(id: $0, odataType: "#microsoft.graph.user") }
            + memberGroups.map { DirectoryObjectReference(id: $0, odataType: "#microsoft.graph.group") }
    }

    mutating func assign(_ role: String, to principal: String) {
        roleAssignments.append(RoleAssignment(id: "ra-\(roleAssignments.count)", principalId: principal,
                                              roleDefinitionId: role, directoryScopeId: "/"))
    }

    var snapshot: Snapshot {
        var snapshot = Snapshot(organization: Organization(id: "tenant"), users: users, groups: groups,
                                groupMembers: members, roleDefinitions: roleDefinitions,
                                roleAssignments: roleAssignments, policies: policies)
        snapshot.roleAssignmentScheduleInstances = scheduleInstances
        snapshot.roleEligibilitySchedules = eligibility
        snapshot.namedLocations = namedLocations
        snapshot.authenticationStrengths = strengths
        snapshot.securityDefaults = securityDefaults.map(SecurityDefaults.init(isEnabled:))
        snapshot.authenticationMethods = methods
        return snapshot
    }

    var evaluator: Evaluator { Evaluator(directory: Directory(snapshot), now: Self.now) }
}

/// A policy built in code: all resources, the given users and grant controls.
func accessPolicy(_ name: String, state: String = PolicyState.enabled,
                  users: ConditionalAccessPolicy.Users = .init(includeUsers: ["All"]),
                  applications: ConditionalAccessPolicy.Applications = .init(),
                  grant: [String]? = ["mfa"], operator: String = "OR",
                  configure: (inout ConditionalAccessPolicy.Conditions) -> Void = { _ in }) -> ConditionalAccessPolicy {
    var conditions = ConditionalAccessPolicy.Conditions(users: users, applications: applications)
    configure(&conditions)
    return ConditionalAccessPolicy(
        id: "id-\(name)", displayName: name, state: state, conditions: conditions,
        grantControls: grant.map { .init(operator: `operator`, builtInControls: $0) })
}

/// A policy as Graph returns it.
func decodedPolicy(_ json: String) throws -> ConditionalAccessPolicy {
    try JSONDecoder.graph().decode(ConditionalAccessPolicy.self, from: Data(json.utf8))
}

extension Evaluation {
    func verdict(_ name: String) -> PolicyVerdict? { policies.first { $0.displayName == name } }
}

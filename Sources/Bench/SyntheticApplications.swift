import EntraModel
import Foundation

/// The applications of a synthetic tenant (issue 15): service principals with Microsoft Graph application
/// permissions (a few of them take-over or lock-out permissions), their registrations and owners, the exclusion
/// group's owner, a restricted-management unit holding the emergency accounts, and the authentication methods policy.
/// Separate from the users and groups so the same tenant can be generated with or without them.
extension SyntheticTenant {
    static let graphServicePrincipalID = id("9", 0)

    /// Microsoft Graph's app roles the generator grants (ids as Microsoft publishes them).
    static let graphPermissions: [(name: String, id: String)] = [
        ("User.Read.All", "df021288-bdef-4463-88db-98f22de89214"),
        ("Application.Read.All", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"),
        ("Group.ReadWrite.All", "62a82d76-70ea-41e2-9197-370581804d09"),
        ("Directory.ReadWrite.All", "19dbc75e-c2e2-444c-a770-ec69d8559fc7"),
        ("Policy.ReadWrite.ConditionalAccess", "01c0a623-fc9b-48e9-b794-0756f8e8f067"),
        ("Application.ReadWrite.All", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"),
        ("RoleManagement.ReadWrite.Directory", "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"),
        ("UserAuthenticationMethod.ReadWrite.All", "50483e42-d915-4231-9639-7fdb7fd190e5"),
        ("AppRoleAssignment.ReadWrite.All", "06b708a9-e830-4db3-a914-8e69da51d44f"),
    ]

    func servicePrincipalID(_ index: Int) -> String { Self.id("8", index + 1) }
    func applicationID(_ index: Int) -> String { Self.id("7", index + 1) }
    func appID(_ index: Int) -> String { Self.id("6", index + 1) }

    /// Adds the application files for `servicePrincipals` service principals to `files`.
    func addApplications(to files: inout [String: Data], random: inout SplitMix64, owners candidates: [String]) {
        func put(_ name: String, _ body: String) { files[name] = Data(body.utf8) }
        func list(_ items: [String]) -> String { "{\"value\":[\n" + items.joined(separator: ",\n") + "\n]}" }
        func reference(_ kind: String, _ id: String) -> String { "{\"@odata.type\":\"#microsoft.graph.\(kind)\",\"id\":\"\(id)\"}" }
        let tenant = Self.id("f", 1)
        let microsoft = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

        let roles = Self.graphPermissions.map {
            "{\"allowedMemberTypes\":[\"Application\"],\"displayName\":\"\($0.name)\",\"id\":\"\($0.id)\",\"isEnabled\":true,\"value\":\"\($0.name)\"}"
        }
        put("graph-service-principal.json", "{\"id\":\"\(Self.graphServicePrincipalID)\",\"appId\":\"\(WellKnownApplication.microsoftGraph)\",\"displayName\":\"Microsoft Graph\",\"appRoles\":[\(roles.joined(separator: ","))]}")
        var principals = ["{\"id\":\"\(Self.graphServicePrincipalID)\",\"appId\":\"\(WellKnownApplication.microsoftGraph)\",\"displayName\":\"Microsoft Graph\",\"servicePrincipalType\":\"Application\",\"accountEnabled\":true,\"appOwnerOrganizationId\":\"\(microsoft)\"}"]
        var applications: [String] = []
        var grants: [String] = []
        var privileged: [Int] = []
        for index in 0..<servicePrincipals {
            let firstParty = random.chance(0.15)
            let managed = !firstParty && random.chance(0.1)
            let kind = managed ? "ManagedIdentity" : "Application"
            let owner = firstParty ? "\"\(microsoft)\"" : managed ? "null" : "\"\(tenant)\""
            principals.append("{\"id\":\"\(servicePrincipalID(index))\",\"appId\":\"\(appID(index))\",\"displayName\":\"App \(index)\",\"servicePrincipalType\":\"\(kind)\",\"accountEnabled\":\(random.chance(0.98)),\"appOwnerOrganizationId\":\(owner)}")
            if !firstParty && !managed {
                applications.append("{\"id\":\"\(applicationID(index))\",\"appId\":\"\(appID(index))\",\"displayName\":\"App \(index)\"}")
            }
            // A quarter hold Graph permissions: mostly reads; about one in a hundred a write permission.
            guard random.chance(0.25) else { continue }
            var held: Set<Int> = [random.chance(0.7) ? 0 : 1]
            if random.chance(0.04) { held.insert(Int.random(in: 2..<Self.graphPermissions.count, using: &random)) }
            if held.contains(where: { $0 >= 2 }) { privileged.append(index) }
            for permission in held.sorted() {
                grants.append("{\"id\":\"g-\(index)-\(permission)\",\"appRoleId\":\"\(Self.graphPermissions[permission].id)\",\"principalId\":\"\(servicePrincipalID(index))\",\"principalType\":\"ServicePrincipal\",\"principalDisplayName\":\"App \(index)\",\"resourceId\":\"\(Self.graphServicePrincipalID)\",\"resourceDisplayName\":\"Microsoft Graph\"}")
            }
        }
        put("service-principals.json", list(principals))
        put("applications.json", list(applications))
        put("graph-app-role-assignments.json", list(grants))
        // Owners of what a capture reads owners of: the service principals holding a write permission and their
        // registrations (users, now and then another service principal).
        for index in privileged {
            var owners: [String] = []
            for _ in 0..<Int.random(in: 0...2, using: &random) { owners.append(reference("user", random.pick(candidates))) }
            if random.chance(0.2) { owners.append(reference("servicePrincipal", servicePrincipalID(Int.random(in: 0..<servicePrincipals, using: &random)))) }
            put("service-principal-owners/\(servicePrincipalID(index)).json", list(owners))
            put("application-owners/\(applicationID(index)).json", list([reference("user", random.pick(candidates))]))
        }
        put("group-owners/\(Self.exclusionGroup).json", list([reference("user", candidates[0])]))
        let unit = Self.id("5", 1)
        put("administrative-units.json", list(["{\"id\":\"\(unit)\",\"displayName\":\"Emergency access\",\"isMemberManagementRestricted\":true}"]))
        put("administrative-unit-members/\(unit).json", list(Self.emergencyAccountIDs().map { reference("user", $0) }))
        put("authentication-methods-policy.json", "{\"id\":\"authenticationMethodsPolicy\",\"authenticationMethodConfigurations\":[{\"@odata.type\":\"#microsoft.graph.fido2AuthenticationMethodConfiguration\",\"id\":\"Fido2\",\"state\":\"enabled\",\"includeTargets\":[{\"targetType\":\"group\",\"id\":\"all_users\"}],\"excludeTargets\":[]}]}")
    }
}

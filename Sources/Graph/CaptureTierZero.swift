import EntraModel
import Foundation

/// The files of the tier-0 analysis (issue 15): who can take over or lock out the emergency accounts. Each request,
/// its `$select` and its least-privileged application permission are as Microsoft Learn gives them:
/// - `GET /servicePrincipals` — graph/api/serviceprincipal-list, Application.Read.All;
/// - `GET /servicePrincipals(appId='…')` — graph/api/serviceprincipal-get (a service principal may be addressed by its
///   appId), Application.Read.All; Microsoft Graph's own, for the names of its `appRoles`;
/// - `GET /servicePrincipals(appId='…')/appRoleAssignedTo` — graph/api/serviceprincipal-list-approleassignedto: for
///   the Microsoft Graph service principal, every app-only permission granted on Graph; Application.Read.All;
/// - `GET /applications` — graph/api/application-list, Application.Read.All;
/// - `GET /directory/administrativeUnits` — graph/api/directory-list-administrativeunits, AdministrativeUnit.Read.All;
///   `isMemberManagementRestricted` is on the resource (graph/api/resources/administrativeunit) and null when unset;
/// - `GET /policies/authenticationMethodsPolicy` — graph/api/authenticationmethodspolicy-get,
///   Policy.Read.AuthenticationMethod (Policy.Read.All also works); no query parameters, configurations expanded;
/// - `GET /groups/{id}/owners` — graph/api/group-list-owners, GroupMember.Read.All (v1.0 does not list service
///   principals among group owners yet);
/// - `GET /directory/administrativeUnits/{id}/members` — graph/api/administrativeunit-list-members,
///   AdministrativeUnit.Read.All;
/// - `GET /servicePrincipals/{id}/owners`, `GET /applications/{id}/owners` — graph/api/serviceprincipal-list-owners,
///   graph/api/application-list-owners, Application.Read.All.
/// Learn lists no licence for these reads (restricted-management units need Entra ID P1 for the unit's administrators,
/// admin-units-restricted-management, not to be read); a refusal is recorded in manifest.json like any optional file,
/// and the checks that need the file say `unknown`.
extension SnapshotCapture {
    static let graphServicePrincipalPath = "/servicePrincipals(appId='\(WellKnownApplication.microsoftGraph)')"

    static let tierZeroJobs: [Job] = [
        Job(file: .servicePrincipals, path: "/servicePrincipals",
            query: GraphQuery(select: ["id", "appId", "displayName", "servicePrincipalType", "accountEnabled",
                                       "appOwnerOrganizationId"], top: 999)),
        Job(file: .graphServicePrincipal, path: graphServicePrincipalPath,
            query: GraphQuery(select: ["id", "appId", "displayName", "appRoles"]), isList: false),
        Job(file: .graphAppRoleAssignments, path: graphServicePrincipalPath + "/appRoleAssignedTo"),
        Job(file: .applications, path: "/applications", query: GraphQuery(select: ["id", "appId", "displayName"], top: 999)),
        Job(file: .administrativeUnits, path: "/directory/administrativeUnits",
            query: GraphQuery(select: ["id", "displayName", "isMemberManagementRestricted", "membershipType"])),
        Job(file: .authenticationMethodsPolicy, path: "/policies/authenticationMethodsPolicy", isList: false),
    ]

    /// Owners of the groups that matter (the exclusion groups and the groups holding roles), members of the
    /// restricted-management units and of the units roles are scoped to, and owners of the service principals that
    /// hold a Microsoft Graph write permission or a directory role, of their application registrations, and level by
    /// level of the service principals among those owners. Returns (file name, outcome) pairs.
    func tierZeroOwnersAndMembers(_ snapshot: Snapshot, extraGroups: [String]) async throws -> [(String, Outcome)] {
        var results: [(String, Outcome)] = []
        let groupIDs = Set(snapshot.groups.map { Directory.normalized($0.id) })

        var ownedGroups: [String] = []
        func addGroup(_ id: String) {
            let id = Directory.normalized(id)
            if groupIDs.contains(id), !ownedGroups.contains(id) { ownedGroups.append(id) }
        }
        extraGroups.forEach(addGroup)
        snapshot.policies.flatMap(\.conditions.users.excludeGroups).forEach(addGroup)
        snapshot.roleAssignments.map(\.principalId).forEach(addGroup)
        (snapshot.roleAssignmentScheduleInstances ?? []).map(\.principalId).forEach(addGroup)
        (snapshot.roleEligibilitySchedules ?? []).map(\.principalId).forEach(addGroup)
        results += try await folder(.groupOwners, ids: ownedGroups) { "/groups/\($0)/owners" }

        var units = (snapshot.administrativeUnits ?? []).filter(\.isRestricted).map { Directory.normalized($0.id) }
        let scoped = (snapshot.roleAssignments.map(\.directoryScopeId) + (snapshot.roleEligibilitySchedules ?? []).map(\.directoryScopeId))
            .compactMap { $0?.lowercased() }.filter { $0.hasPrefix("/administrativeunits/") }
            .map { String($0.dropFirst("/administrativeunits/".count)) }
        for unit in scoped where !units.contains(unit) { units.append(unit) }
        if snapshot.administrativeUnits != nil {
            results += try await folder(.administrativeUnitMembers, ids: units) { "/directory/administrativeUnits/\($0)/members" }
        }

        guard let servicePrincipals = snapshot.servicePrincipals else { return results }
        let servicePrincipalIDs = Set(servicePrincipals.map { Directory.normalized($0.id) })
        let names = Dictionary((snapshot.graphServicePrincipal?.appRoles ?? []).compactMap { role in
            role.value.map { (Directory.normalized(role.id), $0) }
        }, uniquingKeysWith: { first, _ in first })
        var level: [String] = []
        func addServicePrincipal(_ id: String) {
            let id = Directory.normalized(id)
            if servicePrincipalIDs.contains(id), !level.contains(id) { level.append(id) }
        }
        for assignment in snapshot.graphAppRoleAssignments ?? []
        where names[Directory.normalized(assignment.appRoleId)]?.contains("ReadWrite") == true {
            addServicePrincipal(assignment.principalId)
        }
        snapshot.roleAssignments.map(\.principalId).forEach(addServicePrincipal)
        (snapshot.roleEligibilitySchedules ?? []).map(\.principalId).forEach(addServicePrincipal)

        let applications = Dictionary((snapshot.applications ?? []).compactMap { app in
            app.appId.map { (Directory.normalized($0), Directory.normalized(app.id)) }
        }, uniquingKeysWith: { first, _ in first })
        let appIDs = Dictionary(servicePrincipals.compactMap { sp in sp.appId.map { (Directory.normalized(sp.id), Directory.normalized($0)) } },
                                uniquingKeysWith: { first, _ in first })
        var seen = Set(level)
        while !level.isEmpty {
            let owners = try await folder(.servicePrincipalOwners, ids: level) { "/servicePrincipals/\($0)/owners" }
            let registrations = level.compactMap { appIDs[$0].flatMap { applications[$0] } }
            let appOwners = try await folder(.applicationOwners, ids: registrations) { "/applications/\($0)/owners" }
            results += owners + appOwners
            var next: [String] = []
            for (_, outcome) in owners + appOwners {
                guard case .data(let data) = outcome else { continue }
                for member in Self.memberIDs(data) where servicePrincipalIDs.contains(member.id) && seen.insert(member.id).inserted {
                    next.append(member.id)
                }
            }
            level = next
        }
        return results
    }

    /// `GET path(id)?$select=id` for each id, as `folder/{id}.json`; a refusal is recorded once, as the folder.
    func folder(_ file: SnapshotFile, ids: [String], path: @escaping @Sendable (String) -> String) async throws -> [(String, Outcome)] {
        let fetched = try await client.concurrentMap(ids) { id in
            (id, try await optional(file, path: path(id), query: GraphQuery(select: ["id"])))
        }
        return fetched.map { id, outcome in (Self.isData(outcome) ? "\(file.rawValue)/\(id).json" : file.rawValue, outcome) }
    }
}

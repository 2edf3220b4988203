import Crypto
import EntraModel
import Foundation

/// A list of JSON objects handed out of the write actor. The arrays are copied on write and their Foundation values
/// never mutated after they are stored, so sharing them is safe.
struct JSONList: @unchecked Sendable {
    let items: [[String: Any]]
}

/// The emulated tenant's changes: the snapshot files writes touched (copied on first write), the passwords set
/// (salted SHA-256, for the sign-in check), Key Vault secrets, and the fault injector's write counter.
actor EmulatorWrites {
    let store: EmulatorStore
    let killAfterWrites: Int
    var lists: [String: [[String: Any]]] = [:]
    private var passwords: [String: [UInt8]] = [:]
    private let salt = (0..<16).map { _ in UInt8.random(in: 0 ... .max) }
    var secrets: [String: [[String: Any]]] = [:]
    private(set) var writes = 0
    private(set) var isKilled = false

    init(store: EmulatorStore, killAfterWrites: Int) {
        self.store = store
        self.killAfterWrites = killAfterWrites
    }

    /// Every list writes changed, to serve instead of the snapshot's.
    func overlays() -> [String: JSONList] { lists.mapValues { JSONList(items: $0) } }

    /// Lets connections through again after the fault injector killed them.
    func heal() { isKilled = false }

    /// Counts a successful write; true when this one is where the fault injector kills the connection.
    func countWrite() -> Bool {
        writes += 1
        guard killAfterWrites > 0, writes == killAfterWrites else { return false }
        isKilled = true
        return true
    }

    func list(_ name: String) -> [[String: Any]] { lists[name] ?? store.lists[name] ?? [] }

    private func hash(_ password: String) -> [UInt8] { Array(SHA256.hash(data: salt + Array(password.utf8))) }

    /// Resource Owner Password Credentials: whether `password` is the one last set for `userPrincipalName`. A
    /// success is logged as Entra logs it: a sign-ins record and the user's `signInActivity`.
    func checkPassword(userPrincipalName: String, password: String) -> Bool {
        var users = list(SnapshotFile.users.rawValue)
        guard let index = users.firstIndex(where: {
            ($0["userPrincipalName"] as? String)?.caseInsensitiveCompare(userPrincipalName) == .orderedSame
        }), let id = (users[index]["id"] as? String)?.lowercased(), let stored = passwords[id], stored == hash(password)
        else { return false }
        let now = Self.now()
        users[index]["signInActivity"] = ["lastSignInDateTime": now, "lastSuccessfulSignInDateTime": now]
        lists[SnapshotFile.users.rawValue] = users
        lists[SnapshotFile.signIns.rawValue] = list(SnapshotFile.signIns.rawValue) + [[
            "id": UUID().uuidString.lowercased(), "createdDateTime": now, "userId": id, "userPrincipalName": userPrincipalName,
            "appId": "1b730954-1685-4b74-9bfd-dac224a7b894", "appDisplayName": "Azure Active Directory PowerShell",
            "clientAppUsed": "Mobile Apps and Desktop clients", "isInteractive": true, "status": ["errorCode": 0],
        ] as [String: Any]]
        return true
    }

    // MARK: Graph

    func write(_ method: String, resource: String, request: EmulatorRequest, grant: EmulatorGrant) -> EmulatorResponse {
        let parts = resource.split(separator: "/").map(String.init)
        let lower = parts.map { $0.lowercased() }
        guard let body = request.body.isEmpty ? [:] : (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
        else { return .graphError(400, "BadRequest", "Unable to read JSON request payload.") }
        switch (method, lower.count) {
        case ("POST", 1) where lower[0] == "users": return createUser(body, grant: grant)
        case ("PATCH", 2) where lower[0] == "users": return updateUser(parts[1], body, grant: grant)
        case ("POST", 1) where lower[0] == "groups": return createGroup(body, grant: grant)
        case ("POST", 4) where lower[0] == "groups" && lower[2] == "members" && lower[3] == "$ref":
            return addMember(group: parts[1], body, grant: grant, baseURL: request.baseURL)
        case ("POST", 2) where lower == ["directory", "administrativeunits"]:
            return createAdministrativeUnit(body, grant: grant)
        case ("POST", 5) where Array(lower.prefix(2)) == ["directory", "administrativeunits"] && lower[3] == "members" && lower[4] == "$ref":
            return addAdministrativeUnitMember(unit: parts[2], body, grant: grant)
        case ("DELETE", 6) where Array(lower.prefix(2)) == ["directory", "administrativeunits"] && lower[3] == "members" && lower[5] == "$ref":
            return removeAdministrativeUnitMember(unit: parts[2], member: parts[4], grant: grant)
        case ("DELETE", 5) where Array(lower.prefix(2)) == ["directory", "administrativeunits"] && lower[3] == "members":
            // Without /$ref Graph deletes the member object itself when the caller may manage it, else 403 (Learn:
            // administrativeunit-delete-members). breakglass never sends this; a restricted unit's member is never
            // manageable from tenant scope, so the emulator answers 403 for it and refuses the rest.
            return restrictedUnits(holding: parts[4]).isEmpty
                ? .graphError(400, "BadRequest", "Unsupported request: deleting a directory object through an administrative unit")
                : Self.denied
        case ("POST", 3) where lower == ["rolemanagement", "directory", "roleassignments"]:
            return assignRole(body, grant: grant)
        case ("PATCH", 4) where Array(lower.prefix(3)) == ["identity", "conditionalaccess", "policies"]:
            return updatePolicy(parts[3], body, grant: grant)
        default:
            return .graphError(400, "BadRequest", "Unsupported request: \(method) \(resource)")
        }
    }

    static let denied = EmulatorResponse.graphError(
        403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")

    static func badRequest(_ message: String, conflict target: String? = nil) -> EmulatorResponse {
        var error: [String: Any] = ["code": "Request_BadRequest", "message": message]
        if let target { error["details"] = [["target": target, "code": "ObjectConflict"]] }
        return .json(400, ["error": error])
    }

    static func now() -> String { GraphDateText.format(Date()) }

    /// graph.md §11 (Learn, concept-sspr-policy): 8–256 characters, printable ASCII (space included), and 3 of the
    /// 4 classes lower, upper, digit, symbol.
    static func meetsComplexity(_ password: String) -> Bool {
        let bytes = Array(password.utf8)
        guard (8...256).contains(bytes.count), bytes.allSatisfy({ (0x20...0x7E).contains($0) }) else { return false }
        let classes = [
            bytes.contains { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) },
            bytes.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) },
            bytes.contains { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) },
            bytes.contains { !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                && !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) },
        ]
        return classes.filter { $0 }.count >= 3
    }

    static let complexityError = EmulatorWrites.badRequest(
        "The specified password does not comply with password complexity requirements. Please provide a different password.")

    private func isVerifiedDomain(_ domain: String) -> Bool {
        list(SnapshotFile.domains.rawValue).contains {
            ($0["id"] as? String)?.caseInsensitiveCompare(domain) == .orderedSame && ($0["isVerified"] as? Bool ?? true)
        }
    }

    /// `POST /users` (Learn: user-post-users): accountEnabled, displayName, mailNickname, userPrincipalName and
    /// passwordProfile are required; the UPN's domain must be verified in the tenant and unique.
    private func createUser(_ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.hasAny(["User.ReadWrite.All", "Directory.ReadWrite.All"]) else { return Self.denied }
        guard let upn = body["userPrincipalName"] as? String, let displayName = body["displayName"] as? String,
            let nickname = body["mailNickname"] as? String, let enabled = body["accountEnabled"] as? Bool,
            let profile = body["passwordProfile"] as? [String: Any], let password = profile["password"] as? String
        else {
            return Self.badRequest("Property passwordProfile, accountEnabled, displayName, mailNickname or userPrincipalName is missing.")
        }
        let halves = upn.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, isVerifiedDomain(String(halves[1])) else {
            return Self.badRequest("Property userPrincipalName is invalid: its domain is not a verified domain of the tenant.")
        }
        let users = list(SnapshotFile.users.rawValue)
        if users.contains(where: { ($0["userPrincipalName"] as? String)?.caseInsensitiveCompare(upn) == .orderedSame }) {
            return Self.badRequest("Another object with the same value for property userPrincipalName already exists.",
                                   conflict: "userPrincipalName")
        }
        guard Self.meetsComplexity(password) else { return Self.complexityError }
        let id = UUID().uuidString.lowercased()
        let now = Self.now()
        var user: [String: Any] = [
            "id": id, "displayName": displayName, "userPrincipalName": upn, "mailNickname": nickname,
            "userType": "Member", "accountEnabled": enabled, "onPremisesSyncEnabled": NSNull(),
            "onPremisesImmutableId": NSNull(), "passwordPolicies": body["passwordPolicies"] ?? NSNull(),
            "lastPasswordChangeDateTime": now, "createdDateTime": now, "assignedLicenses": [] as [Any],
            "usageLocation": body["usageLocation"] ?? NSNull(),
        ]
        if let type = body["userType"] as? String { user["userType"] = type }
        lists[SnapshotFile.users.rawValue] = users + [user]
        passwords[id] = hash(password)
        var answer = user
        answer["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
        return .json(201, answer)
    }

    private func roleHolders() -> [String: Set<String>] {
        let definitions = list(SnapshotFile.roleDefinitions.rawValue)
        func template(_ id: String) -> String {
            let definition = definitions.first { ($0["id"] as? String)?.lowercased() == id.lowercased() }
            return ((definition?["templateId"] as? String) ?? id).lowercased()
        }
        var holders: [String: Set<String>] = [:]
        for assignment in list(SnapshotFile.roleAssignments.rawValue) {
            guard let principal = assignment["principalId"] as? String, let role = assignment["roleDefinitionId"] as? String
            else { continue }
            holders[principal.lowercased(), default: []].insert(template(role))
        }
        return holders
    }

    /// `PATCH /users/{id}`. A new passwordProfile needs User-PasswordProfile.ReadWrite.All, and the caller must hold a
    /// role that may reset this user's password (Learn: user-update; "Who can reset passwords").
    private func updateUser(_ key: String, _ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        var users = list(SnapshotFile.users.rawValue)
        guard let index = users.firstIndex(where: {
            ($0["id"] as? String)?.lowercased() == key.lowercased()
                || ($0["userPrincipalName"] as? String)?.caseInsensitiveCompare(key) == .orderedSame
        }), let id = (users[index]["id"] as? String)?.lowercased() else {
            return .graphError(404, "Request_ResourceNotFound", "Resource '\(key)' does not exist or one of its queried reference-property objects are not present.")
        }
        let others = body.keys.filter { $0 != "passwordProfile" }
        if !others.isEmpty, !grant.hasAny(["User.ReadWrite.All", "Directory.ReadWrite.All"]) { return Self.denied }
        // Learn, "Restricted management administrative units" (admin-units-restricted-management): administrators and
        // apps assigned at tenant scope — Global Administrators included — cannot change a member's properties or
        // reset its password; only those assigned at the unit's scope can, and no role there may reset a Global
        // Administrator's password. The emulator knows no unit-scoped assignments: every such change is refused.
        if !restrictedUnits(holding: id).isEmpty { return Self.denied }
        var user = users[index]
        if let profile = body["passwordProfile"] as? [String: Any] {
            guard grant.hasAny(["User-PasswordProfile.ReadWrite.All", "Directory.AccessAsUser.All"]) else { return Self.denied }
            let targetRoles = roleHolders()[id] ?? []
            let allowed = targetRoles.isEmpty ? EntraRole.canResetNonAdminPassword : EntraRole.canResetAnyPassword
            guard grant.holdsAny(allowed) else { return Self.denied }
            if user["onPremisesSyncEnabled"] as? Bool == true {
                return Self.badRequest("Password of a synchronized user cannot be set in the cloud.")
            }
            if let password = profile["password"] as? String {
                guard Self.meetsComplexity(password) else { return Self.complexityError }
                guard passwords[id] != hash(password) else {
                    return Self.badRequest("The specified password has been used before. Please provide a different password.")
                }
                passwords[id] = hash(password)
                user["lastPasswordChangeDateTime"] = Self.now()
            }
        }
        for key in others {
            guard ["passwordPolicies", "accountEnabled", "displayName", "usageLocation"].contains(key) else {
                return Self.badRequest("Property '\(key)' cannot be updated by this emulator.")
            }
            user[key] = body[key]
        }
        users[index] = user
        lists[SnapshotFile.users.rawValue] = users
        return EmulatorResponse(status: 204, headers: [:], body: Data())
    }

    /// `POST /groups` (Learn: group-post-groups, groups-concept): a role-assignable group must be a security group
    /// with assigned membership, and creating one also needs RoleManagement.ReadWrite.Directory.
    private func createGroup(_ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.hasAny(["Group.ReadWrite.All", "Group.Create", "Directory.ReadWrite.All"]) else { return Self.denied }
        guard let displayName = body["displayName"] as? String, let nickname = body["mailNickname"] as? String,
            let mailEnabled = body["mailEnabled"] as? Bool, let securityEnabled = body["securityEnabled"] as? Bool
        else { return Self.badRequest("Property displayName, mailEnabled, mailNickname or securityEnabled is missing.") }
        let roleAssignable = body["isAssignableToRole"] as? Bool ?? false
        let types = body["groupTypes"] as? [String] ?? []
        if roleAssignable {
            guard grant.has("RoleManagement.ReadWrite.Directory") else { return Self.denied }
            guard securityEnabled, !types.contains("DynamicMembership"), body["membershipRule"] == nil else {
                return Self.badRequest("A group that can be assigned to roles must be a security group with assigned membership.")
            }
        }
        let id = UUID().uuidString.lowercased()
        let group: [String: Any] = [
            "id": id, "displayName": displayName, "description": body["description"] ?? NSNull(), "groupTypes": types,
            "mailEnabled": mailEnabled, "mailNickname": nickname, "securityEnabled": securityEnabled,
            "isAssignableToRole": roleAssignable, "membershipRule": NSNull(), "membershipRuleProcessingState": NSNull(),
            "onPremisesSyncEnabled": NSNull(), "createdDateTime": Self.now(),
        ]
        lists[SnapshotFile.groups.rawValue] = list(SnapshotFile.groups.rawValue) + [group]
        lists["\(SnapshotFile.groupMembers.rawValue)/\(id)"] = []
        return .json(201, group)
    }

    /// `POST /groups/{id}/members/$ref` with `{"@odata.id": ".../directoryObjects/{id}"}` (Learn: group-post-members).
    private func addMember(group key: String, _ body: [String: Any], grant: EmulatorGrant, baseURL: String) -> EmulatorResponse {
        guard grant.hasAny(["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"]) else {
            return Self.denied
        }
        guard let group = list(SnapshotFile.groups.rawValue).first(where: { ($0["id"] as? String)?.lowercased() == key.lowercased() }),
            let groupID = (group["id"] as? String)?.lowercased()
        else { return .graphError(404, "Request_ResourceNotFound", "Resource '\(key)' does not exist.") }
        let roleAssignable = group["isAssignableToRole"] as? Bool ?? false
        if roleAssignable, !grant.has("RoleManagement.ReadWrite.Directory") { return Self.denied }
        guard let reference = body["@odata.id"] as? String, let memberID = reference.split(separator: "/").last.map(String.init),
            reference.lowercased().contains("/directoryobjects/") || reference.lowercased().contains("/users/")
                || reference.lowercased().contains("/groups/")
        else { return Self.badRequest("Invalid object identifier in @odata.id.") }
        let id = memberID.lowercased()
        let isUser = list(SnapshotFile.users.rawValue).contains { ($0["id"] as? String)?.lowercased() == id }
        let isGroup = list(SnapshotFile.groups.rawValue).contains { ($0["id"] as? String)?.lowercased() == id }
        guard isUser || isGroup else {
            return .graphError(404, "Request_ResourceNotFound", "Resource '\(memberID)' does not exist or one of its queried reference-property objects are not present.")
        }
        if roleAssignable, isGroup {
            return Self.badRequest("Groups cannot be nested in a group that can be assigned to roles.")
        }
        return addReference(id, isUser: isUser, toList: "\(SnapshotFile.groupMembers.rawValue)/\(groupID)")
    }

    /// Adds a member to a group's or a unit's member list as Graph answers: 204, or 400 when it is there already.
    func addReference(_ id: String, isUser: Bool, toList name: String) -> EmulatorResponse {
        let members = list(name)
        if members.contains(where: { ($0["id"] as? String)?.lowercased() == id }) {
            return Self.badRequest("One or more added object references already exist for the following modified properties: 'members'.")
        }
        lists[name] = members + [["@odata.type": isUser ? "#microsoft.graph.user" : "#microsoft.graph.group", "id": id]]
        return EmulatorResponse(status: 204, headers: [:], body: Data())
    }

    /// `POST /roleManagement/directory/roleAssignments` (Learn: rbacapplication-post-roleassignments): a permanent,
    /// active assignment; only role-assignable groups may hold a role.
    private func assignRole(_ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.has("RoleManagement.ReadWrite.Directory") else { return Self.denied }
        guard let principal = (body["principalId"] as? String)?.lowercased(), let role = body["roleDefinitionId"] as? String
        else { return Self.badRequest("Property principalId or roleDefinitionId is missing.") }
        let scope = body["directoryScopeId"] as? String ?? "/"
        let isUser = list(SnapshotFile.users.rawValue).contains { ($0["id"] as? String)?.lowercased() == principal }
        let group = list(SnapshotFile.groups.rawValue).first { ($0["id"] as? String)?.lowercased() == principal }
        guard isUser || group != nil else {
            return .graphError(404, "Request_ResourceNotFound", "The principal '\(principal)' does not exist.")
        }
        if let group, group["isAssignableToRole"] as? Bool != true {
            return Self.badRequest("Only groups that can be assigned to roles can hold a directory role.")
        }
        let definitions = list(SnapshotFile.roleDefinitions.rawValue)
        guard definitions.isEmpty || definitions.contains(where: {
            ($0["id"] as? String)?.lowercased() == role.lowercased() || ($0["templateId"] as? String)?.lowercased() == role.lowercased()
        }) else { return .graphError(404, "Request_ResourceNotFound", "The role definition '\(role)' does not exist.") }
        let assignments = list(SnapshotFile.roleAssignments.rawValue)
        if assignments.contains(where: {
            ($0["principalId"] as? String)?.lowercased() == principal
                && ($0["roleDefinitionId"] as? String)?.lowercased() == role.lowercased()
                && ($0["directoryScopeId"] as? String ?? "/") == scope
        }) {
            return Self.badRequest("A conflicting object with one or more of the specified property values is present in the directory.")
        }
        let id = UUID().uuidString.lowercased()
        let assignment: [String: Any] = ["id": id, "principalId": principal, "roleDefinitionId": role, "directoryScopeId": scope]
        lists[SnapshotFile.roleAssignments.rawValue] = assignments + [assignment]
        // PIM's instances include direct assignments (graph.md §7): keep that file consistent when the tenant has it.
        let instances = SnapshotFile.roleAssignmentScheduleInstances.rawValue
        if store.lists[instances] != nil || lists[instances] != nil {
            lists[instances] = list(instances) + [[
                "id": id, "principalId": principal, "roleDefinitionId": role, "directoryScopeId": scope,
                "assignmentType": "Assigned", "memberType": "Direct", "startDateTime": Self.now(),
                "endDateTime": NSNull(), "roleAssignmentOriginId": id,
            ]]
        }
        return .json(201, assignment)
    }

    /// `PATCH /identity/conditionalAccess/policies/{id}` (Learn: conditionalaccesspolicy-update): objects merge,
    /// arrays replace; every group a policy excludes must exist.
    private func updatePolicy(_ key: String, _ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.has("Policy.ReadWrite.ConditionalAccess") else { return Self.denied }
        var policies = list(SnapshotFile.policies.rawValue)
        guard let index = policies.firstIndex(where: { ($0["id"] as? String)?.lowercased() == key.lowercased() }) else {
            return .graphError(404, "Request_ResourceNotFound", "Resource '\(key)' does not exist.")
        }
        let merged = Self.merge(policies[index], body)
        let users = (merged["conditions"] as? [String: Any])?["users"] as? [String: Any]
        let groups = Set(list(SnapshotFile.groups.rawValue).compactMap { ($0["id"] as? String)?.lowercased() })
        for id in (users?["excludeGroups"] as? [String] ?? []) + (users?["includeGroups"] as? [String] ?? [])
        where !groups.contains(id.lowercased()) {
            return Self.badRequest("1 or more of the provided group ids are invalid: \(id).")
        }
        var updated = merged
        updated["modifiedDateTime"] = Self.now()
        policies[index] = updated
        lists[SnapshotFile.policies.rawValue] = policies
        return EmulatorResponse(status: 204, headers: [:], body: Data())
    }

    static func merge(_ base: [String: Any], _ patch: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in patch {
            if let object = value as? [String: Any], let existing = base[key] as? [String: Any] {
                result[key] = merge(existing, object)
            } else {
                result[key] = value
            }
        }
        return result
    }
}

/// ISO 8601 with seconds, as Graph writes dates.
enum GraphDateText {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

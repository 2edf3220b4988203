import Crypto
import EntraModel
import Foundation

/// One thing a plan depends on, as a digest: a policy, an account, the exclusion group, an account's roles.
public struct StateItem: Codable, Sendable, Hashable {
    /// `policy:<id>`, `user:<upn or id>`, `roles:<upn or id>`, `group`, `administrativeUnit`, `organization`.
    public var key: String
    /// What a person reads when it changed: `policy 'Require MFA for admins' (id)`.
    public var label: String
    /// SHA-256 of the item's canonical JSON, or `absent`.
    public var digest: String

    public static let absent = "absent"
}

/// The parts of a tenant a plan is computed from, reduced to digests, so `apply` can tell whether anything that
/// mattered changed since the custodians approved, and name it.
public enum TenantState {
    /// The items for `subjects`, from a snapshot and its raw files (policies are digested from Graph's own JSON,
    /// so a change to a property breakglass does not model still counts).
    public static func items(snapshot: Snapshot, files: [String: Data], subjects: Plan.Subjects) throws -> [StateItem] {
        var items = [StateItem(key: "organization", label: "the organization", digest: digest(.string(snapshot.organization.id.lowercased())))]
        let directory = Directory(snapshot)
        for account in subjects.accounts {
            let user = directory.user(idOrUPN: account)
            items.append(StateItem(key: "user:\(account.lowercased())", label: "account \(account)",
                                   digest: user.map { digest(userFacts($0)) } ?? StateItem.absent))
            let held: [String] = user.map { Self.roles(of: $0.id, snapshot: snapshot) } ?? []
            items.append(StateItem(key: "roles:\(account.lowercased())", label: "the roles of \(account)",
                                   digest: digest(.array(held.map { JSONValue.string($0) }))))
        }
        if subjects.groupName != nil || subjects.groupID != nil {
            let group = try exclusionGroup(in: snapshot, subjects: subjects)
            let label = "the exclusion group \(subjects.groupName.map { "'\($0)'" } ?? subjects.groupID ?? "")"
            if let group {
                let members = (snapshot.groupMembers[group.id.lowercased()] ?? []).map(\.id).map { $0.lowercased() }.sorted()
                let facts: JSONValue = .object([
                    "id": .string(group.id.lowercased()), "isAssignableToRole": .bool(group.isAssignableToRole ?? false),
                    "securityEnabled": .bool(group.securityEnabled ?? false), "dynamic": .bool(group.isDynamic),
                    "members": .array(members.map { .string($0) }),
                ])
                items.append(StateItem(key: "group", label: label, digest: digest(facts)))
            } else {
                items.append(StateItem(key: "group", label: label, digest: StateItem.absent))
            }
        }
        if subjects.administrativeUnitName != nil || subjects.administrativeUnitID != nil {
            let unit = try administrativeUnit(in: snapshot, subjects: subjects)
            let label = "the administrative unit \(subjects.administrativeUnitName.map { "'\($0)'" } ?? subjects.administrativeUnitID ?? "")"
            if let unit {
                let id = unit.id.lowercased()
                let members = snapshot.administrativeUnitMembers[id].map { $0.map { $0.id.lowercased() }.sorted() }
                let facts: JSONValue = .object([
                    "id": .string(id), "isMemberManagementRestricted": .bool(unit.isRestricted),
                    "membershipType": unit.membershipType.map(JSONValue.string) ?? .null,
                    "members": members.map { .array($0.map { .string($0) }) } ?? .null,
                ])
                items.append(StateItem(key: "administrativeUnit", label: label, digest: digest(facts)))
            } else {
                items.append(StateItem(key: "administrativeUnit", label: label, digest: StateItem.absent))
            }
        }
        if subjects.includesPolicies {
            for policy in try rawPolicies(files) {
                guard case .string(let id)? = policy["id"] else { continue }
                let name: String = if case .string(let text)? = policy["displayName"] { text } else { id }
                items.append(StateItem(key: "policy:\(id.lowercased())", label: "policy '\(name)' (\(id))",
                                       digest: digest(normalized(policy))))
            }
        }
        return items
    }

    public static func hash(_ items: [StateItem]) -> String {
        let lines = items.map { "\($0.key)=\($0.digest)\n" }.sorted().joined()
        return Plan.hex(SHA256.hash(data: Data(lines.utf8)))
    }

    /// The group a plan uses: the configured id, else the one role-assignable group with the planned name.
    static func exclusionGroup(in snapshot: Snapshot, subjects: Plan.Subjects) throws -> Group? {
        if let id = subjects.groupID {
            return snapshot.groups.first { $0.id.lowercased() == id.lowercased() }
        }
        let named = snapshot.groups.filter { $0.displayName == subjects.groupName }
        guard named.count <= 1 else {
            throw ProvisionError.cannotPlan(
                "\(named.count) groups are named '\(subjects.groupName ?? "")': name the one to use in breakglass.yml (exclusionGroup: id)")
        }
        return named.first
    }

    /// The unit a plan uses: the one with the planned id, else the one restricted-management unit with the planned
    /// name. Throws when the administrative units were not captured: without them a change cannot be seen.
    static func administrativeUnit(in snapshot: Snapshot, subjects: Plan.Subjects) throws -> AdministrativeUnit? {
        guard let units = snapshot.administrativeUnits else {
            throw ProvisionError.cannotPlan(
                "\(SnapshotFile.administrativeUnits.rawValue) is not in the capture (needs AdministrativeUnit.Read.All): the plan's administrative unit cannot be compared")
        }
        if let id = subjects.administrativeUnitID {
            return units.first { $0.id.lowercased() == id.lowercased() }
        }
        let named = units.filter { $0.isRestricted && $0.displayName == subjects.administrativeUnitName }
        guard named.count <= 1 else {
            throw ProvisionError.cannotPlan(
                "\(named.count) restricted-management administrative units are named '\(subjects.administrativeUnitName ?? "")': name the one to use in breakglass.yml (administrativeUnit: id)")
        }
        return named.first
    }

    static func userFacts(_ user: User) -> JSONValue {
        .object([
            "id": .string(user.id.lowercased()),
            "userPrincipalName": .string(user.userPrincipalName?.lowercased() ?? ""),
            "accountEnabled": user.accountEnabled.map(JSONValue.bool) ?? .null,
            "userType": user.userType.map(JSONValue.string) ?? .null,
            "onPremisesSyncEnabled": user.onPremisesSyncEnabled.map(JSONValue.bool) ?? .null,
            "passwordPolicies": user.passwordPolicies.map(JSONValue.string) ?? .null,
            "lastPasswordChangeDateTime": user.lastPasswordChangeDateTime.map { .string(PlanClock.text($0)) } ?? .null,
            "licences": .number(Double(user.assignedLicenses?.count ?? 0)),
        ])
    }

    /// Role template ids the user holds by direct assignment at the tenant scope, sorted.
    static func roles(of userID: String, snapshot: Snapshot) -> [String] {
        let templates = Dictionary(snapshot.roleDefinitions.map { ($0.id.lowercased(), $0.template) }, uniquingKeysWith: { a, _ in a })
        return snapshot.roleAssignments.filter { $0.principalId.lowercased() == userID.lowercased() }
            .map { "\(templates[$0.roleDefinitionId.lowercased()] ?? $0.roleDefinitionId.lowercased())@\($0.directoryScopeId ?? "/")" }
            .sorted()
    }

    /// The policies as Graph returned them.
    static func rawPolicies(_ files: [String: Data]) throws -> [[String: JSONValue]] {
        guard let data = files[SnapshotFile.policies.rawValue] else { return [] }
        let utf8 = TextEncoding.utf8(data) ?? data
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: utf8)
        } catch {
            throw ProvisionError.unreadable(path: SnapshotFile.policies.rawValue, reason: "not JSON")
        }
        let list: [JSONValue]
        switch value {
        case .array(let items): list = items
        case .object(let object):
            if case .array(let items)? = object["value"] { list = items } else { list = [value] }
        default: list = []
        }
        return list.compactMap { value -> [String: JSONValue]? in
            if case .object(let object) = value { return object }
            return nil
        }
    }

    /// Graph's annotations and the modification time left out: neither changes what the policy does.
    static func normalized(_ policy: [String: JSONValue]) -> JSONValue {
        .object(policy.filter { !$0.key.hasPrefix("@odata.") && $0.key != "modifiedDateTime" })
    }

    /// The policy with `groupID` taken out of its excluded groups: what it was before an `excludeFromPolicy` step.
    /// With `droppingEmpty`, a list left empty is removed: a policy captured without `excludeGroups` (Graph may omit
    /// an empty collection) gains the key with the step.
    static func withoutExclusion(_ policy: [String: JSONValue], groupID: String, droppingEmpty: Bool = false) -> JSONValue {
        var copy = policy
        if case .object(var conditions)? = copy["conditions"], case .object(var users)? = conditions["users"],
            case .array(let groups)? = users["excludeGroups"] {
            let kept = groups.filter {
                if case .string(let id) = $0 { id.lowercased() != groupID.lowercased() } else { true }
            }
            users["excludeGroups"] = droppingEmpty && kept.isEmpty ? nil : .array(kept)
            conditions["users"] = .object(users)
            copy["conditions"] = .object(conditions)
        }
        return normalized(copy)
    }

    static func digest(_ value: JSONValue) -> String {
        Plan.hex(SHA256.hash(data: (try? Plan.canonicalEncoder.encode(value)) ?? Data()))
    }
}

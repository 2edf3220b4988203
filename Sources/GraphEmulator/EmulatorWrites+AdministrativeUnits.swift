import EntraModel
import Foundation

/// Administrative units: create one, add and remove members, and which restricted-management units hold an object.
extension EmulatorWrites {
    /// `POST /directory/administrativeUnits` (Learn: directory-post-administrativeunits, v1.0): AdministrativeUnit.ReadWrite.All
    /// (no higher permission); `displayName` is required; `isMemberManagementRestricted` is kept as sent (null when
    /// not sent, which Graph treats as false) and can never change afterwards.
    func createAdministrativeUnit(_ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.has("AdministrativeUnit.ReadWrite.All") else { return Self.denied }
        guard let displayName = body["displayName"] as? String, !displayName.isEmpty else {
            return Self.badRequest("Property displayName is missing.")
        }
        if let restricted = body["isMemberManagementRestricted"], !(restricted is NSNull), !(restricted is Bool) {
            return Self.badRequest("Property isMemberManagementRestricted has an invalid value.")
        }
        let restricted = body["isMemberManagementRestricted"] as? Bool
        let membershipType = body["membershipType"] as? String
        if restricted == true, membershipType?.lowercased() == "dynamic" {
            return Self.badRequest("A restricted management administrative unit cannot have dynamic membership.")
        }
        let id = UUID().uuidString.lowercased()
        let unit: [String: Any] = [
            "id": id, "deletedDateTime": NSNull(), "displayName": displayName, "description": body["description"] ?? NSNull(),
            "isMemberManagementRestricted": restricted.map { $0 as Any } ?? NSNull(),
            "membershipType": body["membershipType"] ?? NSNull(), "membershipRule": body["membershipRule"] ?? NSNull(),
            "membershipRuleProcessingState": body["membershipRuleProcessingState"] ?? NSNull(),
            "visibility": body["visibility"] ?? NSNull(),
        ]
        lists[SnapshotFile.administrativeUnits.rawValue] = list(SnapshotFile.administrativeUnits.rawValue) + [unit]
        lists["\(SnapshotFile.administrativeUnitMembers.rawValue)/\(id)"] = []
        var answer = unit
        answer["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#directory/administrativeUnits/$entity"
        return .json(201, answer)
    }

    /// `POST /directory/administrativeUnits/{id}/members/$ref` with `{"@odata.id": ".../directoryObjects/{id}"}`
    /// (Learn: administrativeunit-post-members, v1.0): AdministrativeUnit.ReadWrite.All, and a signed-in person needs
    /// at least Privileged Role Administrator. A restricted-management unit
    /// holds users, devices and security groups only (Learn: admin-units-restricted-management, "What objects can be
    /// members?"). An existing member answers 400, as a group's members do.
    func addAdministrativeUnitMember(unit key: String, _ body: [String: Any], grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.has("AdministrativeUnit.ReadWrite.All"), !grant.isDelegated || grant.holdsAny(EntraRole.canManageUnitMembers)
        else { return Self.denied }
        guard let unit = list(SnapshotFile.administrativeUnits.rawValue).first(where: { ($0["id"] as? String)?.lowercased() == key.lowercased() }),
            let unitID = (unit["id"] as? String)?.lowercased()
        else { return .graphError(404, "Request_ResourceNotFound", "Resource '\(key)' does not exist or one of its queried reference-property objects are not present.") }
        guard let reference = body["@odata.id"] as? String, let memberID = reference.split(separator: "/").last.map(String.init),
            reference.lowercased().contains("/directoryobjects/") || reference.lowercased().contains("/users/")
                || reference.lowercased().contains("/groups/")
        else { return Self.badRequest("Invalid object identifier in @odata.id.") }
        let id = memberID.lowercased()
        let isUser = list(SnapshotFile.users.rawValue).contains { ($0["id"] as? String)?.lowercased() == id }
        let group = list(SnapshotFile.groups.rawValue).first { ($0["id"] as? String)?.lowercased() == id }
        guard isUser || group != nil else {
            return .graphError(404, "Request_ResourceNotFound", "Resource '\(memberID)' does not exist or one of its queried reference-property objects are not present.")
        }
        if let group, unit["isMemberManagementRestricted"] as? Bool == true,
            group["securityEnabled"] as? Bool != true || group["mailEnabled"] as? Bool == true
                || (group["groupTypes"] as? [String] ?? []).contains("Unified") {
            return Self.badRequest("Only security groups that are not mail-enabled can be added to a restricted management administrative unit.")
        }
        return addReference(id, isUser: isUser, toList: "\(SnapshotFile.administrativeUnitMembers.rawValue)/\(unitID)")
    }

    /// `DELETE /directory/administrativeUnits/{id}/members/{memberId}/$ref` (Learn: administrativeunit-delete-members,
    /// v1.0): AdministrativeUnit.ReadWrite.All, and a signed-in person holding at least Privileged Role Administrator
    /// — which may take members out of a restricted-management unit though it cannot change them. 204; 404 for a
    /// unit that does not exist or an object that is not a member.
    func removeAdministrativeUnitMember(unit key: String, member: String, grant: EmulatorGrant) -> EmulatorResponse {
        guard grant.has("AdministrativeUnit.ReadWrite.All"), !grant.isDelegated || grant.holdsAny(EntraRole.canManageUnitMembers)
        else { return Self.denied }
        guard let unit = list(SnapshotFile.administrativeUnits.rawValue).first(where: { ($0["id"] as? String)?.lowercased() == key.lowercased() }),
            let unitID = (unit["id"] as? String)?.lowercased()
        else { return .graphError(404, "Request_ResourceNotFound", "Resource '\(key)' does not exist or one of its queried reference-property objects are not present.") }
        let name = "\(SnapshotFile.administrativeUnitMembers.rawValue)/\(unitID)"
        let members = list(name)
        guard members.contains(where: { ($0["id"] as? String)?.lowercased() == member.lowercased() }) else {
            return .graphError(404, "Request_ResourceNotFound", "Resource '\(member)' does not exist or one of its queried reference-property objects are not present.")
        }
        lists[name] = members.filter { ($0["id"] as? String)?.lowercased() != member.lowercased() }
        return EmulatorResponse(status: 204, headers: [:], body: Data())
    }

    /// The restricted-management units (`isMemberManagementRestricted: true`) that list `object` as a member.
    func restrictedUnits(holding object: String) -> [String] {
        let id = object.lowercased()
        return list(SnapshotFile.administrativeUnits.rawValue).compactMap { unit in
            guard unit["isMemberManagementRestricted"] as? Bool == true, let unitID = (unit["id"] as? String)?.lowercased(),
                list("\(SnapshotFile.administrativeUnitMembers.rawValue)/\(unitID)").contains(where: { ($0["id"] as? String)?.lowercased() == id })
            else { return nil }
            return unitID
        }
    }
}

import EntraModel
import Foundation

/// A change to an account that is a member of a restricted-management administrative unit, made from tenant scope.
///
/// Learn, "Restricted management administrative units in Microsoft Entra ID" (admin-units-restricted-management):
/// administrators and apps assigned at tenant scope — Global Administrators included — cannot change such a member's
/// properties or reset its password; only those assigned at the unit's scope can, and no role assignable at a unit's
/// scope may reset a Global Administrator's password (Limitations). A Privileged Role Administrator (or an app with
/// AdministrativeUnit.ReadWrite.All) may still take the account out of the unit and put it back
/// (administrativeunit-delete-members, administrativeunit-post-members). So the change is bracketed: take the
/// account out, change it, put it back — and when the change fails, `ApplyEngine` puts it back at once.
enum RestrictedUnitSteps {
    static let permission = "AdministrativeUnit.ReadWrite.All"
    /// The steps that change an existing user with `PATCH /users/{id}`, which the unit's restriction refuses.
    static let bracketed: Set<PlanStep.Action> = [.setPassword, .setPasswordNeverExpires]

    /// The restricted-management units listing `userID` as a member, sorted by id; empty when the units were not
    /// captured.
    static func units(holding userID: String, in snapshot: Snapshot) -> [AdministrativeUnit] {
        let id = userID.lowercased()
        return (snapshot.administrativeUnits ?? []).filter { unit in
            unit.isRestricted && (snapshot.administrativeUnitMembers[unit.id.lowercased()] ?? []).contains { $0.id.lowercased() == id }
        }.sorted { $0.id.lowercased() < $1.id.lowercased() }
    }

    /// `steps` with every bracketed step of an account in a restricted unit between a step taking it out of each
    /// such unit and one putting it back; also the units involved.
    static func bracket(_ steps: [PlanStep], snapshot: Snapshot) -> (steps: [PlanStep], units: [AdministrativeUnit]) {
        var result: [PlanStep] = []
        var involved: [AdministrativeUnit] = []
        for step in steps {
            guard bracketed.contains(step.action), let userID = step.parameters["userID"]?.lowercased(), !userID.hasPrefix("{{")
            else {
                result.append(step)
                continue
            }
            let units = units(holding: userID, in: snapshot)
            guard !units.isEmpty else {
                result.append(step)
                continue
            }
            let upn = step.parameters["upn"] ?? userID
            for unit in units where !involved.contains(where: { $0.id.lowercased() == unit.id.lowercased() }) {
                involved.append(unit)
            }
            let pairs = units.map { unit in
                let suffix = (units.count > 1 ? "." + unit.id.lowercased().prefix(8) : "")
                let nickname = String(upn.split(separator: "@").first ?? Substring(upn))
                return (unit: unit, leave: "leave-administrative-unit.\(nickname)\(suffix)",
                        rejoin: "rejoin-administrative-unit.\(nickname)\(suffix)")
            }
            for pair in pairs {
                result.append(leave(pair.unit, userID: userID, upn: upn, before: step, rejoinStep: pair.rejoin))
            }
            result.append(step)
            for pair in pairs {
                result.append(rejoin(pair.unit, userID: userID, upn: upn, id: pair.rejoin))
            }
        }
        return (result, involved)
    }

    static func leave(_ unit: AdministrativeUnit, userID: String, upn: String, before step: PlanStep, rejoinStep: String) -> PlanStep {
        let unitID = unit.id.lowercased()
        return PlanStep(
            id: rejoinStep.replacingOccurrences(of: "rejoin-", with: "leave-"), action: .removeAdministrativeUnitMember,
            what: "Take \(upn) out of the restricted-management administrative unit '\(unit.name)' for the next change",
            why: "Entra refuses to change or reset the password of a restricted unit's member from tenant scope, Global Administrators included, and no role at the unit's scope may reset a Global Administrator's password (Learn: admin-units-restricted-management, Limitations). The account is outside the unit only until step \(rejoinStep) puts it back; if the change fails, apply puts it back at once.",
            fixes: step.fixes,
            precondition: "\(upn) is a member of the unit \(unitID)",
            request: PlanRequest(service: .graph, method: "DELETE",
                                 path: "/directory/administrativeUnits/\(unitID)/members/\(userID)/$ref"),
            touches: ["administrativeUnit"],
            parameters: ["upn": upn, "userID": userID, "administrativeUnitID": unitID, "rejoinStep": rejoinStep],
            permission: permission)
    }

    static func rejoin(_ unit: AdministrativeUnit, userID: String, upn: String, id: String) -> PlanStep {
        let unitID = unit.id.lowercased()
        return PlanStep(
            id: id, action: .addAdministrativeUnitMember,
            what: "Put \(upn) back into the restricted-management administrative unit '\(unit.name)'",
            why: "Membership is what shields the account from tenant-wide administrators and apps (BG016).",
            fixes: ["BG016"], precondition: "the unit exists and \(upn) is not a member",
            request: PlanRequest(service: .graph, method: "POST", path: "/directory/administrativeUnits/\(unitID)/members/$ref",
                                 body: .object(["@odata.id": .string("\(PlanPlaceholder.graph)/v1.0/directoryObjects/\(userID)")])),
            touches: ["administrativeUnit"], parameters: ["upn": upn, "userID": userID, "administrativeUnitID": unitID],
            permission: permission)
    }
}

import EntraModel
import Foundation
import Posture

/// The restricted-management administrative unit of a provision plan (BG016): reuse the one holding the accounts, or
/// create one, and add the accounts to it.
extension ProvisionPlanner {
    /// The restricted-management unit's steps and what the plan's state follows of it.
    struct UnitPlan {
        var steps: [PlanStep] = []
        /// The unit's id or `{{administrative-unit}}`; nil when the plan leaves units alone.
        var reference: String?
        var subjects: (name: String?, id: String?) = (nil, nil)
    }

    /// Learn, "Create administrativeUnit" (graph/api/directory-post-administrativeunits, v1.0) and "Add a member"
    /// (graph/api/administrativeunit-post-members, v1.0): both need AdministrativeUnit.ReadWrite.All (application or
    /// delegated; delegated also Privileged Role Administrator). `isMemberManagementRestricted` is a v1.0 property
    /// that can be set only at creation ("Restricted management administrative units in Microsoft Entra ID" >
    /// Limitations), so an unrestricted unit is never reused. The steps run after every other directory change: once
    /// an account is a member, no tenant-scoped administrator or app may change its properties (same page, "What types
    /// of operations are blocked?"), while adding it to a group stays allowed.
    static func administrativeUnitSteps(snapshot: Snapshot, configuration: Configuration, upns: [String],
                                        accountIDs: [String: String], options: ProvisionOptions,
                                        notes: inout [String]) throws -> UnitPlan {
        guard let units = snapshot.administrativeUnits else {
            if let id = configuration.administrativeUnit {
                throw ProvisionError.cannotPlan(
                    "administrativeUnit \(id) cannot be looked up: \(SnapshotFile.administrativeUnits.rawValue) is not in the snapshot (needs AdministrativeUnit.Read.All)")
            }
            notes.append("The administrative units are not in the snapshot (needs AdministrativeUnit.Read.All): the plan "
                + "cannot tell whether the accounts are in a restricted-management unit (BG016). Capture with that permission and plan again.")
            return UnitPlan()
        }
        let accounts = Set(upns.compactMap { accountIDs[$0] }.filter { !$0.hasPrefix("{{") })
        func members(_ unit: AdministrativeUnit) -> Set<String>? {
            snapshot.administrativeUnitMembers[unit.id.lowercased()].map { Set($0.map { $0.id.lowercased() }) }
        }
        let restricted = units.filter(\.isRestricted)
        var chosen: AdministrativeUnit?
        if let id = configuration.administrativeUnit {
            guard let unit = units.first(where: { $0.id.lowercased() == id.lowercased() }) else {
                throw ProvisionError.cannotPlan("administrativeUnit \(id) is not in the tenant")
            }
            guard unit.isRestricted else {
                throw ProvisionError.cannotPlan(
                    "administrativeUnit '\(unit.name)' is not a restricted-management unit, and that can only be set when a unit is created (BG016): remove administrativeUnit from breakglass.yml to have one created")
            }
            chosen = unit
        } else {
            let holding = restricted.filter { !(members($0) ?? []).isDisjoint(with: accounts) }
            if holding.count > 1 {
                throw ProvisionError.cannotPlan(
                    "the emergency accounts are in \(holding.count) restricted-management units (\(holding.map(\.name).sorted().joined(separator: ", "))): name the one to use in breakglass.yml (administrativeUnit: id)")
            }
            let named = restricted.filter { $0.displayName == options.administrativeUnitName }
            if holding.isEmpty, named.count > 1 {
                throw ProvisionError.cannotPlan(
                    "\(named.count) restricted-management units are named '\(options.administrativeUnitName)': name the one to use in breakglass.yml (administrativeUnit: id)")
            }
            chosen = holding.first ?? named.first
        }

        var plan = UnitPlan()
        let reference: String
        let permission = "AdministrativeUnit.ReadWrite.All"
        if let unit = chosen {
            reference = unit.id.lowercased()
            plan.subjects = (nil, reference)
            guard members(unit) != nil else {
                throw ProvisionError.cannotPlan(
                    "the members of the restricted-management unit '\(unit.name)' are not in the snapshot (\(SnapshotFile.administrativeUnitMembers.rawValue)/\(unit.id).json; needs AdministrativeUnit.Read.All)")
            }
        } else {
            reference = PlanPlaceholder.administrativeUnit
            plan.subjects = (options.administrativeUnitName, nil)
            plan.steps.append(PlanStep(
                id: "create-administrative-unit", action: .createAdministrativeUnit,
                what: "Create the restricted-management administrative unit '\(options.administrativeUnitName)'",
                why: "Members of a restricted-management unit can be changed only by administrators assigned at its scope: tenant-wide User, Authentication and Privileged Authentication Administrators, and apps holding Graph permissions such as UserAuthenticationMethod.ReadWrite.All, can no longer reset the accounts' passwords, change their methods, disable or delete them (BG016). The restriction can only be set when the unit is created.",
                fixes: ["BG016"],
                precondition: "no restricted-management unit holds the accounts and none is named '\(options.administrativeUnitName)'",
                request: PlanRequest(service: .graph, method: "POST", path: "/directory/administrativeUnits", body: .object([
                    "displayName": .string(options.administrativeUnitName),
                    "description": .string("Emergency access (break-glass) accounts: only administrators assigned at this unit's scope can change them. Managed by breakglass."),
                    "isMemberManagementRestricted": .bool(true),
                ])),
                touches: ["administrativeUnit"], parameters: ["administrativeUnitName": options.administrativeUnitName],
                permission: permission))
        }
        plan.reference = reference
        let present = chosen.flatMap(members) ?? []
        for upn in upns {
            guard let account = accountIDs[upn], !present.contains(account) else { continue }
            plan.steps.append(PlanStep(
                id: "add-to-administrative-unit.\(upn.split(separator: "@")[0])", action: .addAdministrativeUnitMember,
                what: "Add \(upn) to the restricted-management administrative unit",
                why: "Membership is what shields the account from tenant-wide administrators and apps (BG016).",
                fixes: ["BG016"], precondition: "the unit exists and \(upn) is not a member",
                request: PlanRequest(service: .graph, method: "POST",
                                     path: "/directory/administrativeUnits/\(reference)/members/$ref",
                                     body: .object(["@odata.id": .string("\(PlanPlaceholder.graph)/v1.0/directoryObjects/\(account)")])),
                touches: ["administrativeUnit"], parameters: knownID(upn, account), permission: permission))
        }
        if !plan.steps.isEmpty {
            notes.append("Once the accounts are in the restricted-management unit, no administrator or app assigned at tenant scope can reset their passwords, and no role assignable at a unit's scope may reset a Global Administrator's (Learn: admin-units-restricted-management, Limitations): `breakglass rotate` therefore takes an account out of the unit for the reset and puts it back, which needs AdministrativeUnit.ReadWrite.All and, for a signed-in approver, Privileged Role Administrator.")
        }
        return plan
    }
}

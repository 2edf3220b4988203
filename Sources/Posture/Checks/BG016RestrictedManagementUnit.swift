import EntraModel
import Foundation

struct BG016RestrictedManagementUnit: Check {
    static let metadata = CheckMetadata(
        id: "BG016", title: "Emergency accounts are in a restricted-management administrative unit", severity: .medium,
        subject: .account,
        rationale: """
            Members of a restricted-management administrative unit can be changed only by administrators assigned at \
            the unit's scope: tenant-wide User, Authentication and Privileged Authentication Administrators, and \
            applications holding Microsoft Graph permissions, can no longer reset the password, change the methods, \
            disable or delete the account. Global and Privileged Role Administrators must first assign themselves a \
            role scoped to the unit, an audited step the alert rules catch. The unit must be created restricted (the \
            setting cannot change later); rotating the password then happens by the account itself or by an \
            administrator scoped to the unit.
            """,
        remediation: .init(
            portal: "Entra admin center > Roles & admins > Admin units > Add: 'Restricted management administrative unit' = Yes; add the emergency accounts as members; scope no role to it unless needed.",
            graph: "POST /directory/administrativeUnits {\"displayName\":\"Emergency access\",\"isMemberManagementRestricted\":true}, then POST /directory/administrativeUnits/{id}/members/$ref"),
        references: [
            .learn("Restricted management administrative units in Microsoft Entra ID", "role-based-access-control/admin-units-restricted-management"),
            .emergencyAccess,
        ]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            guard let units = context.snapshot.administrativeUnits else {
                return unknown(account.subject, "Administrative units are unknown: \(context.missing(.administrativeUnits))")
            }
            let id = Directory.normalized(user.id)
            let restricted = units.filter(\.isRestricted)
            let holding = restricted.filter {
                context.snapshot.administrativeUnitMembers[Directory.normalized($0.id)]?.contains { Directory.normalized($0.id) == id } == true
            }
            if !holding.isEmpty {
                return pass(account.subject, "\(user.name) is in the restricted-management unit\(holding.count == 1 ? "" : "s") \(holding.map(\.name).sorted().joinedAsList).")
            }
            let unknownUnits = restricted.filter { context.snapshot.administrativeUnitMembers[Directory.normalized($0.id)] == nil }
            if let first = unknownUnits.first {
                return unknown(account.subject, "The members of the restricted-management unit \(first.name) are unknown: \(context.missing(.administrativeUnitMembers, entry: first.id))")
            }
            return fail(account.subject, restricted.isEmpty
                ? "The tenant has no restricted-management administrative unit: any User or Privileged Authentication Administrator, and any app holding UserAuthenticationMethod.ReadWrite.All, can change \(user.name)."
                : "\(user.name) is in none of the restricted-management units (\(restricted.map(\.name).sorted().joinedAsList)).")
        }
    }
}

import EntraModel
import Foundation

struct BG032ExclusionGroupSafe: Check {
    static let metadata = CheckMetadata(
        id: "BG032", title: "Exclusion groups are protected", severity: .high, subject: .group,
        rationale: """
            Whoever can change the exclusion group can exempt any account from Conditional Access. A dynamic group \
            follows attributes anyone with user-write rights can set; a synchronized group is controlled from \
            on-premises AD; only a role-assignable group is limited to Privileged Role Administrators and Global \
            Administrators.
            """,
        remediation: .init(
            portal: "Entra admin center > Groups > New group: security group, Assigned membership, 'Microsoft Entra roles can be assigned to the group' = Yes; add the emergency accounts; replace the old group in every policy's exclusions.",
            graph: "POST /groups {\"securityEnabled\":true,\"mailEnabled\":false,\"isAssignableToRole\":true,\"groupTypes\":[],…}"),
        references: [.emergencyAccess, .learn("Role-assignable groups", "role-based-access-control/groups-concept")]
    )

    func run(in context: TenantContext) -> [Finding] {
        guard !context.exclusionGroups.isEmpty else {
            return [notApplicable(context.tenantSubject, "No group is used to exclude the emergency accounts (they are excluded directly, or not at all: see BG030).")]
        }
        return context.exclusionGroups.map { id in
            let subject = context.groupSubject(id)
            guard let group = context.directory.group(id) else {
                return unknown(subject, "The exclusion group \(id) is not in groups.json.")
            }
            if group.isDynamic {
                return fail(subject, "\(group.name) has dynamic membership (\(group.membershipRule ?? "rule")): anyone who can set the attributes can join it.")
            }
            if group.isSynchronized {
                return fail(subject, "\(group.name) is synchronized from on-premises Active Directory, which controls its members.")
            }
            // Graph sends `"isAssignableToRole": null` for groups not created role-assignable: present and null is
            // "no"; only an absent property (not selected in the export) leaves it unknown.
            guard let assignable = group.roleAssignable else {
                return unknown(subject, "groups.json does not say whether \(group.name) is role-assignable "
                    + "(isAssignableToRole was not selected).")
            }
            if !assignable {
                return warn(subject, "\(group.name) is not role-assignable: any Groups Administrator or owner can change its members.")
            }
            return pass(subject, "\(group.name) is assigned, cloud-only and role-assignable.")
        }
    }
}

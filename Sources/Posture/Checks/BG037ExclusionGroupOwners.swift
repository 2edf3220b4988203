import EntraModel
import Foundation

struct BG037ExclusionGroupOwners: Check {
    static let metadata = CheckMetadata(
        id: "BG037", title: "Exclusion groups have no owners but emergency accounts and Global Administrators",
        severity: .high, subject: .group,
        rationale: """
            An owner of a group manages its members, role-assignable groups included. An owner of the exclusion group \
            adds themselves (or a compromised account) and bypasses every Conditional Access policy that excludes it, \
            or removes an emergency account and puts those policies back on it. Only principals who could do as much \
            anyway — the emergency accounts and Global Administrators — may own it. Microsoft Graph v1.0 does not list \
            service principals among group owners yet, so an owning application is checked only when the snapshot \
            shows it.
            """,
        remediation: .init(
            portal: "Entra admin center > Groups > the exclusion group > Owners: remove every owner who is not an emergency account or Global Administrator (a group needs no owner).",
            graph: "DELETE /groups/{groupId}/owners/{ownerId}/$ref"),
        references: [
            .emergencyAccess,
            .learn("Use Microsoft Entra groups to manage role assignments", "role-based-access-control/groups-concept"),
            Reference("List group owners (Microsoft Graph)", "https://learn.microsoft.com/graph/api/group-list-owners"),
        ]
    )

    func run(in context: TenantContext) -> [Finding] {
        guard !context.exclusionGroups.isEmpty else {
            return [notApplicable(context.tenantSubject, "No group is used to exclude the emergency accounts.")]
        }
        let admins = context.globalAdministratorIDs
        return context.exclusionGroups.map { id in
            let subject = context.groupSubject(id)
            guard let owners = context.snapshot.groupOwners[Directory.normalized(id)] else {
                return unknown(subject, "The owners of \(subject.name) are unknown: \(context.missing(.groupOwners, entry: id))")
            }
            let outsiders = owners.map { Directory.normalized($0.id) }
                .filter { !context.isEmergencyAccount($0) && !admins.contains($0) }
                .map(context.principalName).sorted()
            if !outsiders.isEmpty {
                return fail(subject, "\(outsiders.joinedAsList) own\(outsiders.count == 1 ? "s" : "") \(subject.name) without being an emergency account or Global Administrator: an owner adds themselves and bypasses every policy that excludes it.",
                            evidence: ["owners": .array(outsiders.map { .string($0) })])
            }
            return pass(subject, owners.isEmpty
                ? "\(subject.name) has no owners."
                : "\(subject.name) is owned only by \(owners.map { context.principalName($0.id) }.sorted().joinedAsList).")
        }
    }
}

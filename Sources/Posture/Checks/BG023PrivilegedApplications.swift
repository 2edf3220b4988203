import EntraModel
import Foundation
import Paths

struct BG023PrivilegedApplications: Check {
    static let metadata = CheckMetadata(
        id: "BG023", title: "No undeclared application can take over the emergency accounts, and none has non-tier-0 owners",
        severity: .high, subject: .application,
        rationale: """
            An application needs no user, no MFA and no Conditional Access exclusion to act: with \
            RoleManagement.ReadWrite.Directory it makes itself Global Administrator, with AppRoleAssignment.ReadWrite.All \
            it grants itself that permission, with UserAuthenticationMethod.ReadWrite.All it registers a Temporary \
            Access Pass on an emergency account, with Application.ReadWrite.All it adds a secret to any application \
            that can; a Global or Privileged Role Administrator assignment does the same. Each such application must be \
            known and declared (guidance.allowedPrivilegedApps), and everyone who owns it — and can therefore add a \
            credential and sign in as it — must be tier 0 themselves: an emergency account, or a holder of a take-over \
            role.
            """,
        remediation: .init(
            portal: "Entra admin center > Enterprise applications > the application > Permissions: remove the take-over permission (or role under Roles and administrators) it does not need; > Owners (and App registrations > Owners): remove owners who are not tier 0; declare the applications that keep them in breakglass.yml under guidance.allowedPrivilegedApps.",
            graph: "DELETE /servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}; DELETE /servicePrincipals/{id}/owners/{ownerId}/$ref; DELETE /applications/{id}/owners/{ownerId}/$ref"),
        references: [
            .learn("Privileged roles and permissions in Microsoft Entra ID", "role-based-access-control/privileged-roles-permissions"),
            Reference("Microsoft Graph permissions reference", "https://learn.microsoft.com/graph/permissions-reference"),
            Reference("List appRoleAssignments granted for a service principal", "https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto"),
        ]
    )

    func run(in context: TenantContext) -> [Finding] {
        let analysis = context.tierZero
        let applicationFiles: Set<String> = [
            SnapshotFile.servicePrincipals.rawValue, SnapshotFile.graphServicePrincipal.rawValue,
            SnapshotFile.graphAppRoleAssignments.rawValue,
        ]
        if let missing = analysis.limitations.first(where: { applicationFiles.contains($0.file) }) {
            return [unknown(context.tenantSubject, "The applications' permissions are unknown: \(missing.reason).")]
        }
        let allowed = Set(context.configuration.guidance.allowedPrivilegedApps.map { $0.lowercased() })
        let privileged = analysis.paths(.takeOver).filter { path in
            guard path.principal.kind == .servicePrincipal || path.principal.kind == .directoryObject else { return false }
            return analysis.tierZero.contains(path.principal.id) || path.hops.first?.relation != .owner
        }
        guard !privileged.isEmpty else {
            return [pass(context.tenantSubject, "No application holds a permission or role that takes over an emergency account.")]
        }
        let servicePrincipals = Dictionary((context.snapshot.servicePrincipals ?? []).map { (Directory.normalized($0.id), $0) },
                                           uniquingKeysWith: { first, _ in first })
        return privileged.map { path in
            let id = path.principal.id
            let servicePrincipal = servicePrincipals[id]
            let subject = Subject(kind: .application, id: id, name: path.principal.name)
            let holds = path.hops.first?.evidence.detail ?? path.hops.first?.to.name ?? "a take-over permission"
            let route = path.hops.map(\.to.name).joined(separator: " → ")
            let names = [id, servicePrincipal?.appId, servicePrincipal?.displayName].compactMap { $0?.lowercased() }
            let declared = names.contains(where: allowed.contains)
            let owners = Self.owners(of: servicePrincipal, id: id, context)
            let outsiders = (owners.known ?? []).filter { !analysis.tierZero.contains($0) }.map(context.principalName).sorted()
            var evidence: [String: JSONValue] = ["holds": .string(holds), "path": .string(route)]
            if !outsiders.isEmpty { evidence["nonTierZeroOwners"] = .array(outsiders.map { .string($0) }) }
            let ownerNote = outsiders.isEmpty ? "" : " Owners who are not tier 0 act as it too: \(outsiders.joinedAsList)."
            if !declared {
                return fail(subject, "\(path.principal.name) holds \(holds) (\(route)) and is not declared in guidance.allowedPrivilegedApps.\(ownerNote)",
                            evidence: evidence)
            }
            if !outsiders.isEmpty {
                return fail(subject, "\(path.principal.name) is declared, but \(outsiders.joinedAsList) own\(outsiders.count == 1 ? "s" : "") it without being tier 0, and can add a credential and act as it.",
                            evidence: evidence)
            }
            if let missing = owners.missing {
                return unknown(subject, "\(path.principal.name) is declared; its owners are unknown: \(missing)")
            }
            return pass(subject, "\(path.principal.name) holds \(holds), is declared, and has no owner outside tier 0.", evidence: evidence)
        }
    }

    /// Owners of the service principal and of its application registration; `missing` names a file that is not there.
    static func owners(of servicePrincipal: ServicePrincipal?, id: String, _ context: TenantContext) -> (known: [String]?, missing: String?) {
        var owners: [String] = []
        var missing: String?
        if let list = context.snapshot.servicePrincipalOwners[id] {
            owners += list.map { Directory.normalized($0.id) }
        } else {
            missing = context.missing(.servicePrincipalOwners, entry: id)
        }
        if let appID = servicePrincipal?.appId.map(Directory.normalized) {
            if let application = context.snapshot.applications?.first(where: { $0.appId.map(Directory.normalized) == appID }) {
                if let list = context.snapshot.applicationOwners[Directory.normalized(application.id)] {
                    owners += list.map { Directory.normalized($0.id) }
                } else {
                    missing = missing ?? context.missing(.applicationOwners, entry: application.id)
                }
            } else if context.snapshot.applications == nil {
                missing = missing ?? context.missing(.applications)
            }
        }
        return (missing == nil ? owners : (owners.isEmpty ? nil : owners), missing)
    }
}

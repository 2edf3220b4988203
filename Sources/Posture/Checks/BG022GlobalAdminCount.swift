import EntraModel
import Foundation

struct BG022GlobalAdminCount: Check {
    static let metadata = CheckMetadata(
        id: "BG022", title: "Between 2 and the configured maximum of active Global Administrators", severity: .medium,
        subject: .tenant,
        rationale: """
            Fewer than two Global Administrators leaves no fallback; many more widens the attack surface. Microsoft \
            recommends fewer than five; CIS says between two and four, emergency accounts included.
            """,
        remediation: .init(
            portal: "Entra admin center > Roles and administrators > Global Administrator: move day-to-day admins to narrower roles or PIM-eligible assignments.",
            graph: "GET /roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'"),
        references: [.learn("Best practices for Microsoft Entra roles", "role-based-access-control/best-practices"), .cisM365]
    )

    func run(in context: TenantContext) -> [Finding] {
        let holders = context.directory.activeHolders(ofRole: WellKnownRole.globalAdministrator, at: context.now)
        let maximum = context.configuration.guidance.maxGlobalAdmins
        let evidence: [String: JSONValue] = ["globalAdministrators": .array(holders.map { .string($0.name) })]
        if holders.count < 2 {
            return [fail(context.tenantSubject, "Only \(holders.count) active Global Administrator\(holders.count == 1 ? "" : "s"); at least 2 are needed.", evidence: evidence)]
        }
        if holders.count > maximum {
            return [fail(context.tenantSubject, "\(holders.count) active Global Administrators, more than the maximum of \(maximum).", evidence: evidence)]
        }
        return [pass(context.tenantSubject, "\(holders.count) active Global Administrators (2–\(maximum)).", evidence: evidence)]
    }
}

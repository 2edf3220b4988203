import EntraModel
import Foundation
import Paths

struct BG024TakeoverPrincipals: Check {
    static let metadata = CheckMetadata(
        id: "BG024", title: "Few principals can take over an emergency account", severity: .medium, subject: .tenant,
        rationale: """
            Every user or application that can reset an emergency account's password, register a method on it or make \
            itself Global Administrator is one more way to lose the account that must never be lost: active and \
            PIM-eligible Global, Privileged Role and Privileged Authentication Administrators, members and owners of the \
            groups that hold those roles, applications with take-over permissions and their owners. Keep that number \
            small (guidance.maxTakeoverPrincipals, 8 by default, in line with Microsoft's advice of fewer than five \
            Global Administrators plus the emergency accounts) and review it with `breakglass paths`.
            """,
        remediation: .init(
            portal: "Run `breakglass paths` to see each principal and how it gets there; move day-to-day administrators to narrower roles, remove take-over permissions from applications, and remove owners who are not tier 0.",
            graph: "GET /roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'; GET /servicePrincipals/{graph-id}/appRoleAssignedTo"),
        references: [
            .learn("Best practices for Microsoft Entra roles", "role-based-access-control/best-practices"),
            .learn("Privileged roles and permissions in Microsoft Entra ID", "role-based-access-control/privileged-roles-permissions"),
            .emergencyAccess,
        ]
    )

    func run(in context: TenantContext) -> [Finding] {
        guard !context.tierZero.accounts.isEmpty else { return noAccounts(context) }
        let principals = context.tierZero.takeOverPrincipals
        let maximum = context.configuration.guidance.maxTakeoverPrincipals
        let names = principals.map(\.name)
        let shown = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", … (\(names.count - 20) more)" : "")
        let evidence: [String: JSONValue] = ["principals": .array(names.map { .string($0) })]
        if principals.count > maximum {
            return [fail(context.tenantSubject, "\(principals.count) principals can take over an emergency account, more than the maximum of \(maximum): \(shown).",
                         evidence: evidence)]
        }
        if let limitation = context.tierZero.limitations.first {
            let more = context.tierZero.limitations.count > 1 ? " (and \(context.tierZero.limitations.count - 1) more gaps: see `breakglass paths`)" : ""
            return [unknown(context.tenantSubject, "\(principals.count) principal\(principals.count == 1 ? "" : "s") found so far (maximum \(maximum)), but \(limitation.reason): \(limitation.effect)\(more)")]
        }
        return [pass(context.tenantSubject, "\(principals.count) principal\(principals.count == 1 ? "" : "s") can take over an emergency account (maximum \(maximum))\(names.isEmpty ? "" : ": \(shown)").",
                     evidence: evidence)]
    }
}

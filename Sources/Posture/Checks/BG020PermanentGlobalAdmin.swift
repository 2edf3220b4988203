import EntraModel
import Foundation

struct BG020PermanentGlobalAdmin: Check {
    static let metadata = CheckMetadata(
        id: "BG020", title: "Emergency accounts are permanent Global Administrators", severity: .critical,
        subject: .account,
        rationale: """
            The account must be able to undo anything — a policy, a federation setting, a role change — so it needs \
            Global Administrator, active and permanent, at directory scope. An assignment through a group depends on \
            the group staying intact; a time-bound or activated one lapses.
            """,
        remediation: .init(
            portal: "Entra admin center > Roles and administrators > Global Administrator > Add assignments: the account, assignment type Active, permanently assigned.",
            graph: "POST /roleManagement/directory/roleAssignments {\"principalId\":\"{id}\",\"roleDefinitionId\":\"62e90394-69f5-4237-9190-012177145e10\",\"directoryScopeId\":\"/\"}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            let holdings = context.directory.activeRoles(of: user.id, at: context.now)
                .filter { $0.roleTemplateID == WellKnownRole.globalAdministrator && $0.isDirectoryWide }
            if holdings.contains(where: { $0.path == .direct && $0.endDateTime == nil && $0.kind == .assigned }) {
                return pass(account.subject, "\(user.name) holds Global Administrator directly, active and permanent.")
            }
            if let viaGroup = holdings.first(where: { $0.endDateTime == nil && $0.kind == .assigned }),
                case .group(let groupID) = viaGroup.path
            {
                let group = context.directory.group(groupID)?.name ?? groupID
                return warn(account.subject, "\(user.name) holds Global Administrator only through the group \(group); assign it directly.")
            }
            if let timed = holdings.first {
                let end = timed.endDateTime.map { " until \(context.describe($0))" } ?? ""
                return fail(account.subject, "\(user.name) holds Global Administrator only \(timed.kind == .activated ? "by PIM activation" : "time-bound")\(end).")
            }
            return fail(account.subject, "\(user.name) does not hold an active Global Administrator assignment.")
        }
    }
}

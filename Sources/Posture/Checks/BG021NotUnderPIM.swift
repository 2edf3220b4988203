import EntraModel
import Foundation

struct BG021NotUnderPIM: Check {
    static let metadata = CheckMetadata(
        id: "BG021", title: "Emergency accounts are not managed by PIM", severity: .high, subject: .account,
        rationale: """
            Privileged Identity Management activation asks for MFA, a justification and sometimes an approver — \
            exactly what may be unavailable in an emergency. Eligible or time-bound roles can also lapse unnoticed.
            """,
        remediation: .init(
            portal: "Entra admin center > Identity governance > Privileged Identity Management > Microsoft Entra roles > Assignments: remove the account's eligible and time-bound assignments; keep one permanent active Global Administrator assignment.",
            graph: "POST /roleManagement/directory/roleEligibilityScheduleRequests {action:'adminRemove', …}"),
        references: [.emergencyAccess, .learn("PIM for Microsoft Entra roles", "privileged-identity-management/pim-configure")]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            let timeBound = context.directory.activeRoles(of: user.id, at: context.now).filter {
                $0.endDateTime != nil || $0.kind == .activated
            }
            guard let eligible = context.directory.eligibleRoles(of: user.id, at: context.now) else {
                if !timeBound.isEmpty {
                    return fail(account.subject, "\(user.name) has \(timeBound.count) time-bound or activated role assignment(s).")
                }
                let reason = context.snapshot.whyUnavailable(.roleEligibilitySchedules)?.description ?? "role-eligibility-schedules.json is not in the snapshot"
                return unknown(account.subject, "Cannot tell whether \(user.name) is PIM-eligible: \(reason).")
            }
            if eligible.isEmpty && timeBound.isEmpty {
                return pass(account.subject, "\(user.name) has no eligible, time-bound or activated role assignment.")
            }
            let roles = (eligible.map { "eligible for \(context.directory.roleName($0.roleTemplateID))" }
                + timeBound.map { "\($0.kind == .activated ? "activated" : "time-bound") \(context.directory.roleName($0.roleTemplateID))" })
            return fail(account.subject, "\(user.name) is under PIM: \(roles.joinedAsList).")
        }
    }
}

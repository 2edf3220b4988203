import EntraModel
import Foundation

struct BG060RotatedAfterUse: Check {
    static let metadata = CheckMetadata(
        id: "BG060", title: "The password was rotated after the last use", severity: .critical, subject: .account,
        rationale: """
            Once an emergency password has been typed, someone has seen it and it may sit in a browser, a clipboard \
            or a screenshot. It must be changed — by two people, so that nobody alone knows the new one — within \
            the grace period after every sign-in, drills included.
            """,
        remediation: .init(
            portal: "With two custodians present: `breakglass password generate`, set it in the Entra admin center > Users > the account > Reset password, then split it with `breakglass custody split` and destroy the old share sheets.",
            graph: "PATCH /users/{id} {\"passwordProfile\":{\"password\":\"…\",\"forceChangePasswordNextSignIn\":false}}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let grace = TimeInterval(context.configuration.guidance.rotationGraceHours * 3600)
        return forEachAccount(context) { account, user in
            let (lastSignIn, known) = context.lastSuccessfulSignIn(of: user)
            guard known else {
                let reason = context.snapshot.whyUnavailable(.signIns)?.description ?? "sign-ins.json is not in the snapshot"
                return unknown(account.subject, "The last sign-in of \(user.name) is unknown: users.json has no signInActivity and \(reason).")
            }
            guard let lastSignIn else { return pass(account.subject, "\(user.name) has never signed in: nothing to rotate.") }
            guard let changed = user.lastPasswordChangeDateTime else {
                return unknown(account.subject, "users.json gives no lastPasswordChangeDateTime for \(user.name).")
            }
            let evidence: [String: JSONValue] = [
                "lastSuccessfulSignIn": .string(GraphDate.format(lastSignIn)), "lastPasswordChange": .string(GraphDate.format(changed)),
            ]
            // Strictly after: a change stamped in the same second as the sign-in cannot be shown to follow it (fail-safe).
            if changed > lastSignIn {
                return pass(account.subject, "Password changed \(context.describe(changed)), after the last sign-in \(context.describe(lastSignIn)).", evidence: evidence)
            }
            let deadline = lastSignIn.addingTimeInterval(grace)
            if context.now <= deadline {
                return pass(account.subject, "Signed in \(context.describe(lastSignIn)); rotation due by \(GraphDate.format(deadline)) (within the \(context.configuration.guidance.rotationGraceHours)-hour grace).", evidence: evidence)
            }
            return fail(account.subject, "Signed in \(context.describe(lastSignIn)) but the password was last changed \(context.describe(changed)): rotate it now.", evidence: evidence)
        }
    }
}

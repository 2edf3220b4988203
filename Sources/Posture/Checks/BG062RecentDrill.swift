import EntraModel
import Foundation

struct BG062RecentDrill: Check {
    static let metadata = CheckMetadata(
        id: "BG062", title: "Each account was tested recently", severity: .medium, subject: .account,
        rationale: """
            An emergency account nobody has signed in to for a year is an assumption, not a control: the password \
            may be wrong, the key lost, a policy may catch it. A drill — a real sign-in, then rotation — proves it.
            """,
        remediation: .init(
            portal: "Run a drill: retrieve the password with two custodians, sign in to the Entra admin center, check access, sign out, then rotate the password (`breakglass password generate`, reset, `breakglass custody split`).",
            graph: "GET /auditLogs/signIns?$filter=userId eq '{id}' and status/errorCode eq 0"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let interval = context.configuration.guidance.drillIntervalDays
        return forEachAccount(context) { account, user in
            let (lastSignIn, known) = context.lastSuccessfulSignIn(of: user)
            guard known else {
                let reason = context.snapshot.whyUnavailable(.signIns)?.description ?? "sign-ins.json is not in the snapshot"
                return unknown(account.subject, "The last sign-in of \(user.name) is unknown: users.json has no signInActivity and \(reason).")
            }
            guard let lastSignIn else {
                return fail(account.subject, "\(user.name) has never signed in successfully: it has never been tested.")
            }
            let days = Int(context.now.timeIntervalSince(lastSignIn) / 86_400)
            if days <= interval { return pass(account.subject, "Last successful sign-in \(context.describe(lastSignIn)) (every \(interval) days).") }
            return fail(account.subject, "Last successful sign-in \(context.describe(lastSignIn)), longer ago than the \(interval)-day drill interval.")
        }
    }
}

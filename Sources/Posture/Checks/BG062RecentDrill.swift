import EntraModel
import Foundation

struct BG062RecentDrill: Check {
    static let metadata = CheckMetadata(
        id: "BG062", title: "Each account was tested recently", severity: .medium, subject: .account,
        rationale: """
            An emergency account nobody has signed in to for a year is an assumption, not a control: the password \
            may be wrong, the key lost, a policy may catch it. A drill — a real sign-in, then rotation — proves it. \
            When breakglass.yml names the custody ledger (custody.ledger), only drills recorded there count: a drill \
            nobody recorded does not.
            """,
        remediation: .init(
            portal: "Run a drill: record it (`breakglass drill start --account … --ledger custody.db`), retrieve the password with two custodians, sign in to the Entra admin center, check access, sign out, then rotate the password (`breakglass password generate`, reset, `breakglass custody split`) and close it with `breakglass drill finish`.",
            graph: "GET /auditLogs/signIns?$filter=userId eq '{id}' and status/errorCode eq 0"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let interval = context.configuration.guidance.drillIntervalDays
        return forEachAccount(context) { account, user in
            if let drills = context.drillsOnFile { return fromLedger(drills, account, user, context) }
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

    /// With a custody ledger named in breakglass.yml, only recorded drills count: "a drill nobody records does not
    /// count". A drill counts once its sign-in is seen (by `drill finish`, or in the tenant's sign-ins inside its
    /// window).
    private func fromLedger(_ drills: DrillsOnFile, _ account: EmergencyAccount, _ user: User,
                            _ context: TenantContext) -> Finding {
        let interval = context.configuration.guidance.drillIntervalDays
        if case .unusable(let path, let reason) = drills {
            return unknown(account.subject, "The custody ledger \(path) cannot be used (\(reason)): recorded drills cannot be counted.")
        }
        let path = drills.path
        guard let last = context.drillTests(of: user).max(by: { $0.signedInAt < $1.signedInAt }) else {
            let started = context.recordedDrills(of: user).filter { $0.windowStart <= context.now }
            if let drill = started.max(by: { $0.windowStart < $1.windowStart }) {
                return fail(account.subject, "A drill of \(user.name) was recorded in \(path) for \(GraphDate.format(drill.windowStart)) to \(GraphDate.format(drill.windowEnd)), but no sign-in was seen in that window: it has not been tested.")
            }
            let (lastSignIn, _) = context.lastSuccessfulSignIn(of: user)
            let signedIn = lastSignIn.map { "; its last sign-in (\(context.describe($0))) was not a recorded drill" } ?? ""
            return fail(account.subject, "No drill of \(user.name) is recorded in \(path)\(signedIn). Record one with `breakglass drill start`.")
        }
        let evidence: [String: JSONValue] = [
            "lastDrillSignIn": .string(GraphDate.format(last.signedInAt)), "ledger": .string(path),
            "drillFinished": .bool(last.drill.isFinished),
        ]
        let how = last.drill.isFinished ? "recorded and finished" : "recorded (not finished yet)"
        let days = Int(context.now.timeIntervalSince(last.signedInAt) / 86_400)
        if days <= interval {
            return pass(account.subject, "Drill sign-in \(context.describe(last.signedInAt)), \(how) in \(path) (every \(interval) days).", evidence: evidence)
        }
        return fail(account.subject, "Last drill sign-in \(context.describe(last.signedInAt)) (\(path)), longer ago than the \(interval)-day drill interval.", evidence: evidence)
    }
}

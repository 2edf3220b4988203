import EntraModel
import Foundation

struct BG063RoutineUse: Check {
    static let metadata = CheckMetadata(
        id: "BG063", title: "Emergency accounts are not used routinely", severity: .medium, subject: .account,
        rationale: """
            An emergency account used for daily administration is exposed daily, its password known to whoever \
            uses it, its alerts ignored as noise. More than a drill or two a month means it has become an admin \
            account without an admin account's controls. Sign-ins inside a drill recorded in the custody ledger \
            (`breakglass drill start`) are not counted.
            """,
        remediation: .init(
            portal: "Find who used it (Entra admin center > Sign-in logs, filter by the account), give them a named admin account with PIM, rotate the emergency password.",
            graph: "GET /auditLogs/signIns?$filter=userId eq '{id}' and createdDateTime ge {30 days ago}"),
        references: [.emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let maximum = context.configuration.guidance.maxRoutineSignIns
        let since = context.now.addingTimeInterval(-30 * 86_400)
        return forEachAccount(context) { account, user in
            guard let signIns = context.successfulSignIns(of: user) else {
                let reason = context.snapshot.whyUnavailable(.signIns)?.description ?? "sign-ins.json is not in the snapshot"
                return unknown(account.subject, "Cannot count sign-ins: \(reason).")
            }
            let recent = signIns.filter { $0.createdDateTime >= since && $0.createdDateTime <= context.now }
            // A sign-in inside a drill recorded in the custody ledger is the drill, not routine use.
            let drills = context.recordedDrills(of: user)
            let all = recent.filter { $0.isInteractive != false }
            let interactive = all.filter { signIn in !drills.contains { $0.covers(signIn.createdDateTime) } }
            var evidence: [String: JSONValue] = ["signInsLast30Days": .number(Double(interactive.count))]
            if interactive.count != all.count { evidence["drillSignInsNotCounted"] = .number(Double(all.count - interactive.count)) }
            if interactive.count <= maximum {
                let drill = all.count == interactive.count ? "" : ", besides \(all.count - interactive.count) in recorded drills"
                return pass(account.subject, "\(interactive.count) successful sign-in\(interactive.count == 1 ? "" : "s") in the last 30 days (at most \(maximum))\(drill).", evidence: evidence)
            }
            let apps = Set(interactive.compactMap(\.appDisplayName)).sorted()
            return fail(account.subject, "\(interactive.count) successful sign-ins in the last 30 days (more than \(maximum))\(apps.isEmpty ? "" : ", to \(apps.joinedAsList)"): it is used as an everyday account.", evidence: evidence)
        }
    }
}

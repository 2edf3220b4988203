import Custody
import EntraModel
import Foundation
import Logging
import Posture

/// The drills `breakglass drill start` recorded in the custody ledger: a successful sign-in inside a drill's window
/// opens its incident already acknowledged (reason drill); rotation still closes it.
///
/// The ledger is read again for each sign-in (it is small, and a drill started while the service runs counts at
/// once), and trusted only when its hash chain verifies: a ledger that is missing or fails verification plans no
/// drill, so every sign-in stays an unacknowledged incident, and the problem is logged.
public struct LedgerDrills: DrillSource {
    public let path: String
    /// The watched tenants, to match a drill recorded by UPN with a sign-in that carries the object id.
    public let tenants: [WatchedTenant]
    let logger: Logger

    public init(path: String, tenants: [WatchedTenant], logger: Logger = Logger(label: "breakglass.watch")) {
        self.path = path
        self.tenants = tenants
        self.logger = logger
    }

    public func plannedDrill(tenantID: String, accountID: String, at: Date) async throws -> PlannedDrill? {
        var names: Set<String> = [accountID.lowercased()]
        let tenant = tenants.first { $0.matches(tenantID) }
        if let account = tenant?.account(accountID) {
            if let id = account.objectID { names.insert(id.lowercased()) }
            if let upn = account.userPrincipalName { names.insert(upn.lowercased()) }
        }
        let drills: [RecordedDrillEntry]
        do {
            drills = try Ledger(readingAt: path).verifiedDrills()
        } catch {
            logger.warning("Custody ledger unusable: drills not recognised",
                           metadata: ["ledger.path": "\(path)", "ledger.error": "\(error)"])
            return nil
        }
        guard let drill = drills.last(where: { names.contains($0.plan.account.lowercased()) && $0.plan.covers(at) })
        else { return nil }
        return PlannedDrill(plannedBy: drill.plan.plannedBy, note: Self.note(drill.plan))
    }

    /// What the acknowledgement says: the drill, its window, approvals and reason.
    static func note(_ plan: DrillPlan) -> String {
        var parts = ["drill \(plan.id) recorded in the custody ledger, window \(GraphDate.format(plan.windowStart)) to \(GraphDate.format(plan.windowEnd))"]
        if !plan.approvals.isEmpty { parts.append("approved by \(plan.approvals.map(\.custodian).joined(separator: ", "))") }
        if let reason = plan.reason { parts.append(reason) }
        return parts.joined(separator: "; ")
    }
}

extension DrillsOnFile {
    /// The drills in the ledger `custody.ledger` names (relative to `folder`, the configuration file's); nil when it
    /// names none.
    public static func read(_ configuration: Configuration, relativeTo folder: URL) -> DrillsOnFile? {
        guard let file = configuration.custody.ledger else { return nil }
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
        return read(ledgerAt: url.path, shownAs: file, configuration: configuration)
    }

    /// The drills in the ledger at `path` (named `shownAs` in messages), after verifying its chain; each drill's
    /// approvals are checked against the custodians' keys in `configuration`.
    public static func read(ledgerAt path: String, shownAs name: String, configuration: Configuration) -> DrillsOnFile {
        let drills: [RecordedDrillEntry]
        do {
            drills = try Ledger(readingAt: path).verifiedDrills()
        } catch {
            return .unusable(path: name, reason: "\(error)")
        }
        let custodians = configuration.custody.custodians.map { (name: $0.name, publicKey: $0.publicKey) }
        return .read(path: name, drills.map { entry in
            RecordedDrill(account: entry.plan.account, windowStart: entry.plan.windowStart,
                          windowEnd: entry.plan.windowEnd, plannedBy: entry.plan.plannedBy,
                          approvedBy: entry.plan.verifyApprovals(custodians: custodians).valid,
                          isFinished: entry.outcome != nil, signedInAt: entry.outcome?.signedInAt,
                          passwordChangedAt: entry.outcome?.passwordChangedAt)
        })
    }
}

import Crypto
import Foundation

/// A planned test sign-in, as `breakglass drill start` records it: which account, the window in which the sign-in is
/// expected, who runs it and why, and the custodians who approved it (Ed25519 signatures over the plan, as plan
/// approvals are). Never a password.
public struct DrillPlan: Codable, Sendable, Hashable {
    public var id: String
    /// The account as breakglass.yml names it: an object id or a UPN.
    public var account: String
    public var tenant: String?
    /// The sign-in is expected from `windowStart` to `windowEnd` (whole seconds).
    public var windowStart: Date
    public var windowEnd: Date
    /// Who runs it: the operator's name.
    public var plannedBy: String
    public var reason: String?
    public var approvals: [DrillApproval]

    public init(id: String = UUID().uuidString.lowercased(), account: String, tenant: String?, windowStart: Date,
                windowEnd: Date, plannedBy: String, reason: String?) {
        self.id = id
        self.account = account
        self.tenant = tenant
        self.windowStart = Date(timeIntervalSince1970: windowStart.timeIntervalSince1970.rounded(.down))
        self.windowEnd = Date(timeIntervalSince1970: windowEnd.timeIntervalSince1970.rounded(.up))
        self.plannedBy = plannedBy
        self.reason = reason
        approvals = []
    }

    /// Whether `date` falls inside the window (both ends included).
    public func covers(_ date: Date) -> Bool { date >= windowStart && date <= windowEnd }

    /// SHA-256 over the plan's canonical JSON without its approvals: what custodians sign.
    public var hash: String {
        var unsigned = self
        unsigned.approvals = []
        let data = (try? DrillLedgerDetail.canonicalEncoder.encode(unsigned)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The bytes an approval signs: a domain line (not a plan's: a drill approval cannot be replayed as one) and
    /// the hash.
    public var approvalMessage: Data { Data("breakglass drill approval v1\n\(hash)\n".utf8) }

    /// Adds `key`'s signature (replacing an earlier one by the same custodian).
    public mutating func approve(with key: CustodianKey) throws {
        let signature = try key.sign(approvalMessage)
        approvals.removeAll { $0.custodian.lowercased() == key.name.lowercased() }
        approvals.append(DrillApproval(custodian: key.name, publicKey: key.publicKey.description,
                                       signature: signature.base64EncodedString()))
    }

    /// Checks each approval against the custodians' listed keys (name → `ed25519:…`, nil when none is listed):
    /// the custodians whose signatures verify, and what is wrong with the others.
    public func verifyApprovals(custodians: [(name: String, publicKey: String?)]) -> (valid: [String], problems: [String]) {
        var valid: [String] = []
        var problems: [String] = []
        let message = approvalMessage
        for approval in approvals {
            guard let custodian = custodians.first(where: { $0.name.lowercased() == approval.custodian.lowercased() }) else {
                problems.append("\(approval.custodian) is not a custodian in breakglass.yml")
                continue
            }
            guard let listed = custodian.publicKey.flatMap(CustodianPublicKey.init(text:)) else {
                problems.append("\(custodian.name) has no publicKey in breakglass.yml")
                continue
            }
            guard CustodianPublicKey(text: approval.publicKey) == listed else {
                problems.append("\(custodian.name) signed with a key that is not the one in breakglass.yml")
                continue
            }
            guard let bytes = Data(base64Encoded: approval.signature), listed.verifies(bytes, over: message) else {
                problems.append("\(custodian.name)'s signature does not match this drill (it was changed after signing)")
                continue
            }
            if !valid.contains(where: { $0.lowercased() == custodian.name.lowercased() }) { valid.append(custodian.name) }
        }
        return (valid, problems)
    }
}

/// A custodian's signature over ``DrillPlan/approvalMessage``.
public struct DrillApproval: Codable, Sendable, Hashable {
    public var custodian: String
    public var publicKey: String
    /// base64 Ed25519 signature.
    public var signature: String
}

/// What `breakglass drill finish` found: the last successful sign-in of the account inside the window, and the
/// password change after it (strictly after, as BG060 reads it).
public struct DrillOutcome: Codable, Sendable, Hashable {
    public var drillID: String
    public var account: String
    public var signedInAt: Date?
    public var passwordChangedAt: Date?
    /// Where the sign-in and the change were looked for: `live`, `snapshot DIR`, `logs FILE, …`.
    public var checkedIn: String

    public init(drillID: String, account: String, signedInAt: Date?, passwordChangedAt: Date?, checkedIn: String) {
        self.drillID = drillID
        self.account = account
        self.signedInAt = signedInAt
        self.passwordChangedAt = passwordChangedAt
        self.checkedIn = checkedIn
    }

    public var signedIn: Bool { signedInAt != nil }
    public var rotated: Bool { passwordChangedAt != nil }
    public var isComplete: Bool { signedIn && rotated }
}

/// The `detail` of a `drill` ledger entry: a plan (`drill start`) or an outcome (`drill finish`), as JSON.
public struct DrillLedgerDetail: Codable, Sendable, Hashable {
    public static let format = "breakglass drill v1"

    public var format: String
    public var start: DrillPlan?
    public var finish: DrillOutcome?

    public init(start: DrillPlan) {
        format = Self.format
        self.start = start
        finish = nil
    }

    public init(finish: DrillOutcome) {
        format = Self.format
        start = nil
        self.finish = finish
    }

    static var canonicalEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public func encoded() throws -> String {
        String(decoding: try Self.canonicalEncoder.encode(self), as: UTF8.self)
    }

    /// The detail of `entry`, when it is a drill entry with one in this format; nil otherwise.
    public init?(_ entry: LedgerEntry) {
        guard entry.action == .drill, let text = entry.detail else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let detail = try? decoder.decode(DrillLedgerDetail.self, from: Data(text.utf8)), detail.format == Self.format,
              (detail.start == nil) != (detail.finish == nil)
        else { return nil }
        self = detail
    }
}

/// A drill as the ledger tells it: the plan, when it was recorded, and its latest outcome (if finished).
public struct RecordedDrillEntry: Sendable, Hashable {
    public var plan: DrillPlan
    /// The `drill start` entry's sequence number and time.
    public var sequence: Int64
    public var recordedAt: Date
    public var outcome: DrillOutcome?
    public var finishedAt: Date?
}

extension Ledger {
    /// Records a drill's plan (`drill start`).
    @discardableResult
    public func recordDrillStart(_ plan: DrillPlan, actor: String, at date: Date = Date()) throws -> LedgerEntry {
        let approvers = plan.approvals.map(\.custodian)
        let window = "\(Self.iso(plan.windowStart)) to \(Self.iso(plan.windowEnd))"
        let approved = approvers.isEmpty ? "no custodian approvals" : "approved by \(approvers.joined(separator: ", "))"
        return try append(.drill, actor: actor, setID: nil,
                          outcome: "drill start: account \(plan.account), sign-in expected \(window); \(approved)",
                          detail: try DrillLedgerDetail(start: plan).encoded(), at: date)
    }

    /// Records what `drill finish` found.
    @discardableResult
    public func recordDrillFinish(_ outcome: DrillOutcome, actor: String, at date: Date = Date()) throws -> LedgerEntry {
        let signedIn = outcome.signedInAt.map { "yes (\(Self.iso($0)))" } ?? "no"
        let rotated = outcome.passwordChangedAt.map { "yes (\(Self.iso($0)))" } ?? "no"
        return try append(.drill, actor: actor, setID: nil,
                          outcome: "drill finish: account \(outcome.account), signed in \(signedIn), rotated \(rotated)",
                          detail: try DrillLedgerDetail(finish: outcome).encoded(), at: date)
    }

    /// The drills recorded in the ledger, oldest first, each with its latest outcome. Reads the entries as they are:
    /// callers that act on them verify the chain first (``verifiedDrills()``).
    public func drills() throws -> [RecordedDrillEntry] {
        Self.drills(in: try entries())
    }

    /// The drills, after checking the chain: a ledger that fails verification is refused (its drills could have been
    /// edited in).
    public func verifiedDrills() throws -> [RecordedDrillEntry] {
        let verification = try verify()
        if let problem = verification.firstBreak {
            throw CustodyError.ledgerUnusable(path: location, reason: "it fails verification (\(problem))")
        }
        return try drills()
    }

    static func drills(in entries: [LedgerEntry]) -> [RecordedDrillEntry] {
        var drills: [RecordedDrillEntry] = []
        for entry in entries {
            guard let detail = DrillLedgerDetail(entry) else { continue }
            if let plan = detail.start {
                drills.append(RecordedDrillEntry(plan: plan, sequence: entry.sequence, recordedAt: entry.recordedAt))
            } else if let outcome = detail.finish, let index = drills.lastIndex(where: { $0.plan.id == outcome.drillID }) {
                drills[index].outcome = outcome
                drills[index].finishedAt = entry.recordedAt
            }
        }
        return drills
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}

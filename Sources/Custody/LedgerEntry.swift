import Crypto
import Foundation
import GRDB

/// What a ledger entry records.
public enum LedgerAction: String, Codable, CaseIterable, Sendable {
    case split
    case combine
    case combineRefused
    case rotation
    case drill
    /// A step of a provisioning or rotation plan applied to the tenant.
    case planStep
    /// A share set that no longer opens the current password (rotated, or never set after a failed apply).
    case supersede
}

/// One row of the custody ledger. `hash` is SHA-256 over ``canonicalEncoding``, which covers every other
/// field, `previousHash` included: changing, removing or reordering a row breaks the chain from there on.
public struct LedgerEntry: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "ledgerEntry"
    /// The previous hash of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// 1, 2, 3, … without gaps.
    public var sequence: Int64
    /// Whole milliseconds, never earlier than the entry before.
    public var recordedAt: Date
    public var actor: String
    public var action: LedgerAction
    public var setID: String?
    /// What happened, for people: "3-of-5 sheets written", "refused: quorum not met: 2 shares given, 3 needed".
    public var outcome: String
    /// Machine-readable detail of the entry (a drill's plan or outcome as JSON, ``DrillLedgerDetail``); nil for
    /// entries whose outcome says all. Covered by the hash when present.
    public var detail: String?
    public var previousHash: String
    public var hash: String

    public enum Columns {
        public static let sequence = Column(CodingKeys.sequence)
    }

    /// Builds the entry that follows `previous` (or the first one), with its hash.
    init(
        after previous: LedgerEntry?,
        at date: Date,
        actor: String,
        action: LedgerAction,
        setID: String?,
        outcome: String,
        detail: String? = nil
    ) {
        let milliseconds = max(Self.milliseconds(date), previous.map { Self.milliseconds($0.recordedAt) } ?? .min)
        sequence = (previous?.sequence ?? 0) + 1
        recordedAt = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        self.actor = actor
        self.action = action
        self.setID = setID
        self.outcome = outcome
        self.detail = detail
        previousHash = previous?.hash ?? Self.genesisHash
        hash = ""
        hash = computedHash()
    }

    /// The bytes the hash covers: a domain line, then each field length-prefixed (integers as 8 big-endian
    /// bytes, strings as a 4-byte length and UTF-8, an absent set id as a single 0 byte, a present one as 1
    /// followed by the string). One value, one encoding: no ambiguity between fields. A detail, when present,
    /// follows the previous hash as a 1 byte and the string; an entry without one ends there, so entries written
    /// before details existed keep their hashes.
    public var canonicalEncoding: [UInt8] {
        var bytes = Array("breakglass ledger v1\n".utf8)
        func append(_ value: Int64) {
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (56 - 8 * UInt64($0))) }
        }
        func append(_ text: String) {
            let utf8 = Array(text.utf8)
            bytes += (0..<4).map {
                UInt8(truncatingIfNeeded: UInt32(truncatingIfNeeded: utf8.count) >> (24 - 8 * UInt32($0)))
            }
            bytes += utf8
        }
        append(sequence)
        append(Self.milliseconds(recordedAt))
        append(actor)
        append(action.rawValue)
        if let setID {
            bytes.append(1)
            append(setID)
        } else {
            bytes.append(0)
        }
        append(outcome)
        append(previousHash)
        if let detail {
            bytes.append(1)
            append(detail)
        }
        return bytes
    }

    public func computedHash() -> String {
        SHA256.hash(data: canonicalEncoding).map { String(format: "%02x", $0) }.joined()
    }

    /// Rounded, so a date that went through the database's text form gives back the same number.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

import Crypto

/// Names one split: every share of a set carries it, and shares of different sets never combine.
public struct ShareSetID: RawRepresentable, Hashable, Comparable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Accepts the printed form (`3F9A-21C4`) with or without the dash, in either case.
    public init?(_ text: String) {
        let hex = text.filter { $0 != "-" }
        guard hex.count == 8, let value = UInt32(hex, radix: 16) else { return nil }
        rawValue = value
    }

    public static func < (lhs: ShareSetID, rhs: ShareSetID) -> Bool { lhs.rawValue < rhs.rawValue }

    var bigEndianBytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (24 - 8 * $0)) } }
}

extension ShareSetID: CustomStringConvertible {
    /// `3F9A-21C4`.
    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: 8 - hex.count) + hex
        return "\(padded.prefix(4))-\(padded.suffix(4))"
    }
}

/// One custodian's share of a secret.
///
/// Binary form, version 1: `version ‖ set id (4, big-endian) ‖ k ‖ n ‖ index ‖ x ‖ payload ‖ checksum (4)`,
/// where the checksum is the first 4 bytes of SHA-256 over a domain prefix and everything before it. The
/// checksum catches damage and typos; whether the shares fit together is Shamir's digest's job. The payload is
/// as sensitive as the secret for whoever holds k shares, so `description` and `dump` leave it out.
public struct Share: Sendable {
    public static let formatVersion = 1
    static let headerLength = 9
    static let checksumLength = 4

    public let setID: ShareSetID
    /// k: how many shares recover the secret.
    public let threshold: Int
    /// n: how many shares the set has.
    public let shareCount: Int
    /// Which share of the set this is, 1...n, as printed on its sheet.
    public let index: Int
    /// The evaluation point: random, distinct within the set, never 0.
    public let x: UInt8
    let payload: [UInt8]

    init(setID: ShareSetID, threshold: Int, shareCount: Int, index: Int, x: UInt8, payload: [UInt8]) {
        self.setID = setID
        self.threshold = threshold
        self.shareCount = shareCount
        self.index = index
        self.x = x
        self.payload = payload
    }

    /// The binary form described above.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [UInt8(Self.formatVersion)]
        bytes += setID.bigEndianBytes
        bytes += [UInt8(truncatingIfNeeded: threshold), UInt8(truncatingIfNeeded: shareCount)]
        bytes += [UInt8(truncatingIfNeeded: index), x]
        bytes += payload
        bytes += Self.checksum(of: bytes)
        return bytes
    }

    /// Reads the binary form, checking the checksum and every header field.
    public init(encoded bytes: [UInt8]) throws {
        let minimumLength = Self.headerLength + Shamir.digestLength + 1 + Self.checksumLength
        guard bytes.count >= minimumLength else {
            throw CustodyError.malformedShare("it is too short (\(bytes.count) bytes)")
        }
        let body = Array(bytes.dropLast(Self.checksumLength))
        guard constantTimeEqual(Self.checksum(of: body), Array(bytes.suffix(Self.checksumLength))) else {
            throw CustodyError.shareChecksumMismatch
        }
        guard Int(body[0]) == Self.formatVersion else { throw CustodyError.unsupportedShareVersion(Int(body[0])) }

        let setID = ShareSetID(rawValue: body[1...4].reduce(0) { $0 << 8 | UInt32($1) })
        let threshold = Int(body[5])
        let shareCount = Int(body[6])
        let index = Int(body[7])
        let x = body[8]
        guard Shamir.thresholdRange.contains(threshold), threshold <= shareCount else {
            throw CustodyError.malformedShare("it claims to be \(threshold)-of-\(shareCount)")
        }
        guard (1...shareCount).contains(index) else {
            throw CustodyError.malformedShare("it claims to be share \(index) of \(shareCount)")
        }
        guard x != 0 else { throw CustodyError.malformedShare("its coordinate is 0") }
        self.init(
            setID: setID, threshold: threshold, shareCount: shareCount, index: index, x: x,
            payload: Array(body[Self.headerLength...])
        )
    }

    static func checksum(of body: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("breakglass share v1\n".utf8))
        hasher.update(data: body)
        return Array(hasher.finalize().prefix(checksumLength))
    }
}

extension Share: CustomStringConvertible, CustomReflectable {
    /// `share 2 of 5 (set 3F9A-21C4, any 3 recover the secret)`: never the payload.
    public var description: String {
        "share \(index) of \(shareCount) (set \(setID), any \(threshold) recover the secret)"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["setID": setID, "threshold": threshold, "shareCount": shareCount, "index": index],
            displayStyle: .struct
        )
    }
}

import Foundation

/// An IPv4 or IPv6 address as 128 bits (IPv4 in the low 32). The families never mix: an IPv4-mapped IPv6 address
/// (`::ffff:192.0.2.1`) is an IPv6 address and is not inside an IPv4 range, as Graph keeps `iPv4CidrRange` and
/// `iPv6CidrRange` apart.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case v4, v6 }

    public let family: Family
    let high: UInt64
    let low: UInt64

    init(family: Family, high: UInt64, low: UInt64) {
        self.family = family
        self.high = high
        self.low = low
    }

    /// Dotted-quad IPv4 (no leading zeros, which some parsers read as octal) or RFC 4291 IPv6 text, with `::` and an
    /// embedded IPv4 tail; zone ids (`%eth0`) and brackets are refused.
    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            self.init(family: .v4, high: 0, low: UInt64(v4))
        } else if let (high, low) = Self.parseIPv6(text) {
            self.init(family: .v6, high: high, low: low)
        } else {
            return nil
        }
    }

    public var description: String {
        switch family {
        case .v4: return (0..<4).map { String((low >> (24 - 8 * UInt64($0))) & 0xff) }.joined(separator: ".")
        case .v6:
            let groups = (0..<8).map { index -> String in
                let word = index < 4 ? high : low
                return String((word >> (48 - 16 * UInt64(index % 4))) & 0xffff, radix: 16)
            }
            return groups.joined(separator: ":")
        }
    }

    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseIPv6(_ text: String) -> (UInt64, UInt64)? {
        guard text.contains(":"), text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if piece.contains(".") {
                    guard allowIPv4Tail, index == pieces.count - 1, let v4 = parseIPv4(piece) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                } else {
                    guard (1...4).contains(piece.count), let word = UInt16(piece, radix: 16) else { return nil }
                    result.append(word)
                }
            }
            return result
        }
        let words: [UInt16]
        if halves.count == 1 {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            words = all
        } else {
            guard let head = groups(halves[0], allowIPv4Tail: false),
                let tail = groups(halves[1], allowIPv4Tail: true), head.count + tail.count <= 7
            else { return nil }
            words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        let high = words[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = words[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }
}

/// An IP range as a named location writes it: `203.0.113.0/24`, `2001:db8::/32`. Host bits below the prefix are
/// ignored (`10.1.2.3/8` is `10.0.0.0/8`); a bare address is a single host (/32 or /128).
public struct CIDRRange: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int
    private let highMask: UInt64
    private let lowMask: UInt64

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let width = address.family == .v4 ? 32 : 128
        let prefix: Int
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let length = Int(parts[1]), length <= width
            else { return nil }
            prefix = length
        } else {
            prefix = width
        }
        // Masks over the 128-bit layout; an IPv4 prefix counts from bit 96.
        let bits = address.family == .v4 ? prefix + 96 : prefix
        let highMask: UInt64 = bits >= 64 ? .max : (bits == 0 ? 0 : UInt64.max << UInt64(64 - bits))
        let lowMask: UInt64 = bits <= 64 ? 0 : (bits >= 128 ? .max : UInt64.max << UInt64(128 - bits))
        self.highMask = highMask
        self.lowMask = address.family == .v4 ? lowMask & 0xffff_ffff : lowMask
        prefixLength = prefix
        network = IPAddress(family: address.family, high: address.high & highMask, low: address.low & lowMask)
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == network.family && address.high & highMask == network.high
            && address.low & lowMask == network.low
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// The range's first usable address: the network address itself for a single host or a point-to-point pair
    /// (/32, /31, /128, /127), otherwise the address after it (`10.0.0.0/8` → `10.0.0.1`, `192.0.2.8/30` →
    /// `192.0.2.9`).
    public var firstUsableAddress: IPAddress {
        let width = network.family == .v4 ? 32 : 128
        guard width - prefixLength >= 2 else { return network }
        let (low, carry) = network.low.addingReportingOverflow(1)
        return IPAddress(family: network.family, high: network.high &+ (carry ? 1 : 0), low: low)
    }
}

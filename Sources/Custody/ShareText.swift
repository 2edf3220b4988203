/// The typing-friendly text form of a share, as printed on its sheet:
///
///     -----BEGIN BREAKGLASS SHARE-----
///     01  7ZQ4 MH2C 0K9P X3RT VB8N  E
///     02  ...
///     -----END BREAKGLASS SHARE-----
///
/// The binary share is written in Crockford base32 (digits and capitals without I, L, O, U; when reading,
/// case is ignored and O, I, L are read as 0, 1, 1), in groups of 4, 5 groups to a numbered line. The last
/// character of each line checks that line and its number: it is the line's symbols weighted by powers of a
/// generator of GF(32), so any single mistyped character and any swap of two neighbours is caught and the
/// line named before anything is combined. The share's own checksum then catches a missing or repeated line.
///
/// Symbols are mapped to characters and back by reading the whole alphabet with masks, never by indexing
/// a table with share data.
public enum ShareText {
    public static let beginMarker = "-----BEGIN BREAKGLASS SHARE-----"
    public static let endMarker = "-----END BREAKGLASS SHARE-----"
    static let groupLength = 4
    static let groupsPerLine = 5
    static var symbolsPerLine: Int { groupLength * groupsPerLine }

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// What a reader may type for each symbol: the alphabet, lower case, and the look-alikes O, I, L.
    static let readable: [(character: UInt8, value: UInt8)] = {
        var pairs = alphabet.enumerated().map { (character: $0.element, value: UInt8($0.offset)) }
        pairs += pairs.filter { $0.character >= UInt8(ascii: "A") }.map {
            (character: $0.character | 0x20, value: $0.value)
        }
        pairs += [("O", 0), ("o", 0), ("I", 1), ("i", 1), ("L", 1), ("l", 1)].map {
            (character: UInt8(ascii: $0.0), value: UInt8($0.1))
        }
        return pairs
    }()

    /// The share between its BEGIN and END markers, one line per string.
    public static func lines(for share: Share) -> [String] {
        let symbols = symbols(of: share.encoded())
        let numbered = stride(from: 0, to: symbols.count, by: symbolsPerLine).enumerated().map { offset, start in
            (number: offset + 1, symbols: Array(symbols[start..<min(start + symbolsPerLine, symbols.count)]))
        }
        let body = numbered.map { line in
            let groups = stride(from: 0, to: line.symbols.count, by: groupLength).map { start in
                String(
                    decoding: line.symbols[start..<min(start + groupLength, line.symbols.count)].map(character),
                    as: UTF8.self)
            }
            let number = line.number < 10 ? "0\(line.number)" : "\(line.number)"
            let check = String(
                decoding: [character(for: checkSymbol(line: line.number, symbols: line.symbols))], as: UTF8.self)
            return "\(number)  \(groups.joined(separator: " "))  \(check)"
        }
        return [beginMarker] + body + [endMarker]
    }

    public static func encode(_ share: Share) -> String {
        lines(for: share).joined(separator: "\n") + "\n"
    }

    /// Reads a share from text: a whole share sheet, or just the numbered lines typed in by hand.
    public static func decode(_ text: String) throws -> Share {
        let parsed = try shareLines(in: text).map(parse)
        guard !parsed.isEmpty else { throw CustodyError.malformedShare("it has no share lines") }

        var symbols: [UInt8] = []
        for (position, line) in parsed.enumerated() {
            let expected = position + 1
            guard line.number == expected else {
                if line.number > expected { throw CustodyError.missingShareLine(expected) }
                throw CustodyError.malformedShare("line \(line.number) appears twice or out of order")
            }
            let isLast = position == parsed.count - 1
            guard isLast ? (1...symbolsPerLine).contains(line.symbols.count) : line.symbols.count == symbolsPerLine
            else {
                throw CustodyError.malformedShare(
                    "line \(line.number) has \(line.symbols.count) characters where \(symbolsPerLine) are expected: "
                        + "one is missing or extra"
                )
            }
            guard checkSymbol(line: line.number, symbols: line.symbols) == line.check else {
                throw CustodyError.shareLineCheckFailed(line: line.number)
            }
            symbols += line.symbols
        }
        return try Share(encoded: bytes(from: symbols))
    }

    // MARK: Lines

    private static func shareLines(in text: String) throws -> [Substring] {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
        if let begin = lines.firstIndex(of: Substring(beginMarker)) {
            lines = Array(lines[(begin + 1)...])
            guard let end = lines.firstIndex(of: Substring(endMarker)) else {
                throw CustodyError.malformedShare("it has a BEGIN line but no END line: part of the sheet is missing")
            }
            lines = Array(lines[..<end])
        }
        return lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    private static func parse(_ line: Substring) throws -> (number: Int, symbols: [UInt8], check: UInt8) {
        let tokens = line.split(whereSeparator: \.isWhitespace)
        guard let first = tokens.first, let number = Int(first), number > 0 else {
            throw CustodyError.malformedShare("a share line does not start with its line number")
        }
        guard tokens.count >= 3, let checkToken = tokens.last, checkToken.utf8.count == 1 else {
            throw CustodyError.malformedShare(
                "line \(number) must be: line number, groups of characters, then one check character"
            )
        }
        func value(_ character: UInt8) throws -> UInt8 {
            guard let value = symbol(for: character) else {
                throw CustodyError.malformedShare("line \(number) has a character that is not used in shares")
            }
            return value
        }
        let symbols = try tokens.dropFirst().dropLast().flatMap(\.utf8).map(value)
        return (number, symbols, try value(Array(checkToken.utf8)[0]))
    }

    // MARK: Symbols

    /// A line's check symbol: Σ symbolᵢ·αⁱ in GF(32) = GF(2)[x]/(x⁵+x²+1), over the line number's two
    /// symbols and the line's symbols. Every weight is a distinct power of α (at most 22 < 31 positions).
    static func checkSymbol(line: Int, symbols: [UInt8]) -> UInt8 {
        var check: UInt8 = 0
        for symbol in [UInt8(truncatingIfNeeded: line >> 5) & 31, UInt8(truncatingIfNeeded: line) & 31] + symbols {
            // Multiply by α, reducing by x⁵+x²+1 (0x25) when bit 5 is set, then add the next symbol.
            check = ((check << 1) ^ (0x25 & (0 &- (check >> 4)))) & 0x1F
            check ^= symbol
        }
        return check
    }

    static func character(for symbol: UInt8) -> UInt8 {
        var result: UInt8 = 0
        for (value, character) in alphabet.enumerated() {
            result |= character & equalityMask(UInt8(value), symbol)
        }
        return result
    }

    static func symbol(for character: UInt8) -> UInt8? {
        var result: UInt8 = 0
        var found: UInt8 = 0
        for pair in readable {
            let mask = equalityMask(pair.character, character)
            result |= pair.value & mask
            found |= mask
        }
        return found == 0 ? nil : result
    }

    /// 0xFF when `a == b`, else 0x00, without a branch.
    static func equalityMask(_ a: UInt8, _ b: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt16(a ^ b) &- 1) >> 8)
    }

    static func symbols(of bytes: [UInt8]) -> [UInt8] {
        var symbols: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                symbols.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)) & 31)
            }
        }
        if bits > 0 { symbols.append(UInt8(truncatingIfNeeded: buffer << UInt32(5 - bits)) & 31) }
        return symbols
    }

    static func bytes(from symbols: [UInt8]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            buffer = (buffer << 5 | UInt32(symbol)) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        guard bits < 5, buffer & ((1 << UInt32(bits)) - 1) == 0 else {
            throw CustodyError.malformedShare(
                "it is incomplete: check that every line was typed, the last one included")
        }
        return bytes
    }
}

extension Share {
    /// The share as printed on its sheet, between BEGIN and END markers.
    public var text: String { ShareText.encode(self) }

    /// Reads a share from a sheet or from its typed-in lines.
    public init(text: String) throws {
        self = try ShareText.decode(text)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}

import Foundation

/// Finds a Graph list's `value` array, its items and `@odata.nextLink` without building objects, so pages can be
/// merged, and items served, by copying bytes. Returns nil for anything it does not understand; callers then parse
/// fully. Offsets count from the start of the data.
public struct JSONListScanner {
    public struct Page: Sendable {
        /// The bytes between `[` and `]` of `value`.
        public var items: Range<Int>
        public var count: Int
        /// Each item's bytes, when asked for.
        public var itemRanges: [Range<Int>]
        public var nextLink: String?
    }

    public static func scan(_ data: Data, itemRanges: Bool = false) -> Page? {
        data.withUnsafeBytes { buffer in
            var scanner = JSONListScanner(bytes: buffer, collectsItems: itemRanges)
            return scanner.page()
        }
    }

    init(bytes: UnsafeRawBufferPointer, collectsItems: Bool) {
        self.bytes = bytes
        self.collectsItems = collectsItems
    }

    let collectsItems: Bool
    var ranges: [Range<Int>] = []

    let bytes: UnsafeRawBufferPointer
    var index = 0

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    mutating func page() -> Page? {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { return nil }
        index += 1
        var items: (Range<Int>, Int)?
        var nextLink: String?
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "}") { break }
            guard let key = string() else { return nil }
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            if equal(key, "value") {
                guard let found = array() else { return nil }
                items = found
            } else if equal(key, "@odata.nextLink") || equal(key, "nextLink") {
                // Graph says @odata.nextLink; Azure Resource Manager says nextLink (null on the last page).
                if peek() == Self.quote {
                    guard let range = string() else { return nil }
                    nextLink = decodeString(range)
                } else if !skipValue() {
                    return nil
                }
            } else if !skipValue() {
                return nil
            }
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1 }
        }
        guard let items else { return nil }
        return Page(items: items.0, count: items.1, itemRanges: ranges, nextLink: nextLink)
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    /// A string's contents (without quotes, escapes left as they are); the index moves past it.
    mutating func string() -> Range<Int>? {
        guard peek() == Self.quote else { return nil }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.backslash {
                index += 2
            } else if byte == Self.quote {
                index += 1
                return start..<(index - 1)
            } else {
                index += 1
            }
        }
        return nil
    }

    /// An array's contents and how many elements it holds.
    mutating func array() -> (Range<Int>, Int)? {
        guard peek() == UInt8(ascii: "[") else { return nil }
        index += 1
        let start = index
        var count = 0
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return (start..<start, 0)
        }
        while true {
            let itemStart = index
            guard skipValue() else { return nil }
            if collectsItems { ranges.append(itemStart..<index) }
            count += 1
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return (start..<(index - 1), count)
            default: return nil
            }
            skipSpace()
        }
    }

    mutating func skipValue() -> Bool {
        skipSpace()
        guard let first = peek() else { return false }
        if first == Self.quote { return string() != nil }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            var depth = 0
            while let byte = peek() {
                if byte == Self.quote {
                    guard string() != nil else { return false }
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
                index += 1
                if depth == 0 { return true }
            }
            return false
        }
        // A number, true, false or null.
        let start = index
        while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"),
              byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09 {
            index += 1
        }
        return index > start
    }

    func equal(_ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        let pointer = text.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    func decodeString(_ range: Range<Int>) -> String? {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard slice.contains(Self.backslash) else { return String(decoding: slice, as: UTF8.self) }
        let quoted = Data([Self.quote]) + Data(slice) + Data([Self.quote])
        return (try? JSONSerialization.jsonObject(with: quoted, options: [.fragmentsAllowed])) as? String
    }
}

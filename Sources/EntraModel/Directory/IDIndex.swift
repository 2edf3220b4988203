import Foundation

/// Object ids to small integers (positions, group numbers), compared as `Directory.normalized` compares them.
///
/// Graph's object ids are GUIDs. They are keyed by their 128 bits, parsed once in either letter case, which hashes
/// and compares far faster than a 36-character string in a table of a million entries (no string storage to chase,
/// no lowercased copy). Any other id — test fixtures, odd exports — is keyed by its normalized text.
struct IDIndex: Sendable {
    private var guids: [GUIDKey: Int32] = [:]
    private var others: [String: Int32] = [:]

    init(minimumCapacity: Int = 0) { guids.reserveCapacity(minimumCapacity) }

    subscript(id: String) -> Int? { self[id, GUIDKey(id)] }

    /// The value of `id` whose GUID the caller parsed already (nil: not a GUID).
    subscript(id: String, guid: GUIDKey?) -> Int? {
        if let guid { return guids[guid].map(Int.init) }
        return others[Directory.normalized(id)].map(Int.init)
    }

    /// The value of `id`, setting it to `value` first when `id` has none.
    @discardableResult
    mutating func insertIfAbsent(_ id: String, _ value: Int) -> Int {
        if let key = GUIDKey(id) {
            if let existing = guids[key] { return Int(existing) }
            guids[key] = Int32(value)
            return value
        }
        let normalized = Directory.normalized(id)
        if let existing = others[normalized] { return Int(existing) }
        others[normalized] = Int32(value)
        return value
    }
}

/// The 128 bits of a GUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits in either case); nil for any
/// other text.
struct GUIDKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        (high, low) = parsed
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (index, byte) in bytes.enumerated() where index != 8 && index != 13 && index != 18 && index != 23 {
            let value: UInt8
            switch byte {
            case 0x30...0x39: value = byte - 0x30
            case 0x61...0x66: value = byte - 0x61 + 10
            case 0x41...0x46: value = byte - 0x41 + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        return (high, low)
    }
}

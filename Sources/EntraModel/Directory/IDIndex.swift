import Foundation

/// Object ids to small integers (positions, group numbers), compared as `Directory.normalized` compares them.
///
/// Graph's object ids are GUIDs. They are keyed by their 128 bits, parsed once in either letter case, which hashes
/// and compares far faster than a 36-character string in a table of a million entries (no string storage to chase,
/// no lowercased copy). Any other id — test fixtures, odd exports — is keyed by its normalized text.
struct IDIndex: Sendable {
    private var guids: GUIDTable
    private var others: [String: Int32] = [:]

    init(minimumCapacity: Int = 0) { guids = GUIDTable(minimumCapacity: minimumCapacity) }

    subscript(id: String) -> Int? { self[id, GUIDKey(id)] }

    /// The value of `id` whose GUID the caller parsed already (nil: not a GUID).
    subscript(id: String, guid: GUIDKey?) -> Int? {
        if let guid { return guids[guid].map(Int.init) }
        return others[Directory.normalized(id)].map(Int.init)
    }

    /// The value of `id`, setting it to `value` first when `id` has none.
    @discardableResult
    mutating func insertIfAbsent(_ id: String, _ value: Int) -> Int {
        if let key = GUIDKey(id) { return Int(guids.insertIfAbsent(key, Int32(value))) }
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

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

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

/// GUIDs to non-negative `Int32`s in one flat array of slots, key and value side by side, probed linearly: a lookup
/// in a table of a million users touches one or two cache lines where `Dictionary` touches its metadata, keys and
/// values arrays apart. The hash mixes all 128 bits (MurmurHash3's 64-bit finalizer), so sequential ids spread as
/// well as random ones.
struct GUIDTable: Sendable {
    private struct Slot {
        var high: UInt64
        var low: UInt64
        var value: Int32  // -1: empty
    }

    private var slots: [Slot]
    private var count = 0

    init(minimumCapacity: Int) {
        var capacity = 16
        while capacity * 7 / 10 < minimumCapacity { capacity *= 2 }
        slots = Array(repeating: Slot(high: 0, low: 0, value: -1), count: capacity)
    }

    private static func hash(_ key: GUIDKey) -> Int {
        var x = key.high ^ (key.low &* 0x9E37_79B9_7F4A_7C15)
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return Int(truncatingIfNeeded: x)
    }

    subscript(key: GUIDKey) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Self.hash(key) & mask
            while true {
                let slot = slots[index]
                if slot.value < 0 { return nil }
                if slot.high == key.high && slot.low == key.low { return slot.value }
                index = (index + 1) & mask
            }
        }
    }

    /// The value of `key`, setting it to `value` first when `key` has none.
    mutating func insertIfAbsent(_ key: GUIDKey, _ value: Int32) -> Int32 {
        precondition(value >= 0, "GUIDTable holds non-negative values")
        if (count + 1) * 10 > slots.count * 7 { grow() }
        let found: Int32? = slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var index = Self.hash(key) & mask
            while true {
                if slots[index].value < 0 {
                    slots[index] = Slot(high: key.high, low: key.low, value: value)
                    return nil
                }
                if slots[index].high == key.high && slots[index].low == key.low { return slots[index].value }
                index = (index + 1) & mask
            }
        }
        if let found { return found }
        count += 1
        return value
    }

    private mutating func grow() {
        let old = slots
        var larger = GUIDTable(minimumCapacity: old.count)
        for slot in old where slot.value >= 0 { _ = larger.insertIfAbsent(GUIDKey(high: slot.high, low: slot.low), slot.value) }
        self = larger
    }
}

/// A fixed-size set of small integers (user or group numbers) as 64-bit words: a 200,000-user set is 25 KB, and a
/// union or difference of two is a few thousand word operations.
public struct Bitset: Sendable, Hashable {
    public private(set) var words: [UInt64]
    /// The integers it can hold: `0..<capacity`.
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    /// Every integer of `0..<capacity`.
    public static func full(capacity: Int) -> Bitset {
        var set = Bitset(capacity: capacity)
        guard capacity > 0 else { return set }
        set.words.withUnsafeMutableBufferPointer { words in
            for index in words.indices { words[index] = ~0 }
            let spare = words.count * 64 - capacity
            if spare > 0 { words[words.count - 1] >>= UInt64(spare) }
        }
        return set
    }

    public init<S: Sequence>(capacity: Int, _ members: S) where S.Element == Int {
        self.init(capacity: capacity)
        for member in members { insert(member) }
    }

    @inlinable public func contains(_ member: Int) -> Bool {
        guard member >= 0, member < capacity else { return false }
        return words[member >> 6] & (1 << UInt64(member & 63)) != 0
    }

    public mutating func insert(_ member: Int) {
        guard member >= 0, member < capacity else { return }
        words[member >> 6] |= 1 << UInt64(member & 63)
    }

    public mutating func remove(_ member: Int) {
        guard member >= 0, member < capacity else { return }
        words[member >> 6] &= ~(1 << UInt64(member & 63))
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// How many integers it holds.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public mutating func formUnion(_ other: Bitset) { combine(other) { $0 | $1 } }
    public mutating func formIntersection(_ other: Bitset) { combine(other) { $0 & $1 } }
    public mutating func subtract(_ other: Bitset) { combine(other) { $0 & ~$1 } }

    public func union(_ other: Bitset) -> Bitset { var copy = self; copy.formUnion(other); return copy }
    public func intersection(_ other: Bitset) -> Bitset { var copy = self; copy.formIntersection(other); return copy }
    public func subtracting(_ other: Bitset) -> Bitset { var copy = self; copy.subtract(other); return copy }

    public func isDisjoint(with other: Bitset) -> Bool {
        words.withUnsafeBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in 0..<min(mine.count, theirs.count) where mine[index] & theirs[index] != 0 { return false }
                return true
            }
        }
    }

    /// Word by word; sets of the same capacity (a shorter one reads as zeros beyond its end).
    @inline(__always)
    private mutating func combine(_ other: Bitset, _ operation: (UInt64, UInt64) -> UInt64) {
        other.words.withUnsafeBufferPointer { theirs in
            words.withUnsafeMutableBufferPointer { mine in
                let shared = min(mine.count, theirs.count)
                for index in 0..<shared { mine[index] = operation(mine[index], theirs[index]) }
                for index in shared..<mine.count { mine[index] = operation(mine[index], 0) }
            }
        }
    }

    /// The members in increasing order.
    public var members: [Int] {
        var result: [Int] = []
        forEach { result.append($0) }
        return result
    }

    /// Calls `body` with each member in increasing order.
    public func forEach(_ body: (Int) -> Void) {
        words.withUnsafeBufferPointer { words in
            for (index, word) in words.enumerated() where word != 0 {
                var rest = word
                while rest != 0 {
                    body(index << 6 | rest.trailingZeroBitCount)
                    rest &= rest - 1
                }
            }
        }
    }
}

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Bytes that must never be printed: a password, a recovered secret, a share's payload.
///
/// `description`, `debugDescription` and reflection (`dump`, string interpolation) all give `"<redacted>"`,
/// and `Secret` is deliberately not `Codable`, so it cannot end up in a log, a report, JSON or an error
/// message by accident. The bytes are reached only through ``withUnsafeBytes(_:)``, and the buffer holding
/// them is wiped when the last copy of the value goes away.
public struct Secret: Sendable {
    private let storage: Storage

    public init(_ bytes: some Sequence<UInt8>) {
        storage = Storage(Array(bytes))
    }

    public init(utf8 text: String) {
        self.init(text.utf8)
    }

    /// Takes the bytes and zeroes the caller's array, leaving no second copy behind.
    public init(wiping bytes: inout [UInt8]) {
        self.init(bytes)
        wipe(&bytes)
    }

    public var count: Int { storage.buffer.count }
    public var isEmpty: Bool { storage.buffer.isEmpty }

    /// Calls `body` with the secret bytes; the pointer must not escape `body`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(storage.buffer))
    }

    /// A copy of the bytes, for code inside this module that computes on them.
    var bytes: [UInt8] { Array(storage.buffer) }
}

extension Secret: Equatable {
    /// Compares in time that depends only on the lengths.
    public static func == (lhs: Secret, rhs: Secret) -> Bool {
        lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                guard left.count == right.count else { return false }
                var difference: UInt8 = 0
                for index in 0..<left.count { difference |= left[index] ^ right[index] }
                return difference == 0
            }
        }
    }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Owns a private copy of the bytes and zeroes it on deinit.
///
/// `@unchecked Sendable`: the buffer is written only in `init` and in `deinit`, when no other reference exists.
private final class Storage: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt8>

    init(_ bytes: [UInt8]) {
        buffer = .allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
    }

    deinit {
        wipe(UnsafeMutableRawBufferPointer(buffer))
        buffer.deallocate()
    }
}

/// Overwrites memory with zeroes in a way the optimiser may not remove.
func wipe(_ memory: UnsafeMutableRawBufferPointer) {
    guard let base = memory.baseAddress, memory.count > 0 else { return }
    #if canImport(Darwin)
        _ = memset_s(base, memory.count, 0, memory.count)
    #else
        explicit_bzero(base, memory.count)
    #endif
}

/// Zeroes a working array of secret bytes once it is no longer needed.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { wipe($0) }
}

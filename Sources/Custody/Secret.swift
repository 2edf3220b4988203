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

    /// Copies the bytes; the working copy made on the way is wiped.
    public init(_ bytes: some Sequence<UInt8>) {
        var copy = Array(bytes)
        storage = Storage(copy)
        wipe(&copy)
    }

    public init(utf8 text: String) {
        self.init(text.utf8)
    }

    /// Takes the bytes and zeroes the caller's array, leaving no second copy behind.
    public init(wiping bytes: inout [UInt8]) {
        storage = bytes.withUnsafeBytes { Storage(copying: $0) }
        wipe(&bytes)
    }

    /// Copies the bytes; the caller wipes its buffer.
    init(copying bytes: UnsafeRawBufferPointer) {
        storage = Storage(copying: bytes)
    }

    /// Reads a secret from a file descriptor (standard input) into one buffer allocated up front, never grown, and
    /// wiped before it is released: no copy of the secret is left behind in memory that was freed.
    ///
    /// With `oneLine`, reading stops at the first newline (a terminal in canonical mode hands over one line per
    /// read); otherwise at the end of input. One trailing newline (LF or CRLF) is dropped. More than
    /// `maximumBytes` is refused without being kept.
    public static func read(fromFileDescriptor descriptor: Int32, maximumBytes: Int, oneLine: Bool = false) throws
        -> Secret
    {
        let capacity = maximumBytes + 2  // room for a CRLF after the longest secret
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        defer {
            wipe(buffer)
            buffer.deallocate()
        }
        var count = 0
        var sawNewline = false
        while count < capacity, !(oneLine && sawNewline) {
            guard let base = buffer.baseAddress else { break }
            let got = systemRead(descriptor, base + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                throw CustodyError.cannotRead(path: "standard input", reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            if oneLine, let newline = buffer[count..<(count + got)].firstIndex(of: UInt8(ascii: "\n")) {
                count = newline + 1
                sawNewline = true
            } else {
                count += got
            }
        }
        if !oneLine, count == capacity {
            // Drain (and discard) the rest so the writer does not block, then refuse.
            var scratch = [UInt8](repeating: 0, count: 4096)
            var total = count
            while true {
                let got = scratch.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
                if got <= 0 { break }
                total += got
            }
            wipe(&scratch)
            throw CustodyError.secretTooLong(bytes: total, maximum: maximumBytes)
        }
        if count > 0, buffer[count - 1] == UInt8(ascii: "\n") { count -= 1 }
        if count > 0, buffer[count - 1] == UInt8(ascii: "\r") { count -= 1 }
        guard count <= maximumBytes else {
            throw CustodyError.secretTooLong(bytes: count, maximum: maximumBytes)
        }
        return Secret(copying: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
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

    init(copying bytes: UnsafeRawBufferPointer) {
        buffer = .allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
    }

    deinit {
        wipe(UnsafeMutableRawBufferPointer(buffer))
        buffer.deallocate()
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
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

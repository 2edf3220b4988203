#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Foundation

/// Why a file given as input was not read.
public enum InputFileError: Error, Equatable, Sendable {
    case missing(path: String)
    case symbolicLink(path: String)
    case notARegularFile(path: String, kind: String)
    case tooLarge(path: String, limit: Int)
    case unreadable(path: String, reason: String)

    public var path: String {
        switch self {
        case .missing(let path), .symbolicLink(let path), .notARegularFile(let path, _), .tooLarge(let path, _),
            .unreadable(let path, _):
            path
        }
    }

    /// The problem without the path, for errors that name the file their own way.
    public var reason: String {
        switch self {
        case .missing: "no such file"
        case .symbolicLink: "is a symbolic link; give the file it points to"
        case .notARegularFile(_, let kind): "is \(kind), not a regular file"
        case .tooLarge(_, let limit): "is larger than \(InputFile.describe(bytes: limit)), the most this input may be"
        case .unreadable(_, let reason): reason
        }
    }
}

extension InputFileError: LocalizedError, CustomStringConvertible {
    public var description: String { "\(path): \(reason)" }
    public var errorDescription: String? { description }
}

/// Every file the tool reads as input goes through here: a regular file (not a device, FIFO, socket or folder),
/// opened without following a symbolic link in its last component (`a.json -> /dev/zero` is refused, not read
/// until memory runs out), and read up to a size cap. Files from a pull request or a downloaded export are
/// untrusted: this is where that is enforced, once.
public enum InputFile {
    /// Caps by kind of input. A 200,000-user users.json is about 100 MiB.
    public static let snapshotFileLimit = 2 << 30
    public static let policyFileLimit = 64 << 20
    public static let configurationLimit = 1 << 20
    /// Share sheets, checkpoints, keys, certificates.
    public static let smallFileLimit = 1 << 20
    /// JSON Lines of sign-ins for `whatif --batch`.
    public static let batchLimit = 256 << 20

    /// The whole file, refusing anything larger than `limit` bytes.
    public static func read(atPath path: String, limit: Int) throws(InputFileError) -> Data {
        let descriptor = try open(atPath: path)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: lastError()) }
        guard Int(status.st_size) <= limit else { throw .tooLarge(path: path, limit: limit) }
        // The size can change while reading: read at most limit + 1 bytes and judge by what arrived.
        var data = Data(count: Int(status.st_size) + 1)
        var filled = 0
        while true {
            if filled == data.count {
                guard data.count <= limit else { throw .tooLarge(path: path, limit: limit) }
                data.count = min(data.count * 2, limit + 1)
            }
            let count = data.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: lastError())
            }
            if count == 0 { break }
            filled += count
        }
        guard filled <= limit else { throw .tooLarge(path: path, limit: limit) }
        data.count = filled
        return data
    }

    /// The whole file as UTF-8 text (invalid bytes replaced).
    public static func readText(atPath path: String, limit: Int) throws(InputFileError) -> String {
        String(decoding: try read(atPath: path, limit: limit), as: UTF8.self)
    }

    /// A descriptor for streaming a large input (log exports), after the same checks; the caller closes it.
    public static func open(atPath path: String) throws(InputFileError) -> Int32 {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missing(path: path) }
            throw .unreadable(path: path, reason: lastError())
        }
        if link.st_mode & S_IFMT == S_IFLNK { throw .symbolicLink(path: path) }
        guard link.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path, kind: kind(link.st_mode)) }
        // O_NONBLOCK: a FIFO swapped in after lstat cannot block the open; O_NOFOLLOW: nor can a symbolic link.
        let descriptor = systemOpen(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw .symbolicLink(path: path) }
            throw .unreadable(path: path, reason: lastError())
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw .unreadable(path: path, reason: lastError())
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .notARegularFile(path: path, kind: kind(status.st_mode))
        }
        // Back to blocking reads for a regular file.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
    open(path, flags)
}

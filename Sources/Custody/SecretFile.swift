import Foundation
import SafeInput

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Files that hold secrets: recovered passwords, share sheets, checkpoint keys.
///
/// They are created with mode 0600 from the first byte (`open(O_CREAT | O_EXCL, 0600)`, never a `chmod`
/// afterwards), written to a temporary file beside the destination, synced, and then linked into place, so the
/// destination appears whole or not at all. An existing file is never replaced.
public enum SecretFile {
    public static func create(atPath path: String, containing secret: Secret) throws {
        try secret.withUnsafeBytes { try create(atPath: path, bytes: $0) }
    }

    static func create(atPath path: String, bytes: UnsafeRawBufferPointer) throws {
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UInt64.random(in: 0 ... .max)).tmp").path

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else { throw CustodyError.cannotWrite(path: path, reason: lastError()) }
        var isLinked = false
        defer { if !isLinked { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            try write(bytes, to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw CustodyError.cannotWrite(path: path, reason: lastError()) }
        }

        // link(2) fails with EEXIST instead of replacing: the atomic "create if absent".
        if link(temporary, path) == 0 {
            isLinked = true
            unlink(temporary)
            return
        }
        let linkError = errno
        if linkError == EEXIST { throw CustodyError.fileExists(path: path) }
        // File systems without hard links: check, then rename (a narrow race, but still never a partial file).
        guard [EPERM, EXDEV, EMLINK, ENOTSUP, EOPNOTSUPP].contains(linkError) else {
            throw CustodyError.cannotWrite(path: path, reason: String(cString: strerror(linkError)))
        }
        guard access(path, F_OK) != 0 else { throw CustodyError.fileExists(path: path) }
        guard rename(temporary, path) == 0 else { throw CustodyError.cannotWrite(path: path, reason: lastError()) }
        isLinked = true
    }

    /// Refuses an existing folder that another user owns, that group or others can write to, or that is a symbolic
    /// link: there, someone else could read, replace or add sheets between writing and printing. A missing folder
    /// is fine (``createDirectory(atPath:)`` makes it 0700).
    public static func checkFolder(atPath path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw CustodyError.cannotWrite(path: path, reason: lastError())
        }
        if status.st_mode & S_IFMT == S_IFLNK {
            throw CustodyError.unsafeFolder(path: path, reason: "it is a symbolic link")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw CustodyError.cannotWrite(path: path, reason: "not a folder") }
        guard status.st_uid == geteuid() else {
            throw CustodyError.unsafeFolder(path: path, reason: "it belongs to another user (uid \(status.st_uid))")
        }
        guard status.st_mode & 0o022 == 0 else {
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw CustodyError.unsafeFolder(path: path, reason: "group or others can write to it (mode \(mode))")
        }
    }

    /// Creates the folder (mode 0700) and its parents if missing.
    public static func createDirectory(atPath path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CustodyError.cannotWrite(path: path, reason: "not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw CustodyError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Writes the secret to an open descriptor, such as standard output (1).
    public static func write(_ secret: Secret, toFileDescriptor descriptor: Int32) throws {
        try secret.withUnsafeBytes { try write($0, to: descriptor, path: "file descriptor \(descriptor)") }
    }

    public static func readText(atPath path: String) throws -> String {
        let data: Data
        do throws(InputFileError) {
            data = try InputFile.read(atPath: path, limit: InputFile.smallFileLimit)
        } catch {
            throw CustodyError.cannotRead(path: path, reason: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CustodyError.cannotRead(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw CustodyError.cannotWrite(path: path, reason: lastError())
            }
            offset += written
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

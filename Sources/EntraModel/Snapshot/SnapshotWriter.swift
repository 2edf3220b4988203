import Foundation

/// Writes a snapshot folder all at once: files go to a hidden temporary folder beside the destination, which is
/// renamed into place at the end, so an interrupted write never leaves half a snapshot.
///
/// A snapshot holds personal data (phone numbers among authentication methods, sign-in IP addresses): folders are
/// created 0700 and files 0600, from the start, whatever the umask.
public enum SnapshotWriter {
    public static func write(_ files: [String: Data], to destination: URL) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? ["?"]
            guard contents.isEmpty else { throw SnapshotError.destinationNotEmpty(destination.path) }
            try? manager.removeItem(at: destination)
        }
        let parent = destination.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true, attributes: ownerOnlyFolder)
            for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                    throw SnapshotError.unreadable(file: path, reason: "not a relative path inside the snapshot")
                }
                let url = temporary.appendingPathComponent(path)
                try manager.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: ownerOnlyFolder)
                try writeOwnerOnly(data, to: url.path)
            }
            try manager.setAttributes(ownerOnlyFolder, ofItemAtPath: temporary.path)
            try manager.moveItem(at: temporary, to: destination)
        } catch let error as SnapshotError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw SnapshotError.unreadable(file: destination.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    private static var ownerOnlyFolder: [FileAttributeKey: Any] { [.posixPermissions: 0o700] }

    /// open(O_CREAT | O_EXCL, 0600): the file never exists with wider permissions.
    private static func writeOwnerOnly(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else { throw SnapshotError.unreadable(file: path, reason: "cannot create: \(lastError())") }
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SnapshotError.unreadable(file: path, reason: "cannot write: \(lastError())")
                }
                offset += written
            }
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

import Foundation

/// Writes a snapshot folder all at once: files go to a hidden temporary folder beside the destination, which is
/// renamed into place at the end, so an interrupted write never leaves half a snapshot.
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
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                    throw SnapshotError.unreadable(file: path, reason: "not a relative path inside the snapshot")
                }
                let url = temporary.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            try manager.moveItem(at: temporary, to: destination)
        } catch let error as SnapshotError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw SnapshotError.unreadable(file: destination.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

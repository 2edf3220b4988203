import Foundation
import GRDB
import PropertyBased

@testable import Custody

/// A deterministic generator for test data, from a seed PropertyBased chose (and prints on failure).
func custodySeededRandom(_ seed: UInt64) -> Xoshiro {
    Xoshiro(seed: (seed, seed ^ 0x9E37_79B9_7F4A_7C15, ~seed, seed &* 0xBF58_476D_1CE4_E5B9 | 1))
}

func custodyRandomSecret(length: Int, using random: inout Xoshiro) -> Secret {
    Secret((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
}

/// A fresh folder under the system's temporary folder, removed when the value is released.
final class CustodyTemporaryDirectory {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("breakglass-custody-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func permissions(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// The first executable called `name` on PATH.
func custodyExecutable(named name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Edits a ledger file behind the tool's back, as someone with `sqlite3` could: the append-only triggers dropped,
/// then `sql`.
func tamperLedgerFile(_ path: String, _ sql: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "DROP TRIGGER ledgerEntryAppendOnlyUpdate; DROP TRIGGER ledgerEntryAppendOnlyDelete; " + sql)
    }
    try queue.close()
}

import Crypto
import Foundation
import GRDB
import Testing

@testable import Custody

/// The custody ledger against someone who can write to its file, and against careless use (issue 10, items 4–7).
@Suite("Ledger hardening")
struct LedgerHardeningTests {
    static let secret = "Tr0ub4dor&3-emergency-access"

    /// A new ledger with one split, from the CLI; returns its path and the sheets.
    func splitWithLedger(in folder: CustodyTemporaryDirectory) throws -> (ledger: String, sheets: [String]) {
        let ledger = folder.path + "/custody.sqlite"
        let result = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "3", "--out", folder.path + "/sheets", "--ledger", ledger,
             "--new-ledger", "--actor", "ann"], stdin: Data((Self.secret + "\n").utf8))
        try #require(result.status == 0, "\(result.stderr)")
        let sheets = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/sheets").sorted()
        return (ledger, sheets.map { folder.path + "/sheets/" + $0 })
    }

    // Item 4

    @Test("Appending an actor or outcome with escape, control or bidi characters is refused", arguments: [
        "eve\u{1B}[2K\u{1B}[1A", "line\nbreak", "tab\there", "\u{202E}evil", "a\u{2066}b", "del\u{7F}",
    ])
    func unsafeTextIsRefused(text: String) throws {
        let ledger = try Ledger(database: DatabaseQueue())
        #expect(throws: CustodyError.unsafeText(field: "actor")) {
            try ledger.append(.drill, actor: text, setID: nil, outcome: "ok")
        }
        #expect(throws: CustodyError.unsafeText(field: "outcome")) {
            try ledger.append(.drill, actor: "ann", setID: nil, outcome: text)
        }
        #expect(try ledger.entries().isEmpty)
        try ledger.append(.drill, actor: "Zoë Ångström", setID: nil, outcome: "ok — drill passed")
    }

    @Test("An entry written with escape sequences (sqlite3) verifies, and `ledger show` prints them escaped")
    func escapeSequencesAreShownEscaped() throws {
        let folder = try CustodyTemporaryDirectory()
        let (ledger, _) = try splitWithLedger(in: folder)
        // What someone with write access to the file can do: a well-formed, correctly chained entry whose
        // outcome erases the line above it on a terminal.
        let database = try DatabaseQueue(path: ledger)
        let hostile = "\u{1B}[1A\u{1B}[2Kall fine\u{202E}"
        try database.write { db in
            let last = try LedgerEntry.order(LedgerEntry.Columns.sequence.desc).fetchOne(db)
            try LedgerEntry(after: last, at: Date(), actor: "eve\u{07}", action: .drill, setID: nil, outcome: hostile)
                .insert(db)
        }
        let verify = try CLI.run(["custody", "ledger", "verify", "--ledger", ledger])
        #expect(verify.status == 0, "the chain itself is intact: \(verify.stderr)")
        let shown = try CLI.run(["custody", "ledger", "show", "--ledger", ledger])
        #expect(shown.status == 0)
        #expect(!shown.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(shown.stdout.contains(#"\u{1B}[1A\u{1B}[2Kall fine\u{202E}"#))
        #expect(shown.stdout.contains(#"eve\u{7}"#))
    }

    @Test("--actor with an escape sequence is a usage error")
    func unsafeActorOption() throws {
        let folder = try CustodyTemporaryDirectory()
        let result = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "2", "--out", folder.path + "/s", "--no-ledger", "--actor",
             "x\u{1B}[2K"], stdin: Data("s3cret\n".utf8))
        #expect(result.status == 2)
    }

    // Item 5

    @Test("Checkpoints name their public key: verify needs no private key, and a given key must match")
    func verifyWithThePublicKeyOnly() throws {
        let folder = try CustodyTemporaryDirectory()
        let (ledger, _) = try splitWithLedger(in: folder)
        let keys = try CustodyTemporaryDirectory()
        let keyPath = keys.path + "/checkpoint-key"
        let signed = try CLI.run(["custody", "ledger", "checkpoint", "--ledger", ledger, "--key", keyPath])
        #expect(signed.status == 0, "\(signed.stderr)")
        let checkpoint = folder.path + "/checkpoint.txt"
        try signed.stdout.write(toFile: checkpoint, atomically: true, encoding: .utf8)
        let publicKey = try #require(signed.stdout.split(separator: "\n").first { $0.hasPrefix("ed25519 ") })
        #expect(signed.stderr.contains("public key: \(publicKey)"))

        // The private key is gone (kept elsewhere): verification still works, with or without naming the key.
        try FileManager.default.removeItem(atPath: keyPath)
        let verified = try CLI.run(["custody", "ledger", "verify", "--ledger", ledger, "--checkpoint", checkpoint])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("signed by \(publicKey)"))
        let pinned = try CLI.run([
            "custody", "ledger", "verify", "--ledger", ledger, "--checkpoint", checkpoint, "--public-key",
            String(publicKey),
        ])
        #expect(pinned.status == 0, "\(pinned.stderr)")

        // Someone who rewrote the ledger and re-signed a checkpoint with their own key: its key is not the one kept.
        let forger = LedgerSigningKey()
        let forged = try Ledger(path: ledger).checkpoint(signedWith: forger).text
        let forgedPath = folder.path + "/forged.txt"
        try forged.write(toFile: forgedPath, atomically: true, encoding: .utf8)
        let refused = try CLI.run([
            "custody", "ledger", "verify", "--ledger", ledger, "--checkpoint", forgedPath, "--public-key",
            String(publicKey),
        ])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("signed by another key"))
        #expect(throws: CustodyError.checkpointKeyMismatch) {
            try LedgerCheckpoint(text: forged, expecting: LedgerSigningKey.publicKey(fromText: String(publicKey)))
        }
    }

    @Test("checkpoint refuses a key in the ledger's folder")
    func keyBesideTheLedgerIsRefused() throws {
        let folder = try CustodyTemporaryDirectory()
        let (ledger, _) = try splitWithLedger(in: folder)
        let result = try CLI.run(
            ["custody", "ledger", "checkpoint", "--ledger", ledger, "--key", folder.path + "/custody.sqlite.key"])
        #expect(result.status == 5)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/custody.sqlite.key"))
    }

    @Test("verify opens read-only: a missing, empty or foreign file is an error and is left as it was")
    func verifyNeverCreatesOrMigrates() throws {
        let folder = try CustodyTemporaryDirectory()
        let missing = folder.path + "/missing.sqlite"
        #expect(try CLI.run(["custody", "ledger", "verify", "--ledger", missing]).status == 3)
        #expect(!FileManager.default.fileExists(atPath: missing))

        let empty = folder.path + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let emptyResult = try CLI.run(["custody", "ledger", "verify", "--ledger", empty])
        #expect(emptyResult.status == 3)
        #expect(!emptyResult.stdout.contains("intact"))
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0)

        let foreign = folder.path + "/other.sqlite"
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        #expect(try CLI.run(["custody", "ledger", "verify", "--ledger", foreign]).status == 3)
        #expect(try CLI.run(["custody", "ledger", "show", "--ledger", foreign]).status == 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
        #expect(throws: CustodyError.self) { try Ledger(readingAt: foreign) }
    }

    // Item 6

    @Test("split and combine need a ledger, or an explicit --new-ledger / --no-ledger")
    func ledgerIsRequired() throws {
        let folder = try CustodyTemporaryDirectory()
        let none = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "2", "--out", folder.path + "/a"], stdin: Data("s3cret\n".utf8))
        #expect(none.status == 2)
        #expect(none.stderr.contains("--no-ledger"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/a"))

        let typo = folder.path + "/custdy.sqlite"
        let mistyped = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "2", "--out", folder.path + "/b", "--ledger", typo],
            stdin: Data("s3cret\n".utf8))
        #expect(mistyped.status == 3)
        #expect(!FileManager.default.fileExists(atPath: typo), "a mistyped ledger path created a new ledger")

        let (ledger, sheets) = try splitWithLedger(in: folder)
        let again = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "2", "--out", folder.path + "/c", "--ledger", ledger, "--new-ledger"],
            stdin: Data("s3cret\n".utf8))
        #expect(again.status == 3, "--new-ledger over an existing ledger")

        #expect(try CLI.run(["custody", "combine", sheets[0], sheets[1]]).status == 2)
        #expect(try CLI.run(["custody", "combine", sheets[0], sheets[1], "--ledger", typo]).status == 3)
        let recorded = try CLI.run(["custody", "combine", sheets[0], sheets[1], "--ledger", ledger])
        #expect(recorded.status == 0)
        #expect(try Ledger(readingAt: ledger).entries().map(\.action) == [.split, .combine])
        let unrecorded = try CLI.run(["custody", "combine", sheets[0], sheets[1], "--no-ledger"])
        #expect(unrecorded.status == 0 && unrecorded.stderr.contains("not recorded"))
    }

    // Item 7

    @Test("split --out refuses an existing folder that others can write to or that another user owns")
    func unsafeOutputFolders() throws {
        let folder = try CustodyTemporaryDirectory()
        let shared = folder.path + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o777)
        let open = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "2", "--out", shared, "--no-ledger"], stdin: Data("s3cret\n".utf8))
        #expect(open.status == 5)
        #expect(open.stderr.contains("group or others can write"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)

        chmod(shared, 0o770)
        #expect(try CLI.run(["custody", "split", "-k", "2", "-n", "2", "--out", shared, "--no-ledger"],
                            stdin: Data("s3cret\n".utf8)).status == 5)

        let link = folder.path + "/link"
        let mine = folder.path + "/mine"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: false)
        chmod(mine, 0o700)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: mine)
        #expect(try CLI.run(["custody", "split", "-k", "2", "-n", "2", "--out", link, "--no-ledger"],
                            stdin: Data("s3cret\n".utf8)).status == 5)

        let accepted = try CLI.run(
            ["custody", "split", "-k", "2", "-n", "2", "--out", mine, "--no-ledger"], stdin: Data("s3cret\n".utf8))
        #expect(accepted.status == 0, "\(accepted.stderr)")

        if geteuid() == 0 {
            // As root the test can give the folder to someone else.
            let theirs = folder.path + "/theirs"
            try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: false)
            chmod(theirs, 0o700)
            chown(theirs, 65534, 65534)
            let foreign = try CLI.run(
                ["custody", "split", "-k", "2", "-n", "2", "--out", theirs, "--no-ledger"], stdin: Data("s3cret\n".utf8))
            #expect(foreign.status == 5)
            #expect(foreign.stderr.contains("belongs to another user"))
        }
    }
}

import Crypto
import Foundation
import GRDB
import Testing

@testable import Custody

@Suite("Custody ledger")
struct CustodyLedgerTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)
    static let dropTriggers = """
        DROP TRIGGER ledgerEntryAppendOnlyUpdate; DROP TRIGGER ledgerEntryAppendOnlyDelete;
        """

    /// A ledger with `count` entries of every kind, one second apart.
    static func filledLedger(_ count: Int = 6, in ledger: Ledger? = nil) throws -> Ledger {
        let ledger = try ledger ?? Ledger(database: DatabaseQueue())
        let actions = LedgerAction.allCases
        for number in 0..<count {
            try ledger.append(
                actions[number % actions.count], actor: number.isMultiple(of: 2) ? "alice" : "bob",
                setID: number == 3 ? nil : ShareSetID(rawValue: UInt32(0xABCD_0000 + number)),
                outcome: "outcome \(number)", at: start.addingTimeInterval(Double(number))
            )
        }
        return ledger
    }

    static func tamper(_ ledger: Ledger, _ sql: String) throws {
        try ledger.database.writeWithoutTransaction { db in try db.execute(sql: dropTriggers + sql) }
    }

    /// Writes `entries` back as the whole ledger, chained afresh: what someone who knows the format would do.
    static func rewrite(_ ledger: Ledger, with entries: [LedgerEntry]) throws {
        var previous: LedgerEntry?
        let chained = entries.map { original in
            var entry = original
            entry.previousHash = previous?.hash ?? LedgerEntry.genesisHash
            entry.hash = entry.computedHash()
            previous = entry
            return entry
        }
        try tamper(ledger, "DELETE FROM ledgerEntry;")
        try ledger.database.write { db in for entry in chained { try entry.insert(db) } }
    }

    @Test func anUntouchedLedgerVerifiesAfterReopening() throws {
        let directory = try CustodyTemporaryDirectory()
        let path = directory.path + "/custody.sqlite"
        let written = try Self.filledLedger(in: Ledger(path: path)).entries()
        #expect(written.map(\.sequence) == Array(1...6))
        #expect(written.first?.previousHash == LedgerEntry.genesisHash)

        let reopened = try Ledger(path: path, mustExist: true)
        let result = try reopened.verify()
        #expect(result.isIntact)
        #expect(result.entryCount == 6)
        #expect(result.headHash == written.last?.hash)
        #expect(try reopened.entries() == written)
    }

    @Test func anEmptyLedgerIsIntactAndAMissingOneIsNamed() throws {
        #expect(try Ledger(database: DatabaseQueue()).verify().isIntact)
        #expect(throws: CustodyError.ledgerNotFound(path: "/nonexistent/custody.sqlite")) {
            try Ledger(path: "/nonexistent/custody.sqlite", mustExist: true)
        }
    }

    @Test(
        "a changed field is caught at its entry",
        arguments: [
            "actor = 'mallory'", "action = 'drill'", "setID = 'FFFF-FFFF'", "setID = NULL",
            "outcome = 'nothing happened'",
            "recordedAt = '2020-01-01 00:00:00.000'", "previousHash = '\(String(repeating: "1", count: 64))'",
            "hash = '\(String(repeating: "2", count: 64))'",
        ])
    func changedFieldIsCaught(assignment: String) throws {
        let original = try Self.filledLedger().entries()
        var changed = 0
        for sequence in 1...6 {
            let ledger = try Self.filledLedger()
            try Self.tamper(ledger, "UPDATE ledgerEntry SET \(assignment) WHERE sequence = \(sequence);")
            if try ledger.entries() == original { continue }  // the row already held that value
            changed += 1
            #expect(
                try ledger.verify().firstBreak == .edited(sequence: Int64(sequence)), "\(assignment) at \(sequence)")
        }
        #expect(changed >= 5)
    }

    @Test func aValueOfTheWrongKindIsNamedNotFatal() throws {
        let ledger = try Self.filledLedger()
        try Self.tamper(ledger, "UPDATE ledgerEntry SET action = 'exfiltrate' WHERE sequence = 4;")
        #expect(try ledger.verify().firstBreak == .unreadable(sequence: 4))
        let other = try Self.filledLedger()
        try Self.tamper(other, "UPDATE ledgerEntry SET recordedAt = 'yesterday' WHERE sequence = 2;")
        #expect(try other.verify().firstBreak == .unreadable(sequence: 2))
    }

    @Test func aDeletedEntryIsNamed() throws {
        for sequence in 1...5 {
            let ledger = try Self.filledLedger()
            try Self.tamper(ledger, "DELETE FROM ledgerEntry WHERE sequence = \(sequence);")
            #expect(try ledger.verify().firstBreak == .missing(sequence: Int64(sequence)))
        }
    }

    @Test func anEntryRewrittenWithAFreshHashBreaksTheNextLink() throws {
        let ledger = try Self.filledLedger()
        var entry = try ledger.entries()[2]
        entry.outcome = "refused"
        try Self.tamper(
            ledger, "UPDATE ledgerEntry SET outcome = 'refused', hash = '\(entry.computedHash())' WHERE sequence = 3;"
        )
        #expect(try ledger.verify().firstBreak == .brokenLink(sequence: 4))
    }

    @Test func reorderedEntriesAreCaught() throws {
        let ledger = try Self.filledLedger()
        try Self.tamper(
            ledger,
            """
            UPDATE ledgerEntry SET sequence = 100 WHERE sequence = 2;
            UPDATE ledgerEntry SET sequence = 2 WHERE sequence = 3;
            UPDATE ledgerEntry SET sequence = 3 WHERE sequence = 100;
            """
        )
        #expect(try ledger.verify().firstBreak == .edited(sequence: 2))
    }

    @Test func timeNeverRunsBackwards() throws {
        let ledger = try Self.filledLedger(2)
        let late = try ledger.append(
            .drill, actor: "carol", setID: nil, outcome: "ok", at: Self.start.addingTimeInterval(-60))
        #expect(late.recordedAt == Self.start.addingTimeInterval(1))

        var entries = try Self.filledLedger().entries()
        entries[3].recordedAt = Self.start.addingTimeInterval(-1)
        try Self.rewrite(ledger, with: entries)
        #expect(try ledger.verify().firstBreak == .timeReversed(sequence: 4))
    }

    @Test func triggersRefuseUpdatesAndDeletes() throws {
        let ledger = try Self.filledLedger(2)
        #expect(throws: DatabaseError.self) {
            try ledger.database.write { db in try db.execute(sql: "UPDATE ledgerEntry SET actor = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try ledger.database.write { db in try db.execute(sql: "DELETE FROM ledgerEntry") }
        }
        #expect(try ledger.verify().isIntact)
    }

    @Test func truncationAfterACheckpointIsCaught() throws {
        let key = LedgerSigningKey()
        let ledger = try Self.filledLedger(5)
        let signed = try ledger.checkpoint(signedWith: key)
        let checkpoint = try LedgerCheckpoint(text: signed.text, verifyingWith: key.publicKey)
        #expect(checkpoint.size == 5)
        #expect(try ledger.verify(against: checkpoint).isIntact)

        try ledger.append(.rotation, actor: "alice", setID: nil, outcome: "rotated")
        #expect(try ledger.verify(against: checkpoint).isIntact)

        try Self.tamper(ledger, "DELETE FROM ledgerEntry WHERE sequence >= 4;")
        #expect(try ledger.verify().isIntact)  // the chain alone cannot see a cut-off tail
        let result = try ledger.verify(against: checkpoint)
        #expect(result.firstBreak == .truncated(checkpointSize: 5, entryCount: 3))
        #expect(result.firstBreak?.sequence == 4)
    }

    @Test func aBrokenLedgerIsNotSigned() throws {
        let ledger = try Self.filledLedger(3)
        try Self.tamper(ledger, "DELETE FROM ledgerEntry WHERE sequence = 2;")
        #expect(
            throws: CustodyError.ledgerUnusable(
                path: "(memory)", reason: "it fails verification (entry 2 is missing: it was deleted); not signing it"
            )
        ) {
            try ledger.checkpoint(signedWith: LedgerSigningKey())
        }
    }

    @Test func aRewrittenTailIsCaughtByTheCheckpoint() throws {
        let key = LedgerSigningKey()
        let ledger = try Self.filledLedger(5)
        let checkpoint = try LedgerCheckpoint(
            text: ledger.checkpoint(signedWith: key).text, verifyingWith: key.publicKey)
        var entries = try ledger.entries()
        entries[4].outcome = "nothing to see"
        try Self.rewrite(ledger, with: entries)
        #expect(try ledger.verify().isIntact)
        #expect(try ledger.verify(against: checkpoint).firstBreak == .divergedFromCheckpoint(sequence: 5))
    }

    @Test func checkpointsVerifyOnlyUnalteredAndWithTheirKey() throws {
        let key = LedgerSigningKey()
        let text = try Self.filledLedger(3).checkpoint(signedWith: key).text
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == LedgerCheckpoint.origin && lines[1] == "3" && lines[4].isEmpty)
        #expect(lines[3] == LedgerSigningKey.text(of: key.publicKey))
        #expect(lines[5].hasPrefix("— breakglass-ledger "))

        #expect(throws: CustodyError.checkpointKeyMismatch) {
            try LedgerCheckpoint(text: text, verifyingWith: LedgerSigningKey().publicKey)
        }
        let resized = text.replacingOccurrences(of: "\n3\n", with: "\n2\n")
        #expect(throws: CustodyError.checkpointSignatureInvalid) {
            try LedgerCheckpoint(text: resized, verifyingWith: key.publicKey)
        }
        let elsewhere = text.replacingOccurrences(of: LedgerCheckpoint.origin, with: "example.com/log")
        #expect(throws: CustodyError.checkpointFromAnotherLedger(origin: "example.com/log")) {
            try LedgerCheckpoint(text: elsewhere, verifyingWith: key.publicKey)
        }
        let windows = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try LedgerCheckpoint(text: windows, verifyingWith: key.publicKey).size == 3)
        #expect(throws: CustodyError.malformedCheckpoint("it has no signature block")) {
            try LedgerCheckpoint(text: "hello", verifyingWith: key.publicKey)
        }
    }

    @Test func theSigningKeyFileIsOwnerOnlyAndReloads() throws {
        let directory = try CustodyTemporaryDirectory()
        let path = LedgerSigningKey.defaultPath(forLedgerAt: directory.path + "/custody.sqlite")
        #expect(path.hasSuffix("custody.sqlite.checkpoint-key"))
        let created = try LedgerSigningKey.loadOrCreate(atPath: path)
        #expect(created.isNew)
        #expect(try directory.permissions(of: path) == 0o600)
        let loaded = try LedgerSigningKey.loadOrCreate(atPath: path)
        #expect(!loaded.isNew)
        #expect(loaded.key.publicKey.rawRepresentation == created.key.publicKey.rawRepresentation)

        let bogus = directory.path + "/bogus-key"
        try "not a key\n".write(toFile: bogus, atomically: true, encoding: .utf8)
        #expect(throws: CustodyError.malformedSigningKey(path: bogus)) { try LedgerSigningKey.load(atPath: bogus) }
        #expect(throws: CustodyError.signingKeyNotFound(path: directory.path + "/none")) {
            try LedgerSigningKey.load(atPath: directory.path + "/none")
        }
    }

    @Test(.enabled(if: custodyExecutable(named: "sqlite3") != nil, "needs the sqlite3 command-line tool"))
    func editsWithTheSqlite3ToolAreCaught() throws {
        let sqlite3 = try #require(custodyExecutable(named: "sqlite3"))
        let directory = try CustodyTemporaryDirectory()
        for (sql, expected) in [
            ("UPDATE ledgerEntry SET outcome = 'ok' WHERE sequence = 2;", LedgerBreak.edited(sequence: 2)),
            ("DELETE FROM ledgerEntry WHERE sequence = 3;", .missing(sequence: 3)),
        ] {
            let path = directory.path + "/\(UUID().uuidString).sqlite"
            _ = try Self.filledLedger(in: Ledger(path: path))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqlite3)
            process.arguments = [path, Self.dropTriggers + sql]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
            #expect(try Ledger(path: path, mustExist: true).verify().firstBreak == expected)
        }
    }
}

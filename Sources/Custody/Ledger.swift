import Foundation
import GRDB
import SafeInput

/// The custody ledger: an append-only, hash-chained log of every split, combine (and refusal), rotation and
/// drill, in SQLite.
///
/// Each entry's hash covers its fields and the previous entry's hash, so ``verify(against:)`` names the first
/// entry that was edited, deleted or reordered. Triggers refuse UPDATE and DELETE, which stops accidents; a
/// deliberate edit with `sqlite3` can drop them, and that is what the chain catches. The chain alone cannot see
/// the newest entries being cut off: a ``LedgerCheckpoint`` kept somewhere else can.
///
/// The ledger holds no secret: set ids, names, actions and outcomes only.
public struct Ledger: Sendable {
    let database: DatabaseQueue
    let location: String

    /// Opens the ledger at `path`, creating it unless `mustExist`.
    public init(path: String, mustExist: Bool = false) throws {
        if mustExist, !FileManager.default.fileExists(atPath: path) {
            throw CustodyError.ledgerNotFound(path: path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            try self.init(database: DatabaseQueue(path: path, configuration: configuration), location: path)
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError.ledgerUnusable(path: path, reason: "\(error)")
        }
    }

    /// Opens an existing ledger read-only, for `verify` and `show`: never creates, migrates or writes the file. A
    /// missing or empty file, or one that is not a custody ledger, is an error (not an intact ledger of 0 entries).
    public init(readingAt path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw CustodyError.ledgerNotFound(path: path) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw CustodyError.ledgerUnusable(path: path, reason: "not a regular file")
        }
        guard status.st_size > 0 else {
            throw CustodyError.ledgerUnusable(path: path, reason: "the file is empty: it was never a ledger, or was emptied")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            // A ledger written before later migrations is still one: read-only, it is read as it stands (an
            // entry without a detail column has no detail).
            let isLedger = try database.read { db in
                try db.tableExists(LedgerEntry.databaseTableName)
                    && Self.migrator.appliedIdentifiers(db).contains("v1 ledger")
            }
            guard isLedger else {
                throw CustodyError.ledgerUnusable(path: path, reason: "it is not a breakglass custody ledger")
            }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError.ledgerUnusable(path: path, reason: "\(error)")
        }
        self.database = database
        location = path
    }

    /// A ledger in `database`, migrated; tests pass `DatabaseQueue()`.
    init(database: DatabaseQueue, location: String = "(memory)") throws {
        self.database = database
        self.location = location
        try guarded { try Self.migrator.migrate(database) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 ledger") { db in
            try db.create(table: LedgerEntry.databaseTableName) { table in
                table.primaryKey("sequence", .integer)
                table.column("recordedAt", .datetime).notNull()
                table.column("actor", .text).notNull()
                table.column("action", .text).notNull()
                table.column("setID", .text)
                table.column("outcome", .text).notNull()
                table.column("previousHash", .text).notNull()
                table.column("hash", .text).notNull()
            }
            try db.execute(
                sql: """
                    CREATE TRIGGER ledgerEntryAppendOnlyUpdate BEFORE UPDATE ON ledgerEntry
                    BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
                    CREATE TRIGGER ledgerEntryAppendOnlyDelete BEFORE DELETE ON ledgerEntry
                    BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
                    """
            )
        }
        migrator.registerMigration("v2 ledger detail") { db in
            try db.alter(table: LedgerEntry.databaseTableName) { table in
                table.add(column: "detail", .text)
            }
        }
        return migrator
    }

    /// Adds an entry after the current last one, in one write transaction.
    @discardableResult
    public func append(
        _ action: LedgerAction,
        actor: String,
        setID: ShareSetID?,
        outcome: String,
        detail: String? = nil,
        at date: Date = Date()
    ) throws -> LedgerEntry {
        // Entries are printed on terminals: nothing in them may move the cursor or reorder what is shown.
        for (field, text) in [("actor", actor), ("outcome", outcome), ("set id", setID?.description ?? ""),
                              ("detail", detail ?? "")]
        where TerminalText.containsUnsafe(text) {
            throw CustodyError.unsafeText(field: field)
        }
        return try guarded {
            try database.writeWithoutTransaction { db in
                var entry: LedgerEntry?
                try db.inTransaction(.immediate) {
                    let last = try LedgerEntry.order(LedgerEntry.Columns.sequence.desc).fetchOne(db)
                    let next = LedgerEntry(
                        after: last, at: date, actor: actor, action: action, setID: setID?.description,
                        outcome: outcome, detail: detail
                    )
                    try next.insert(db)
                    entry = next
                    return .commit
                }
                guard let entry else { throw CustodyError.ledgerUnusable(path: location, reason: "append failed") }
                return entry
            }
        }
    }

    /// Every entry in sequence order. Throws when a row cannot be read; ``verify(against:)`` names it instead.
    public func entries() throws -> [LedgerEntry] {
        try guarded { try database.read { db in try LedgerEntry.order(LedgerEntry.Columns.sequence).fetchAll(db) } }
    }

    /// Recomputes the chain from the first entry and reports the first one that is broken; with a checkpoint,
    /// also that the ledger still holds, unchanged, every entry the checkpoint signed.
    public func verify(against checkpoint: LedgerCheckpoint? = nil) throws -> LedgerVerification {
        let rows = try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM ledgerEntry ORDER BY sequence")
            }
        }
        var previous: LedgerEntry?
        func result(_ problem: LedgerBreak?) -> LedgerVerification {
            LedgerVerification(
                entryCount: rows.count, headHash: previous?.hash ?? LedgerEntry.genesisHash, firstBreak: problem
            )
        }
        for (offset, row) in rows.enumerated() {
            let expected = Int64(offset) + 1
            let entry: LedgerEntry
            do {
                entry = try LedgerEntry(row: row)
            } catch {
                let sequence = (try? row.decode(Int64?.self, forColumn: "sequence")).flatMap { $0 } ?? expected
                return result(.unreadable(sequence: sequence))
            }
            if entry.sequence > expected { return result(.missing(sequence: expected)) }
            if entry.sequence != expected { return result(.edited(sequence: entry.sequence)) }
            if entry.hash != entry.computedHash() { return result(.edited(sequence: entry.sequence)) }
            if entry.previousHash != previous?.hash ?? LedgerEntry.genesisHash {
                return result(.brokenLink(sequence: entry.sequence))
            }
            if let previous, entry.recordedAt < previous.recordedAt {
                return result(.timeReversed(sequence: entry.sequence))
            }
            previous = entry
            if let checkpoint, entry.sequence == checkpoint.size, entry.hash != checkpoint.headHash {
                return result(.divergedFromCheckpoint(sequence: entry.sequence))
            }
        }
        if let checkpoint, checkpoint.size > Int64(rows.count) {
            return result(.truncated(checkpointSize: checkpoint.size, entryCount: Int64(rows.count)))
        }
        return result(nil)
    }

    /// Signs the current head: hand the text to someone who keeps it away from this machine.
    public func checkpoint(signedWith key: LedgerSigningKey) throws -> LedgerCheckpoint {
        let state = try verify()
        if let problem = state.firstBreak {
            throw CustodyError.ledgerUnusable(
                path: location, reason: "it fails verification (\(problem)); not signing it")
        }
        return try LedgerCheckpoint(size: Int64(state.entryCount), headHash: state.headHash, signedWith: key)
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError.ledgerUnusable(path: location, reason: "\(error)")
        }
    }
}

/// The outcome of ``Ledger/verify(against:)``.
public struct LedgerVerification: Sendable, Equatable {
    public let entryCount: Int
    /// The hash of the last entry read (the genesis hash for an empty ledger).
    public let headHash: String
    public let firstBreak: LedgerBreak?

    public var isIntact: Bool { firstBreak == nil }
}

/// Where and how the chain is broken; `sequence` names the first broken entry.
public enum LedgerBreak: Sendable, Equatable {
    case unreadable(sequence: Int64)
    case missing(sequence: Int64)
    case edited(sequence: Int64)
    case brokenLink(sequence: Int64)
    case timeReversed(sequence: Int64)
    case truncated(checkpointSize: Int64, entryCount: Int64)
    case divergedFromCheckpoint(sequence: Int64)

    public var sequence: Int64 {
        switch self {
        case .unreadable(let sequence), .missing(let sequence), .edited(let sequence), .brokenLink(let sequence),
            .timeReversed(let sequence), .divergedFromCheckpoint(let sequence):
            sequence
        case .truncated(_, let entryCount):
            entryCount + 1
        }
    }
}

extension LedgerBreak: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let sequence):
            "entry \(sequence) cannot be read: a field holds a value of the wrong kind"
        case .missing(let sequence):
            "entry \(sequence) is missing: it was deleted"
        case .edited(let sequence):
            "entry \(sequence) was changed after it was written: its contents do not match its hash"
        case .brokenLink(let sequence):
            "entry \(sequence) does not follow entry \(sequence - 1): an earlier entry was changed or replaced"
        case .timeReversed(let sequence):
            "entry \(sequence) is dated before entry \(sequence - 1)"
        case .truncated(let size, let count):
            "the ledger ends at entry \(count) but the checkpoint covers \(size): "
                + "entries \(count + 1) to \(size) were removed"
        case .divergedFromCheckpoint(let sequence):
            "entry \(sequence) is not the one the checkpoint signed: the ledger was rewritten"
        }
    }
}

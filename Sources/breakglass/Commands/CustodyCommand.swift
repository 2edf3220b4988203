import ArgumentParser
import Custody
import Foundation
import SafeInput

struct CustodyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "Split a secret between custodians (k of n), recover it, and keep the custody ledger.",
        discussion: """
            Exit codes: 0 ok; 1 the ledger fails verification; 2 usage error; 3 a share or file is corrupt, \
            malformed or of another set; 5 refused: fewer shares than the quorum.
            """,
        subcommands: [Split.self, Combine.self, LedgerGroup.self]
    )

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split the secret read from stdin into share sheets (mode 0600), any K of which recover it.",
            discussion: """
                The secret is read from standard input, never from an argument; one trailing newline is dropped. \
                From a terminal it is not echoed: type or paste it and press Enter. The split is recorded in the \
                ledger: give an existing --ledger, start one with --new-ledger, or say --no-ledger.
                Example: breakglass custody split --threshold 2 --shares 3 --custodians alice,bob,carol \
                --out shares/ --ledger custody.db --new-ledger --actor alice < password.txt
                """
        )

        @Option(name: [.customShort("k"), .long], help: "K: how many shares recover the secret (2 or more).")
        var threshold: Int

        @Option(name: [.customShort("n"), .long], help: "N: how many shares to make (K to 255).")
        var shares: Int

        @Option(help: "Folder for the share sheets; created (mode 0700) if missing. An existing one must be yours and not writable by others.",
                completion: .directory)
        var out: String

        @Option(help: "Custodian names, comma-separated, one per share, printed on the sheets.")
        var custodians: String?

        @OptionGroup var record: CustodyRecordOptions

        var custodianNames: [String]? {
            custodians.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }

        func validate() throws {
            try record.validate()
            guard threshold >= 2, threshold <= shares, shares <= 255 else {
                throw ValidationError("Need 2 ≤ --threshold ≤ --shares ≤ 255.")
            }
            if let names = custodianNames, names.count != shares || names.contains(where: \.isEmpty) {
                throw ValidationError("--custodians must name \(shares) custodians, comma-separated.")
            }
        }

        func run() throws {
            try reportingCustodyErrors {
                let ledger = try record.openLedger()
                try SecretFile.checkFolder(atPath: out)
                let secret = try SecretPrompt.read(
                    prompt: "Type or paste the secret, then press Enter (it is not shown). Piping it in works too: ")
                let split = try Shamir.split(secret, threshold: threshold, shares: shares)
                let now = Date()
                let sheets = split.map { share in
                    ShareSheet(share: share, custodian: custodianNames?[share.index - 1], createdAt: now)
                }

                try SecretFile.createDirectory(atPath: out)
                let paths = sheets.map { URL(fileURLWithPath: out).appendingPathComponent($0.fileName).path }
                if let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                    throw CustodyError.fileExists(path: existing)
                }
                var written: [String] = []
                do {
                    for sheet in sheets { written.append(try sheet.write(into: out)) }
                } catch {
                    for path in written {
                        do {
                            try FileManager.default.removeItem(atPath: path)
                        } catch {
                            custodyWrite("warning: could not remove the partial sheet \(path)\n", to: .standardError)
                        }
                    }
                    throw error
                }

                let setID = split[0].setID
                try ledger?.append(
                    .split, actor: record.actorName, setID: setID,
                    outcome: TerminalText.escaped(
                        "\(threshold)-of-\(shares) sheets written"
                            + (custodianNames.map { " for \($0.joined(separator: ", "))" } ?? ""))
                )
                var report = "set \(setID): \(shares) sheets, any \(threshold) recover the secret\n"
                for (sheet, path) in zip(sheets, written) {
                    report += "  \(path)" + (sheet.custodian.map { "  (\($0))" } ?? "") + "\n"
                }
                custodyWrite(report, to: .standardOutput)
            }
        }

    }

    struct Combine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recover the secret from share sheets; write it to stdout or to a new 0600 file.",
            discussion: """
                Every attempt, recovered or refused, is recorded in the ledger: give an existing --ledger (or \
                --new-ledger to start one, or --no-ledger to record nothing).
                Example: breakglass custody combine shares/share-*-1-of-3.txt shares/share-*-3-of-3.txt \
                --ledger custody.db --actor bob --out password.txt
                """
        )

        @Argument(help: "Share sheets, or files holding the typed-in share lines.", completion: .file())
        var files: [String]

        @Option(help: "Write the secret to this new file (mode 0600) instead of stdout.", completion: .file())
        var out: String?

        @OptionGroup var record: CustodyRecordOptions

        func validate() throws {
            try record.validate()
            guard !files.isEmpty else { throw ValidationError("Give the share sheets to combine.") }
        }

        func run() throws {
            try reportingCustodyErrors {
                let ledger = try record.openLedger()
                if let out, FileManager.default.fileExists(atPath: out) { throw CustodyError.fileExists(path: out) }

                var shares: [Share] = []
                let secret: Secret
                do {
                    for path in files {
                        do {
                            shares.append(try ShareSheet.readShare(atPath: path))
                        } catch let error as CustodyError {
                            if case .cannotRead = error { throw error }  // already names the file
                            throw CustodyFileError(path: path, error: error)
                        }
                    }
                    secret = try Shamir.combine(shares)
                } catch {
                    let reason = (error as? CustodyFileError).map { "\($0.path): \($0.error)" } ?? "\(error)"
                    record.note(
                        ledger, .combineRefused, setID: shares.first?.setID,
                        outcome: TerminalText.escaped("refused: \(reason)"))
                    throw error
                }

                // Recorded before the secret is revealed: no retrieval goes unlogged.
                let indexes = shares.map(\.index).sorted().map(String.init).joined(separator: ", ")
                try ledger?.append(
                    .combine, actor: record.actorName, setID: shares.first?.setID,
                    outcome: "recovered from shares \(indexes)"
                )
                if let out {
                    try SecretFile.create(atPath: out, containing: secret)
                    custodyWrite("secret written to \(out) (mode 0600)\n", to: .standardError)
                } else {
                    try SecretFile.write(secret, toFileDescriptor: STDOUT_FILENO)
                    custodyWrite("\n", to: .standardOutput)
                }
            }
        }
    }

    struct LedgerGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Verify, list or checkpoint the custody ledger.",
            subcommands: [Verify.self, Show.self, Checkpoint.self]
        )
    }
}

extension CustodyCommand.LedgerGroup {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 1 naming the first broken entry.",
            discussion: """
                With --checkpoint, also show entries cut off or rewritten since that checkpoint was signed.
                Example: breakglass custody ledger verify --ledger custody.db --checkpoint checkpoint.txt
                """
        )

        @Option(help: "The custody ledger (SQLite), opened read-only.", completion: .file()) var ledger: String
        @Option(help: "A checkpoint printed by 'custody ledger checkpoint'.", completion: .file()) var checkpoint:
            String?
        @Option(
            name: .customLong("public-key"),
            help: "The checkpoint key's public half ('ed25519 BASE64', as 'checkpoint' printed it): the checkpoint must name this key."
        )
        var publicKey: String?

        func run() throws {
            try reportingCustodyErrors {
                let opened = try Ledger(readingAt: ledger)
                let expected = try publicKey.map(LedgerSigningKey.publicKey(fromText:))
                let signed = try checkpoint.map { path in
                    try LedgerCheckpoint(text: SecretFile.readText(atPath: path), expecting: expected)
                }
                let result = try opened.verify(against: signed)
                if let problem = result.firstBreak {
                    custodyWrite("error: ledger \(ledger) fails verification: \(problem)\n", to: .standardError)
                    throw ExitCode(1)
                }
                var report = "ledger intact: \(result.entryCount) entries, head \(result.headHash)"
                if let signed {
                    report += "; all \(signed.size) entries of the checkpoint are present and unchanged"
                    report += "; checkpoint signed by \(LedgerSigningKey.text(of: signed.publicKey))"
                    if expected == nil { report += " (give --public-key to require that key)" }
                }
                custodyWrite(report + "\n", to: .standardOutput)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the ledger's entries.", discussion: "Example: breakglass custody ledger show --ledger custody.db")

        @Option(help: "The custody ledger (SQLite).", completion: .file()) var ledger: String

        func run() throws {
            try reportingCustodyErrors {
                let entries = try Ledger(readingAt: ledger).entries()
                var lines = ["seq  time                 actor       action          set        outcome"]
                for entry in entries {
                    let columns = [
                        // Escaped: an entry written with sqlite3 could hold sequences that rewrite the screen.
                        (String(entry.sequence), 4), (entry.recordedAt.formatted(.iso8601), 20),
                        (TerminalText.escaped(entry.actor), 11), (entry.action.rawValue, 15),
                        (TerminalText.escaped(entry.setID ?? "-"), 10), (TerminalText.escaped(entry.outcome), 0),
                    ]
                    lines.append(
                        columns.map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }
                            .joined(separator: " "))
                }
                custodyWrite(lines.joined(separator: "\n") + "\n", to: .standardOutput)
            }
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a signed checkpoint of the ledger's head; keep it away from this machine.",
            discussion: """
                The Ed25519 key is --key FILE (mode 0600), created on first use. Keep it away from the ledger \
                (removable media, another machine): a key in the ledger's folder is refused, since whoever can \
                rewrite the ledger could re-sign it. The checkpoint names the public key; 'custody ledger verify \
                --checkpoint FILE [--public-key KEY]' needs no private key and shows entries removed or rewritten.
                Example: breakglass custody ledger checkpoint --ledger custody.db --key /media/usb/checkpoint.key > checkpoint.txt
                """
        )

        @Option(help: "The custody ledger (SQLite).", completion: .file()) var ledger: String
        @Option(help: "The checkpoint key (private; created if missing), not in the ledger's folder.", completion: .file())
        var key: String

        func run() throws {
            try reportingCustodyErrors {
                let opened = try Ledger(readingAt: ledger)
                let folder = { (path: String) in
                    URL(fileURLWithPath: path).deletingLastPathComponent().resolvingSymlinksInPath().path
                }
                guard folder(key) != folder(ledger) else { throw CustodyError.signingKeyBesideLedger(path: key) }
                let (signingKey, isNew) = try LedgerSigningKey.loadOrCreate(atPath: key)
                if isNew { custodyWrite("created checkpoint key \(key) (mode 0600)\n", to: .standardError) }
                custodyWrite(
                    "public key: \(LedgerSigningKey.text(of: signingKey.publicKey)) (record it; verify with --public-key)\n",
                    to: .standardError)
                custodyWrite(try opened.checkpoint(signedWith: signingKey).text, to: .standardOutput)
            }
        }
    }
}

/// Where a custody command records what it did: an existing ledger, a new one (`--new-ledger`), or explicitly
/// nowhere (`--no-ledger`). Never a ledger created by accident from a mistyped path.
struct CustodyRecordOptions: ParsableArguments {
    @Option(help: "Record this in the custody ledger (SQLite), which must exist (or give --new-ledger).", completion: .file())
    var ledger: String?

    @Flag(name: .customLong("new-ledger"), help: "Start a new ledger at --ledger (refused if the file exists).")
    var newLedger = false

    @Flag(name: .customLong("no-ledger"), help: "Record nothing (not recommended: every recovery should be on record).")
    var noLedger = false

    @Option(help: "Who is acting, for the ledger (default: $USER).")
    var actor: String?

    var actorName: String {
        actor ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"]
            ?? "unknown"
    }

    func validate() throws {
        if noLedger, ledger != nil || newLedger { throw ValidationError("--no-ledger cannot go with --ledger or --new-ledger.") }
        if newLedger, ledger == nil { throw ValidationError("--new-ledger needs --ledger FILE: where to start it.") }
        guard noLedger || ledger != nil else { throw ValidationError("\(CustodyError.ledgerRequired).") }
        if let actor, TerminalText.containsUnsafe(actor) {
            throw ValidationError("--actor holds control or bidirectional characters; use plain text.")
        }
    }

    func openLedger() throws -> Ledger? {
        guard let ledger, !noLedger else {
            custodyWrite("warning: --no-ledger: this is not recorded in any custody ledger\n", to: .standardError)
            return nil
        }
        if newLedger {
            guard !FileManager.default.fileExists(atPath: ledger) else {
                throw CustodyError.ledgerUnusable(path: ledger, reason: "it already exists; drop --new-ledger to use it")
            }
            return try Ledger(path: ledger)
        }
        // Opened read-only first: a path that is not a ledger is refused before anything is created or migrated.
        _ = try Ledger(readingAt: ledger)
        return try Ledger(path: ledger, mustExist: true)
    }

    /// Records an entry while another error is on its way out: a failure here is reported, not thrown.
    func note(_ ledger: Ledger?, _ action: LedgerAction, setID: ShareSetID?, outcome: String) {
        guard let ledger else { return }
        do {
            try ledger.append(action, actor: actorName, setID: setID, outcome: outcome)
        } catch {
            custodyWrite("warning: could not record this in the ledger: \(error)\n", to: .standardError)
        }
    }
}

/// A custody error about one of several input files.
struct CustodyFileError: Error {
    let path: String
    let error: CustodyError
}

extension CustodyError {
    /// spec/report.md: 5 refused for safety (quorum not met), 2 usage, 1 verification failed, 3 bad input.
    var custodyExitCode: Int32 {
        switch self {
        case .quorumNotMet, .noShares: 5
        case .invalidThreshold, .custodianCountMismatch, .invalidPasswordLength, .invalidRequiredClasses,
            .invalidWordCount:
            2
        case .checkpointSignatureInvalid, .checkpointKeyMismatch: 1
        case .unsafeText: 2
        case .unsafeFolder, .signingKeyBesideLedger: 5
        default: 3
        }
    }
}

/// Runs a command body, turning custody errors into one `error: …` line on stderr and the right exit code.
func reportingCustodyErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CustodyFileError {
        custodyWrite("error: \(failure.path): \(failure.error)\n", to: .standardError)
        throw ExitCode(failure.error.custodyExitCode)
    } catch let error as CustodyError {
        custodyWrite("error: \(error)\n", to: .standardError)
        throw ExitCode(error.custodyExitCode)
    }
}

func custodyWrite(_ text: String, to handle: FileHandle) {
    handle.write(Data(text.utf8))
}

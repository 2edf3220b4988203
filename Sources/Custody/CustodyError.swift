import Foundation

/// Everything that can go wrong in custody. Messages say what to do and never contain secret material:
/// no password, share payload or key bytes; only counts, set ids, line numbers and paths.
public enum CustodyError: Error, Equatable, Sendable {
    // Splitting
    case invalidThreshold(threshold: Int, shares: Int)
    case emptySecret
    case secretTooLong(bytes: Int, maximum: Int)
    case custodianCountMismatch(custodians: Int, shares: Int)

    // Reading a share
    case malformedShare(String)
    case unsupportedShareVersion(Int)
    case shareLineCheckFailed(line: Int)
    case missingShareLine(Int)
    case shareChecksumMismatch

    // Combining
    case noShares
    case quorumNotMet(given: Int, required: Int)
    case mixedSets([ShareSetID])
    case duplicateShare(index: Int)
    case inconsistentShares(String)
    case integrityCheckFailed

    // Passwords
    case invalidPasswordLength(Int)
    case invalidRequiredClasses(Int)
    case invalidWordCount(Int, allowed: ClosedRange<Int>)

    // Files
    case fileExists(path: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)

    // Ledger and checkpoints
    case ledgerNotFound(path: String)
    case ledgerUnusable(path: String, reason: String)
    case malformedCheckpoint(String)
    case checkpointSignatureInvalid
    case checkpointFromAnotherLedger(origin: String)
    case malformedSigningKey(path: String)
    case signingKeyNotFound(path: String)

    // Custodian keys
    case weakPassphrase
    case wrongPassphrase(path: String)
    case malformedCustodianKey(path: String)
    case checkpointKeyMismatch
    case signingKeyBesideLedger(path: String)
    case unsafeText(field: String)
    case ledgerRequired
    case unsafeFolder(path: String, reason: String)
}

extension CustodyError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidThreshold(let threshold, let shares):
            "a \(threshold)-of-\(shares) split is not possible: need 2 ≤ threshold ≤ shares ≤ 255"
        case .emptySecret:
            "the secret is empty"
        case .secretTooLong(let bytes, let maximum):
            "the secret is \(bytes) bytes; at most \(maximum) can be split"
        case .custodianCountMismatch(let custodians, let shares):
            "\(custodians) custodians named for \(shares) shares: name one custodian per share"
        case .malformedShare(let reason):
            "not a readable share: \(reason)"
        case .unsupportedShareVersion(let version):
            "share format version \(version) is not supported by this version of breakglass"
        case .shareLineCheckFailed(let line):
            "line \(line) of the share does not match its check character: a character on that line is mistyped"
        case .missingShareLine(let line):
            "line \(line) of the share is missing"
        case .shareChecksumMismatch:
            "the share's checksum does not match: a line is missing, repeated or damaged"
        case .noShares:
            "no shares were given"
        case .quorumNotMet(let given, let required):
            "quorum not met: \(given) share\(given == 1 ? "" : "s") given, \(required) needed"
        case .mixedSets(let sets):
            "the shares belong to different sets (\(sets.map(\.description).joined(separator: ", "))): "
                + "give shares of one set only"
        case .duplicateShare(let index):
            "share \(index) was given more than once"
        case .inconsistentShares(let reason):
            "the shares do not fit together: \(reason)"
        case .integrityCheckFailed:
            "the shares do not combine to the secret they were made from: one of them is wrong or altered"
        case .invalidPasswordLength(let length):
            "a password of \(length) characters is not allowed: Entra ID accepts 8 to 256"
        case .invalidRequiredClasses(let count):
            "\(count) required character classes is not possible: choose 3 or 4"
        case .invalidWordCount(let count, let allowed):
            "a passphrase of \(count) words is not supported: choose \(allowed.lowerBound) to \(allowed.upperBound)"
        case .fileExists(let path):
            "\(path) already exists; move it away first (secret files are never overwritten)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason):
            "cannot read \(path): \(reason)"
        case .ledgerNotFound(let path):
            "no ledger at \(path)"
        case .ledgerUnusable(let path, let reason):
            "the ledger at \(path) cannot be used: \(reason)"
        case .malformedCheckpoint(let reason):
            "not a readable checkpoint: \(reason)"
        case .checkpointSignatureInvalid:
            "the checkpoint's signature does not verify with this ledger's key: it was altered or signed by another key"
        case .checkpointFromAnotherLedger(let origin):
            "the checkpoint is for \"\(origin)\", not a breakglass custody ledger"
        case .malformedSigningKey(let path):
            "\(path) is not a breakglass checkpoint key"
        case .signingKeyNotFound(let path):
            "no checkpoint key at \(path): give the key the checkpoint was signed with (--key)"
        case .weakPassphrase:
            "the passphrase is too short: use at least 8 characters (a few words is better)"
        case .wrongPassphrase(let path):
            "the passphrase does not open \(path) (or the file was altered)"
        case .malformedCustodianKey(let path):
            "\(path) is not a breakglass custodian key"
        case .checkpointKeyMismatch:
            "the checkpoint was signed by another key than the public key given: it is not the checkpoint you kept"
        case .signingKeyBesideLedger(let path):
            "\(path) is in the ledger's folder: whoever can rewrite the ledger could re-sign it with that key. "
                + "Keep the checkpoint key elsewhere (removable media, another machine)"
        case .unsafeText(let field):
            "the \(field) holds control or bidirectional-override characters, which could disguise ledger entries "
                + "on a terminal: use plain text"
        case .ledgerRequired:
            "give --ledger FILE (an existing ledger); --ledger FILE --new-ledger to start one; or --no-ledger"
        case .unsafeFolder(let path, let reason):
            "refusing \(path): \(reason); sheets there could be read or swapped before they are printed"
        }
    }
}

extension CustodyError: LocalizedError {
    public var errorDescription: String? { description }
}

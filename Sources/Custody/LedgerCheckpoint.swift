import Crypto
import Foundation

/// A signed statement of the ledger's head — "it had `size` entries and the last one hashed to `headHash`" —
/// in the C2SP signed-note layout:
///
///     breakglass custody ledger
///     12
///     <base64 of the 32-byte head hash>
///     ed25519 <base64 of the 32-byte public key that signed it>
///
///     — breakglass-ledger <base64 of key id (4 bytes) ‖ Ed25519 signature>
///
/// The signature covers the lines above the blank one, the public key included, so the checkpoint carries what
/// verifies it: verifying needs no private key, and a key given to check against must be the one in the note.
/// Kept off this machine (printed, in a vault, in a ticket), it shows later whether entries were cut off the end
/// of the ledger or the ledger rewritten. (Checkpoints of earlier versions have no key line; they verify only
/// with the public key given.)
public struct LedgerCheckpoint: Sendable, Equatable {
    public static let origin = "breakglass custody ledger"

    public let size: Int64
    /// Hex, as in ``LedgerEntry/hash``.
    public let headHash: String
    /// The key that signed it (and that it names).
    public let publicKey: Curve25519.Signing.PublicKey
    /// The whole note, signature included: what to store.
    public let text: String

    init(size: Int64, headHash: String, signedWith key: LedgerSigningKey) throws {
        let body = try Self.body(size: size, headHash: headHash) + LedgerSigningKey.text(of: key.publicKey) + "\n"
        let signature = try key.privateKey.signature(for: Data(body.utf8))
        let stamp = Data(key.keyID + Array(signature)).base64EncodedString()
        self.size = size
        self.headHash = headHash
        publicKey = key.publicKey
        text = "\(body)\n— \(LedgerSigningKey.keyName) \(stamp)\n"
    }

    /// Reads a checkpoint and checks its signature with `publicKey`; a checkpoint that does not verify is
    /// never returned.
    public init(text: String, verifyingWith publicKey: Curve25519.Signing.PublicKey) throws {
        try self.init(text: text, expecting: publicKey)
    }

    /// Reads a checkpoint and checks its signature with the public key it names; with `expected`, that key must
    /// be the one named (a checkpoint without a key line needs `expected`). Never loads a private key.
    public init(text: String, expecting expected: Curve25519.Signing.PublicKey?) throws {
        // A copy that went through Windows may have CRLF line ends; the signed text has LF.
        let parts = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        guard parts.count >= 2 else { throw CustodyError.malformedCheckpoint("it has no signature block") }
        let body = parts[0] + "\n"
        let lines = parts[0].components(separatedBy: "\n")
        guard lines.count == 3 || lines.count == 4 else {
            throw CustodyError.malformedCheckpoint("it must have 4 lines before the signature")
        }
        guard lines[0] == Self.origin else { throw CustodyError.checkpointFromAnotherLedger(origin: lines[0]) }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw CustodyError.malformedCheckpoint("the second line must be the number of entries")
        }
        guard let head = Data(base64Encoded: lines[2]), head.count == 32 else {
            throw CustodyError.malformedCheckpoint("the third line must be the base64 head hash")
        }

        let named = try lines.count == 4 ? LedgerSigningKey.publicKey(fromText: lines[3]) : nil
        if let named, let expected, named.rawRepresentation != expected.rawRepresentation {
            throw CustodyError.checkpointKeyMismatch
        }
        guard let publicKey = named ?? expected else {
            throw CustodyError.malformedCheckpoint("it names no key: give the public key it was signed with")
        }
        let keyID = LedgerSigningKey.keyID(for: publicKey)
        let prefix = "— \(LedgerSigningKey.keyName) "
        let verified = parts[1...].joined(separator: "\n\n").components(separatedBy: "\n").contains { line in
            guard line.hasPrefix(prefix), let stamp = Data(base64Encoded: String(line.dropFirst(prefix.count))),
                stamp.count == 4 + 64, Array(stamp.prefix(4)) == keyID
            else { return false }
            return publicKey.isValidSignature(stamp.dropFirst(4), for: Data(body.utf8))
        }
        guard verified else { throw CustodyError.checkpointSignatureInvalid }

        self.size = size
        headHash = head.map { String(format: "%02x", $0) }.joined()
        self.publicKey = publicKey
        self.text = text
    }

    public static func == (lhs: LedgerCheckpoint, rhs: LedgerCheckpoint) -> Bool {
        lhs.size == rhs.size && lhs.headHash == rhs.headHash && lhs.text == rhs.text
            && lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation
    }

    private static func body(size: Int64, headHash: String) throws -> String {
        guard let head = bytes(fromHex: headHash), head.count == 32 else {
            throw CustodyError.malformedCheckpoint("the head hash is not 32 bytes of hex")
        }
        return "\(origin)\n\(size)\n\(Data(head).base64EncodedString())\n"
    }
}

/// The Ed25519 key that signs checkpoints.
///
/// A file of mode 0600, created on the first `checkpoint --key FILE`. Whoever holds it can sign a rewritten
/// ledger, so it is kept apart from the ledger (removable media, another machine) and brought only to sign;
/// `checkpoint` refuses a key in the ledger's own folder. Verifying never needs it: checkpoints carry the
/// public key.
public struct LedgerSigningKey: Sendable {
    public static let keyName = "breakglass-ledger"
    static let fileHeader = "breakglass ledger checkpoint key v1"

    let privateKey: Curve25519.Signing.PrivateKey

    init(privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.privateKey = privateKey
    }

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    public static func defaultPath(forLedgerAt ledgerPath: String) -> String {
        ledgerPath + ".checkpoint-key"
    }

    public static func load(atPath path: String) throws -> LedgerSigningKey {
        guard FileManager.default.fileExists(atPath: path) else { throw CustodyError.signingKeyNotFound(path: path) }
        let lines = try SecretFile.readText(atPath: path).split(whereSeparator: \.isNewline)
        guard lines.count == 2, lines[0] == fileHeader, let raw = Data(base64Encoded: String(lines[1])),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw CustodyError.malformedSigningKey(path: path) }
        return LedgerSigningKey(privateKey: key)
    }

    /// Loads the key at `path`, or creates one there (mode 0600) when there is none.
    public static func loadOrCreate(atPath path: String) throws -> (key: LedgerSigningKey, isNew: Bool) {
        if FileManager.default.fileExists(atPath: path) { return (try load(atPath: path), false) }
        let key = LedgerSigningKey()
        let text = "\(fileHeader)\n\(key.privateKey.rawRepresentation.base64EncodedString())\n"
        try SecretFile.create(atPath: path, containing: Secret(utf8: text))
        return (key, true)
    }

    var keyID: [UInt8] { Self.keyID(for: publicKey) }

    /// `ed25519 <base64>`: how a checkpoint names its key, and how a person passes one to `verify --public-key`.
    public static func text(of publicKey: Curve25519.Signing.PublicKey) -> String {
        "ed25519 " + publicKey.rawRepresentation.base64EncodedString()
    }

    /// Reads `ed25519 <base64>` (or the base64 alone).
    public static func publicKey(fromText text: String) throws -> Curve25519.Signing.PublicKey {
        var encoded = text.trimmingCharacters(in: .whitespaces)
        if encoded.hasPrefix("ed25519 ") { encoded = String(encoded.dropFirst("ed25519 ".count)) }
        guard let raw = Data(base64Encoded: encoded), raw.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw CustodyError.malformedCheckpoint("not an Ed25519 public key: expected 'ed25519 <base64>'") }
        return key
    }

    /// C2SP signed-note key id for Ed25519: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4].
    static func keyID(for publicKey: Curve25519.Signing.PublicKey) -> [UInt8] {
        let material = Array(keyName.utf8) + [0x0A, 0x01] + Array(publicKey.rawRepresentation)
        return Array(SHA256.hash(data: material).prefix(4))
    }
}

private func bytes(fromHex hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count.isMultiple(of: 2) else { return nil }
    return try? stride(from: 0, to: digits.count, by: 2).map { index in
        guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
            throw CustodyError.malformedCheckpoint("bad hex")
        }
        return byte
    }
}

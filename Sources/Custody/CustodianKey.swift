import Crypto
import _CryptoExtras
import Foundation

/// A custodian's public key as breakglass.yml lists it: `ed25519:<base64 of the 32-byte key>`.
public struct CustodianPublicKey: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "ed25519:"
    public let key: Curve25519.Signing.PublicKey

    public init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// Reads `ed25519:<base64>`; nil for anything else.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(Self.prefix), let raw = Data(base64Encoded: String(trimmed.dropFirst(Self.prefix.count))),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return nil }
        self.key = key
    }

    public var description: String { Self.prefix + key.rawRepresentation.base64EncodedString() }

    public static func == (lhs: CustodianPublicKey, rhs: CustodianPublicKey) -> Bool {
        lhs.key.rawRepresentation == rhs.key.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(key.rawRepresentation) }

    /// Whether `signature` is this key's Ed25519 signature over `message`.
    public func verifies(_ signature: Data, over message: Data) -> Bool {
        key.isValidSignature(signature, for: message)
    }
}

/// How a custodian key file derives its encryption key from the passphrase: scrypt, parameters recorded in the file.
public struct ScryptParameters: Codable, Sendable, Hashable {
    /// N (CPU/memory cost, a power of 2), r (block size), p (parallelism): 2^17, 8, 1 use 128 MiB and about a
    /// second, OWASP's recommendation for scrypt.
    public var n: Int
    public var r: Int
    public var p: Int

    public static let standard = ScryptParameters(n: 1 << 17, r: 8, p: 1)

    public init(n: Int, r: Int, p: Int) {
        self.n = n
        self.r = r
        self.p = p
    }

    var isReasonable: Bool {
        n >= 1 << 12 && n <= 1 << 22 && n & (n - 1) == 0 && (1...32).contains(r) && (1...16).contains(p)
    }
}

/// A custodian's personal Ed25519 signing key: it signs plan approvals. The private key lives only in a file
/// (mode 0600) encrypted with the custodian's passphrase: scrypt derives a 256-bit key that seals the private key
/// with AES-256-GCM; the name and public key are authenticated with it, so they cannot be swapped.
public struct CustodianKey: Sendable {
    public static let format = "breakglass custodian key v1"

    public let name: String
    let privateKey: Curve25519.Signing.PrivateKey

    public var publicKey: CustodianPublicKey { CustodianPublicKey(privateKey.publicKey) }

    /// A new key for `name`.
    public init(name: String) {
        self.name = name
        privateKey = Curve25519.Signing.PrivateKey()
    }

    init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.privateKey = privateKey
    }

    /// Ed25519 signature over `message`.
    public func sign(_ message: Data) throws -> Data {
        try privateKey.signature(for: message)
    }

    /// The file's JSON: what is public in the clear, the private key sealed.
    struct File: Codable {
        var format: String
        var name: String
        var publicKey: String
        var kdf: KDFRecord
        var cipher: String
        /// base64 of AES-GCM's combined nonce ‖ ciphertext ‖ tag.
        var sealedPrivateKey: String

        struct KDFRecord: Codable {
            var algorithm: String
            var n: Int
            var r: Int
            var p: Int
            var salt: String
        }

        var authenticatedData: Data { Data("\(format)\n\(name)\n\(publicKey)\n".utf8) }
    }

    /// Writes the key to a new file (mode 0600, never replacing one), sealed with `passphrase`.
    public func write(toPath path: String, passphrase: Secret, parameters: ScryptParameters = .standard) throws {
        guard passphrase.count >= 8 else { throw CustodyError.weakPassphrase }
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let key = try Self.derive(passphrase, salt: salt, parameters: parameters)
        var file = File(
            format: Self.format, name: name, publicKey: publicKey.description,
            kdf: .init(algorithm: "scrypt", n: parameters.n, r: parameters.r, p: parameters.p,
                       salt: Data(salt).base64EncodedString()),
            cipher: "AES-256-GCM", sealedPrivateKey: "")
        let sealed = try AES.GCM.seal(privateKey.rawRepresentation, using: key, authenticating: file.authenticatedData)
        guard let combined = sealed.combined else { throw CustodyError.cannotWrite(path: path, reason: "sealing failed") }
        file.sealedPrivateKey = combined.base64EncodedString()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(file))
        bytes.append(UInt8(ascii: "\n"))
        try SecretFile.create(atPath: path, containing: Secret(wiping: &bytes))
    }

    /// The public part of a key file, without the passphrase (for `custodian show`).
    public static func publicKey(atPath path: String) throws -> (name: String, key: CustodianPublicKey) {
        let file = try readFile(path)
        guard let key = CustodianPublicKey(text: file.publicKey) else { throw CustodyError.malformedCustodianKey(path: path) }
        return (file.name, key)
    }

    /// Opens a key file with its passphrase; a wrong passphrase or an altered file is refused.
    public static func load(atPath path: String, passphrase: Secret) throws -> CustodianKey {
        let file = try readFile(path)
        guard file.format == format, file.kdf.algorithm == "scrypt", file.cipher == "AES-256-GCM",
            let salt = Data(base64Encoded: file.kdf.salt), let sealed = Data(base64Encoded: file.sealedPrivateKey),
            let recorded = CustodianPublicKey(text: file.publicKey)
        else { throw CustodyError.malformedCustodianKey(path: path) }
        let parameters = ScryptParameters(n: file.kdf.n, r: file.kdf.r, p: file.kdf.p)
        guard parameters.isReasonable else { throw CustodyError.malformedCustodianKey(path: path) }
        let key = try derive(passphrase, salt: [UInt8](salt), parameters: parameters)
        let raw: Data
        do {
            raw = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: file.authenticatedData)
        } catch {
            throw CustodyError.wrongPassphrase(path: path)
        }
        guard let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw),
            CustodianPublicKey(privateKey.publicKey) == recorded
        else { throw CustodyError.malformedCustodianKey(path: path) }
        return CustodianKey(name: file.name, privateKey: privateKey)
    }

    static func readFile(_ path: String) throws -> File {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CustodyError.cannotRead(path: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else { throw CustodyError.malformedCustodianKey(path: path) }
        return file
    }

    static func derive(_ passphrase: Secret, salt: [UInt8], parameters: ScryptParameters) throws -> SymmetricKey {
        try passphrase.withUnsafeBytes { bytes in
            try KDF.Scrypt.deriveKey(
                from: Array(bytes), salt: salt, outputByteCount: 32, rounds: parameters.n, blockSize: parameters.r,
                parallelism: parameters.p)
        }
    }
}

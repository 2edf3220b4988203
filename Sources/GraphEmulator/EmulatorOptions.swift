import _CryptoExtras
import Crypto
import Foundation

/// What the emulator accepts and how it misbehaves.
public struct EmulatorOptions: Sendable {
    /// Items per page (Graph's `$top` is honoured up to this).
    public var pageSize: Int
    /// Every Nth Graph request answers 429 with `Retry-After` (0 = never).
    public var throttleEvery: Int
    /// Every Nth Graph request answers 503 (0 = never).
    public var failEvery: Int
    /// The `Retry-After` seconds of a 429.
    public var retryAfterSeconds: Int
    /// Accepted client id and secret; nil accepts any.
    public var clientID: String?
    public var clientSecret: String?
    /// The certificate a client assertion must be signed with (from a PEM holding certificate and key).
    public var certificate: EmulatorCertificate?
    /// Graph paths (after the version, e.g. `/auditLogs/signIns`) that always answer 500.
    public var failingPaths: [String]
    /// Snapshot files whose endpoints answer as on a tenant without the licence (403/400, graph.md §1).
    public var unlicensedFiles: [String]
    /// Device codes expire after this many seconds.
    public var deviceCodeLifetime: Int
    /// Polls answered `authorization_pending` (then one `slow_down`) before a device code is signed in.
    public var deviceCodePendingPolls: Int
    /// What app-only tokens (client credentials) may write; reads are never checked.
    public var applicationGrant: EmulatorGrant
    /// What a person signed in with a device code may write.
    public var delegatedGrant: EmulatorGrant
    /// Fault injector: the answer to the Nth successful write is never sent (the connection is closed) and every
    /// later request is dropped the same way until `GraphEmulator.heal()`, as if the network died after step N.
    /// 0 = never.
    public var killAfterWrites: Int
    /// Policy ids whose `policyApplies` the What If endpoint reports the other way round (a planted disagreement).
    public var whatIfDisagreements: [String] = []
    /// Records and changes that appear over time.
    public var timeline: EmulatorTimeline?
    /// The emulator's clock (the timeline runs on it).
    public var now: @Sendable () -> Date

    public init(pageSize: Int = 100, throttleEvery: Int = 0, failEvery: Int = 0, retryAfterSeconds: Int = 1,
                clientID: String? = nil, clientSecret: String? = nil, certificate: EmulatorCertificate? = nil,
                failingPaths: [String] = [], unlicensedFiles: [String] = [], deviceCodeLifetime: Int = 900,
                deviceCodePendingPolls: Int = 1, applicationGrant: EmulatorGrant = .unrestricted,
                delegatedGrant: EmulatorGrant = .unrestricted, killAfterWrites: Int = 0, timeline: EmulatorTimeline? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.pageSize = max(1, pageSize)
        self.throttleEvery = throttleEvery
        self.failEvery = failEvery
        self.retryAfterSeconds = retryAfterSeconds
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.certificate = certificate
        self.failingPaths = failingPaths
        self.unlicensedFiles = unlicensedFiles
        self.deviceCodeLifetime = deviceCodeLifetime
        self.deviceCodePendingPolls = deviceCodePendingPolls
        self.applicationGrant = applicationGrant
        self.delegatedGrant = delegatedGrant
        self.killAfterWrites = killAfterWrites
        self.timeline = timeline
        self.now = now
    }
}

/// The certificate a client registered: its public key and `x5t#S256` thumbprint.
public struct EmulatorCertificate: Sendable {
    let publicKey: _RSA.Signing.PublicKey
    let thumbprintSHA256: String

    /// From a PEM with the certificate and its RSA private key (the same file the client uses).
    public init(pem: String) throws {
        var blocks: [(label: String, lines: [String])] = []
        for raw in pem.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN ") {
                blocks.append((String(line.dropFirst(11).dropLast(5)), []))
            } else if !line.hasPrefix("-----END "), !blocks.isEmpty {
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }),
              let der = Data(base64Encoded: certificate.lines.joined()) else {
            throw EmulatorError.badCertificate("no CERTIFICATE block")
        }
        guard let key = blocks.first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw EmulatorError.badCertificate("no PRIVATE KEY block (give the PEM holding the certificate and its key)")
        }
        let keyPEM = "-----BEGIN \(key.label)-----\n" + key.lines.joined(separator: "\n") + "\n-----END \(key.label)-----\n"
        do {
            publicKey = try _RSA.Signing.PrivateKey(pemRepresentation: keyPEM).publicKey
        } catch {
            throw EmulatorError.badCertificate("the private key is not an RSA key of 2048 bits or more")
        }
        thumbprintSHA256 = Data(SHA256.hash(data: der)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

public enum EmulatorError: Error, CustomStringConvertible, Sendable {
    case badCertificate(String)
    case badTimeline(String)
    public var description: String {
        switch self {
        case .badCertificate(let reason): "--client-certificate: \(reason)"
        case .badTimeline(let reason): "--timeline: \(reason)"
        }
    }
}

import Crypto
import Foundation

/// Shamir's k-of-n secret sharing over GF(2^8), with an integrity digest.
///
/// Each byte of `secret ‖ digest` is the constant term of its own random polynomial of degree k−1; share i
/// holds that polynomial's value at a random, distinct, non-zero x. The digest is the first 16 bytes of
/// SHA-256 over a domain prefix, the set id, k and the secret. Being shared along with the secret, it reveals
/// nothing to fewer than k shares, and after combining it is recomputed: wrong, altered or mixed shares give
/// a different digest (except with probability 2^-128) and are refused, never turned into a wrong secret.
///
/// The secret's length is visible from a share's length.
public enum Shamir {
    /// Enough for any Entra ID password (256 characters).
    public static let maximumSecretLength = 256
    public static let thresholdRange = 2...255
    static let digestLength = 16

    /// Splits `secret` into `shares` shares of which any `threshold` recover it.
    public static func split(_ secret: Secret, threshold: Int, shares: Int) throws -> [Share] {
        var generator = SystemRandomNumberGenerator()
        return try split(secret, threshold: threshold, shares: shares, using: &generator)
    }

    /// The same with another source of randomness: tests only. Production code uses the system CSPRNG.
    static func split(
        _ secret: Secret,
        threshold: Int,
        shares count: Int,
        using generator: inout some RandomNumberGenerator
    ) throws -> [Share] {
        guard thresholdRange.contains(threshold), thresholdRange.contains(count), threshold <= count else {
            throw CustodyError.invalidThreshold(threshold: threshold, shares: count)
        }
        guard !secret.isEmpty else { throw CustodyError.emptySecret }
        guard secret.count <= maximumSecretLength else {
            throw CustodyError.secretTooLong(bytes: secret.count, maximum: maximumSecretLength)
        }

        let setID = ShareSetID(rawValue: generator.next())
        var message: [UInt8] = []
        defer { wipe(&message) }
        message.reserveCapacity(secret.count + digestLength)
        secret.withUnsafeBytes { message.append(contentsOf: $0) }
        message += digest(of: secret, setID: setID, threshold: threshold)

        // Random distinct non-zero x coordinates: the first `count` of a shuffled 1...255.
        var xs = Array(UInt8(1)...UInt8(255))
        xs.shuffle(using: &generator)
        xs.removeLast(xs.count - count)

        var payloads = Array(repeating: [UInt8](repeating: 0, count: message.count), count: count)
        var coefficients = [UInt8](repeating: 0, count: threshold)
        defer { wipe(&coefficients) }
        for position in message.indices {
            coefficients[0] = message[position]
            for degree in 1..<threshold { coefficients[degree] = generator.next() }
            for share in 0..<count {
                payloads[share][position] = GF256.evaluate(coefficients, at: xs[share])
            }
        }

        return (0..<count).map { share in
            Share(
                setID: setID, threshold: threshold, shareCount: count, index: share + 1, x: xs[share],
                payload: payloads[share]
            )
        }
    }

    /// Recovers the secret from at least `threshold` shares of one set.
    ///
    /// Refuses shares of several sets, repeated shares, too few shares (``CustodyError/quorumNotMet(given:required:)``)
    /// and shares that do not combine to the secret they were made from.
    public static func combine(_ shares: [Share]) throws -> Secret {
        guard let first = shares.first else { throw CustodyError.noShares }

        let sets = Set(shares.map(\.setID))
        guard sets.count == 1 else { throw CustodyError.mixedSets(sets.sorted()) }
        guard shares.allSatisfy({ $0.threshold == first.threshold && $0.shareCount == first.shareCount }) else {
            throw CustodyError.inconsistentShares("they disagree on how many shares are needed")
        }
        guard shares.allSatisfy({ $0.payload.count == first.payload.count }) else {
            throw CustodyError.inconsistentShares("they have different lengths")
        }
        var seenIndexes = Set<Int>()
        var seenXs = Set<UInt8>()
        for share in shares {
            guard seenIndexes.insert(share.index).inserted else {
                throw CustodyError.duplicateShare(index: share.index)
            }
            guard seenXs.insert(share.x).inserted else {
                throw CustodyError.inconsistentShares("two shares have the same coordinate")
            }
        }
        guard shares.count >= first.threshold else {
            throw CustodyError.quorumNotMet(given: shares.count, required: first.threshold)
        }

        // Interpolating through every given share, not just k of them, means any one bad share is caught.
        let basis = GF256.lagrangeBasisAtZero(shares.map(\.x))
        var message = [UInt8](repeating: 0, count: first.payload.count)
        defer { wipe(&message) }
        for position in message.indices {
            var value: UInt8 = 0
            for (share, weight) in zip(shares, basis) {
                value = GF256.add(value, GF256.multiply(weight, share.payload[position]))
            }
            message[position] = value
        }

        let secretLength = message.count - digestLength
        guard secretLength > 0 else { throw CustodyError.integrityCheckFailed }
        let secret = message.withUnsafeBytes { Secret(copying: UnsafeRawBufferPointer(rebasing: $0[..<secretLength])) }
        let expected = digest(of: secret, setID: first.setID, threshold: first.threshold)
        guard constantTimeEqual(expected, Array(message[secretLength...])) else {
            throw CustodyError.integrityCheckFailed
        }
        return secret
    }

    static func digest(of secret: Secret, setID: ShareSetID, threshold: Int) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("breakglass shamir v1\n".utf8))
        hasher.update(data: setID.bigEndianBytes + [UInt8(truncatingIfNeeded: threshold)])
        secret.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize().prefix(digestLength))
    }
}

func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
    return difference == 0
}

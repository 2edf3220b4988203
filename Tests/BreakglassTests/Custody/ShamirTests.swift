import PropertyBased
import Testing

@testable import Custody

/// Secrets here are random test bytes derived from a seed; failures print the seed and sizes, never bytes.
@Suite("Custody Shamir")
struct CustodyShamirTests {
    @Test func anyKOfNSharesRecoverTheSecret() async throws {
        await propertyCheck(
            count: 60, input: Gen.int(in: 2...12), Gen.int(in: 2...12), Gen.int(in: 1...64), Gen.uint64()
        ) { a, b, length, seed in
            let (k, n) = (min(a, b), max(a, b))
            var random = custodySeededRandom(seed)
            let secret = custodyRandomSecret(length: length, using: &random)
            let shares = try Shamir.split(secret, threshold: k, shares: n)

            let exactly = Array(shares.shuffled(using: &random).prefix(k))
            #expect(try Shamir.combine(exactly) == secret, "k=\(k) n=\(n)")
            let more = Array(shares.shuffled(using: &random).prefix(Int.random(in: k...n, using: &random)))
            #expect(try Shamir.combine(more) == secret, "k=\(k) n=\(n) given \(more.count)")
        }
    }

    @Test func fewerThanKSharesAreRefused() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 2...12), Gen.int(in: 2...12), Gen.uint64()) { a, b, seed in
            let (k, n) = (min(a, b), max(a, b))
            var random = custodySeededRandom(seed)
            let shares = try Shamir.split(custodyRandomSecret(length: 32, using: &random), threshold: k, shares: n)
            let tooFew = Array(shares.shuffled(using: &random).prefix(k - 1))
            #expect(throws: CustodyError.quorumNotMet(given: k - 1, required: k)) { try Shamir.combine(tooFew) }
        }
    }

    @Test func sharesOfTwoSetsAreRefused() throws {
        let secret = Secret(utf8: "correct horse battery staple")
        let first = try Shamir.split(secret, threshold: 2, shares: 3)
        let second = try Shamir.split(secret, threshold: 2, shares: 3)
        try #require(first[0].setID != second[0].setID)
        #expect(throws: CustodyError.mixedSets([first[0].setID, second[0].setID].sorted())) {
            try Shamir.combine([first[0], second[1]])
        }
    }

    @Test func aRepeatedShareIsRefusedNotCounted() throws {
        let shares = try Shamir.split(Secret(utf8: "s3cret"), threshold: 3, shares: 5)
        #expect(throws: CustodyError.duplicateShare(index: shares[1].index)) {
            try Shamir.combine([shares[1], shares[2], shares[1]])
        }
    }

    /// A share whose payload was changed (with a valid checksum, as a forger would make it) never yields a
    /// wrong secret: the digest refuses it, whether k or more shares are given.
    @Test func anAlteredShareIsDetectedByTheDigest() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 2...6), Gen.int(in: 0...5), Gen.uint64()) { k, extra, seed in
            var random = custodySeededRandom(seed)
            let n = k + extra
            let shares = try Shamir.split(custodyRandomSecret(length: 24, using: &random), threshold: k, shares: n)
            var chosen = Array(shares.shuffled(using: &random).prefix(Int.random(in: k...n, using: &random)))
            let victim = Int.random(in: 0..<chosen.count, using: &random)
            var payload = chosen[victim].payload
            payload[Int.random(in: 0..<payload.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            chosen[victim] = Share(
                setID: chosen[victim].setID, threshold: k, shareCount: n, index: chosen[victim].index,
                x: chosen[victim].x, payload: payload
            )
            #expect(throws: CustodyError.integrityCheckFailed) { try Shamir.combine(chosen) }
        }
    }

    @Test func aForgedThresholdIsDetected() throws {
        let shares = try Shamir.split(Secret(utf8: "a password"), threshold: 3, shares: 3)
        let lowered = shares.prefix(2).map {
            Share(setID: $0.setID, threshold: 2, shareCount: 3, index: $0.index, x: $0.x, payload: $0.payload)
        }
        #expect(throws: CustodyError.integrityCheckFailed) { try Shamir.combine(lowered) }
    }

    @Test("impossible thresholds are refused", arguments: [(1, 3), (0, 0), (4, 3), (2, 256), (256, 256)])
    func impossibleThresholds(k: Int, n: Int) {
        #expect(throws: CustodyError.invalidThreshold(threshold: k, shares: n)) {
            try Shamir.split(Secret(utf8: "x"), threshold: k, shares: n)
        }
    }

    @Test func emptyAndOversizedSecretsAreRefused() {
        #expect(throws: CustodyError.emptySecret) { try Shamir.split(Secret([]), threshold: 2, shares: 2) }
        #expect(throws: CustodyError.secretTooLong(bytes: 257, maximum: 256)) {
            try Shamir.split(Secret([UInt8](repeating: 1, count: 257)), threshold: 2, shares: 2)
        }
        #expect(throws: CustodyError.noShares) { try Shamir.combine([]) }
    }

    @Test func coordinatesAreDistinctNonZeroAndHeaderIsComplete() throws {
        let shares = try Shamir.split(Secret(utf8: "pw"), threshold: 255, shares: 255)
        #expect(Set(shares.map(\.x)).count == 255)
        #expect(!shares.contains { $0.x == 0 })
        #expect(shares.map(\.index) == Array(1...255))
        #expect(shares.allSatisfy { $0.threshold == 255 && $0.shareCount == 255 })
        #expect(try Shamir.combine(shares.reversed()) == Secret(utf8: "pw"))
    }

    /// Two splits of the same secret share nothing: fresh coefficients and coordinates every time.
    @Test func everySplitIsFresh() throws {
        let secret = Secret(utf8: "same secret")
        let first = try Shamir.split(secret, threshold: 2, shares: 2)
        let second = try Shamir.split(secret, threshold: 2, shares: 2)
        let samePayloads = first.map(\.payload) == second.map(\.payload)
        #expect(!samePayloads)
    }

    @Test func shareDescriptionsCarryNoPayload() throws {
        let share = try #require(try Shamir.split(Secret(utf8: "pw"), threshold: 2, shares: 3).first)
        var dumped = ""
        dump(share, to: &dumped)
        #expect(!dumped.contains("payload"))
        #expect(share.description == "share 1 of 3 (set \(share.setID), any 2 recover the secret)")
    }
}

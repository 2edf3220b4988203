import Testing

@testable import Custody

@Suite("Custody GF(256)")
struct CustodyGF256Tests {
    @Test(
        "known products in the AES field",
        arguments: [
            (UInt8(0x53), UInt8(0xCA), UInt8(0x01)),
            (0x57, 0x83, 0xC1),  // FIPS-197 §4.2
            (0x57, 0x13, 0xFE),  // FIPS-197 §4.2.1
            (0x57, 0x02, 0xAE),
            (0x80, 0x02, 0x1B),  // reduction by the polynomial
            (0x00, 0xFF, 0x00),
            (0x01, 0xA7, 0xA7),
        ])
    func knownProducts(a: UInt8, b: UInt8, product: UInt8) {
        #expect(GF256.multiply(a, b) == product)
        #expect(GF256.multiply(b, a) == product)
    }

    @Test(
        "known inverses",
        arguments: [
            (UInt8(0x01), UInt8(0x01)), (0x02, 0x8D), (0x03, 0xF6), (0x53, 0xCA), (0xCA, 0x53), (0x00, 0x00),
        ])
    func knownInverses(a: UInt8, inverse: UInt8) {
        #expect(GF256.inverse(a) == inverse)
    }

    @Test func everyNonZeroElementTimesItsInverseIsOne() {
        for a in UInt8(1)...UInt8(255) {
            #expect(GF256.multiply(a, GF256.inverse(a)) == 1, "a = \(a)")
        }
    }

    /// The constant-time multiply agrees with the textbook log/exp tables (generator 0x03) on all 65,536 pairs.
    @Test func multiplyMatchesLogExpTables() {
        var exp = [UInt8](repeating: 0, count: 255)
        var log = [Int](repeating: 0, count: 256)
        var value: UInt8 = 1
        for power in 0..<255 {
            exp[power] = value
            log[Int(value)] = power
            value = value ^ (value << 1) ^ ((value & 0x80) != 0 ? 0x1B : 0)  // value · 0x03
        }
        var mismatches = 0
        for a in 0...255 {
            for b in 0...255 {
                let expected: UInt8 = (a == 0 || b == 0) ? 0 : exp[(log[a] + log[b]) % 255]
                if GF256.multiply(UInt8(a), UInt8(b)) != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func interpolationRecoversTheConstantTerm() {
        let coefficients: [UInt8] = [0x42, 0x17, 0xC3]
        let xs: [UInt8] = [7, 99, 200]
        let basis = GF256.lagrangeBasisAtZero(xs)
        let recovered = zip(xs, basis).reduce(UInt8(0)) { sum, pair in
            sum ^ GF256.multiply(pair.1, GF256.evaluate(coefficients, at: pair.0))
        }
        #expect(recovered == 0x42)
    }
}

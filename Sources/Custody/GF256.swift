/// Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B).
///
/// Shamir shares are computed here from secret bytes, so every operation runs in constant time: no branch
/// and no table index depends on an operand. Multiplication is shift-and-xor with masks; the inverse is
/// a^254 (Fermat), a fixed chain of squarings and multiplications.
enum GF256 {
    static func add(_ a: UInt8, _ b: UInt8) -> UInt8 { a ^ b }

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product: UInt8 = 0
        var multiplicand = a
        var multiplier = b
        for _ in 0..<8 {
            // Add the multiplicand when the low bit of the multiplier is set: the mask is 0x00 or 0xFF.
            product ^= multiplicand & (0 &- (multiplier & 1))
            // Multiply the multiplicand by x, reducing by 0x1B when its top bit falls off.
            multiplicand = (multiplicand << 1) ^ (0x1B & (0 &- (multiplicand >> 7)))
            multiplier >>= 1
        }
        return product
    }

    /// The multiplicative inverse; 0 maps to 0.
    static func inverse(_ a: UInt8) -> UInt8 {
        // a^254 = a^(2 + 4 + 8 + 16 + 32 + 64 + 128).
        var result: UInt8 = 1
        var power = a
        for _ in 0..<7 {
            power = multiply(power, power)
            result = multiply(result, power)
        }
        return result
    }

    /// `a / b`; callers guarantee `b != 0`.
    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        multiply(a, inverse(b))
    }

    /// The polynomial with `coefficients` (constant term first) evaluated at `x`, by Horner's rule.
    static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        var result: UInt8 = 0
        for coefficient in coefficients.reversed() {
            result = add(multiply(result, x), coefficient)
        }
        return result
    }

    /// The Lagrange basis values at x = 0 for the points `xs`, which must be distinct and non-zero:
    /// `f(0) = Σ basis[i] · f(xs[i])`.
    static func lagrangeBasisAtZero(_ xs: [UInt8]) -> [UInt8] {
        xs.indices.map { i in
            var numerator: UInt8 = 1
            var denominator: UInt8 = 1
            for j in xs.indices where j != i {
                numerator = multiply(numerator, xs[j])
                denominator = multiply(denominator, add(xs[i], xs[j]))
            }
            return divide(numerator, denominator)
        }
    }
}

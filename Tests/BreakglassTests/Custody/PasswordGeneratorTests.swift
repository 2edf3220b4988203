import Foundation
import Testing

@testable import Custody

@Suite("Custody password generator")
struct CustodyPasswordGeneratorTests {
    static let allowed = Set(Array(UInt8(0x21)...UInt8(0x7E)))  // printable ASCII without the space

    @Test func tenThousandDefaultPasswordsMeetEveryRule() throws {
        var violations = 0
        for _ in 0..<10_000 {
            let password = try PasswordGenerator.password().secret.bytes
            let isValid =
                password.count == 32 && password.allSatisfy { Self.allowed.contains($0) }
                && Set(password.compactMap(CharacterClass.init)).count == 4
            if !isValid { violations += 1 }
        }
        #expect(violations == 0)
    }

    @Test func everyLengthAndRuleIsMet() throws {
        var random = custodySeededRandom(7)
        for _ in 0..<2_000 {
            let length = Int.random(in: PasswordGenerator.lengthRange, using: &random)
            let classes = Int.random(in: 3...4, using: &random)
            let password = try PasswordGenerator.password(length: length, requiredClasses: classes, using: &random)
            let bytes = password.secret.bytes
            if bytes.count != length || !PasswordGenerator.meetsRules(bytes, requiredClasses: classes) {
                Issue.record("a password of length \(length) broke the \(classes)-class rule")
            }
        }
    }

    /// Pearson's chi-square over 320,000 characters of 10,000 default passwords, against the exact expected
    /// frequencies (drawing uniformly and redrawing passwords that miss a class favours the small classes
    /// very slightly). The critical value is for p = 1e-6, so a correct generator fails once in a million runs.
    @Test func charactersAreUniform() throws {
        let length = 32
        let draws = 10_000
        var counts = [UInt8: Int]()
        for _ in 0..<draws {
            for character in try PasswordGenerator.password(length: length).secret.bytes {
                counts[character, default: 0] += 1
            }
        }
        let probabilities = Self.expectedCharacterProbabilities(length: length)
        #expect(abs(probabilities.values.reduce(0, +) - 1) < 1e-9)
        #expect(Set(counts.keys).isSubset(of: Set(probabilities.keys)))

        let total = Double(length * draws)
        let statistic = probabilities.reduce(0.0) { sum, entry in
            let expected = total * entry.value
            let observed = Double(counts[entry.key] ?? 0)
            return sum + (observed - expected) * (observed - expected) / expected
        }
        let critical = Self.chiSquareCriticalValue(degreesOfFreedom: probabilities.count - 1, z: 4.753_424)
        #expect(critical > 170 && critical < 176)
        #expect(statistic < critical, "chi-square \(statistic) ≥ \(critical)")
    }

    @Test("entropy counts exactly the passwords that meet the rule", arguments: [(8, 4), (8, 3), (9, 4)])
    func entropyIsExact(length: Int, requiredClasses: Int) {
        // An independent count: strings by the set of classes they contain, position by position.
        let sizes = CharacterClass.allCases.map { UInt64($0.characters.count) }
        var byClasses = [UInt64](repeating: 0, count: 16)
        byClasses[0] = 1
        for _ in 0..<length {
            var next = [UInt64](repeating: 0, count: 16)
            for mask in 0..<16 {
                for (index, size) in sizes.enumerated() { next[mask | 1 << index] += byClasses[mask] * size }
            }
            byClasses = next
        }
        let valid = (0..<16).filter { $0.nonzeroBitCount >= requiredClasses }.map { byClasses[$0] }.reduce(0, +)
        let computed = PasswordGenerator.passwordEntropy(length: length, requiredClasses: requiredClasses)
        #expect(abs(computed - log2(Double(valid))) < 1e-6)
    }

    @Test func defaultEntropyIsAbout210Bits() throws {
        let bits = try PasswordGenerator.password().entropyBits
        #expect(bits > 32 * log2(94.0) - 0.1 && bits < 32 * log2(94.0))
    }

    @Test("lengths Entra ID refuses are refused", arguments: [0, 7, 257])
    func invalidLengths(length: Int) {
        #expect(throws: CustodyError.invalidPasswordLength(length)) { try PasswordGenerator.password(length: length) }
    }

    /// A draw that would bias the result is thrown away, not reduced modulo the bound.
    @Test func rejectionSamplingDiscardsBiasedDraws() {
        var bytes = ScriptedRandom([200, 188, 187])
        #expect(PasswordGenerator.uniformIndex(below: 94, drawing: UInt8.self, using: &bytes) == 187 % 94)
        #expect(bytes.used == 3)

        var words = ScriptedRandom([UInt64(UInt32.max), 4_294_967_000, 2_600])
        #expect(PasswordGenerator.uniformIndex(below: 2_508, drawing: UInt32.self, using: &words) == 2_600 % 2_508)
        #expect(words.used == 3)
    }

    @Test func passphrasesFollowTheirPatternAndTheRules() throws {
        let list = Set(WordList.words)
        for _ in 0..<1_000 {
            let passphrase = try PasswordGenerator.passphrase(words: 6)
            let text = String(decoding: passphrase.secret.bytes, as: UTF8.self)
            let words = text.split(separator: "-")
            #expect(words.count == 6)
            #expect(words.last?.last?.isNumber == true)
            let bare = words.enumerated().map { $0.offset == 5 ? $0.element.dropLast() : $0.element }
            #expect(bare.allSatisfy { list.contains($0.lowercased()) && $0.first?.isUppercase == true })
            #expect(PasswordGenerator.meetsRules(passphrase.secret.bytes, requiredClasses: 4))
        }
        let bits = try PasswordGenerator.passphrase(words: 6).entropyBits
        #expect(abs(bits - (6 * log2(Double(WordList.words.count)) + log2(10))) < 1e-9)
        #expect(throws: CustodyError.invalidWordCount(4, allowed: 5...24)) {
            try PasswordGenerator.passphrase(words: 4)
        }
        #expect(throws: CustodyError.invalidWordCount(25, allowed: 5...24)) {
            try PasswordGenerator.passphrase(words: 25)
        }
    }

    @Test func wordListIsLargeUniqueAndShort() {
        let words = WordList.words
        #expect(words.count >= 2_048)
        #expect(Set(words).count == words.count)
        #expect(words.allSatisfy { (3...8).contains($0.count) && $0.allSatisfy { ("a"..."z").contains($0) } })
    }

    @Test func entraSymbolsAreTheThirtyTwoDocumented() {
        #expect(CharacterClass.symbol.characters.count == 32)
        #expect(PasswordGenerator.alphabet.count == 94)
        #expect(Set(PasswordGenerator.alphabet) == Self.allowed)
    }

    static func expectedCharacterProbabilities(length: Int) -> [UInt8: Double] {
        let classes = CharacterClass.allCases
        let sizes = classes.map { Double($0.characters.count) }
        /// P(n uniform characters contain every class in `needed`), by inclusion–exclusion.
        func coverProbability(_ needed: [Int], positions: Int) -> Double {
            (0..<(1 << needed.count)).reduce(0.0) { sum, subset in
                let missing = needed.indices.filter { subset & (1 << $0) != 0 }.map { sizes[needed[$0]] }.reduce(0, +)
                let sign = subset.nonzeroBitCount.isMultiple(of: 2) ? 1.0 : -1.0
                return sum + sign * pow((94 - missing) / 94, Double(positions))
            }
        }
        let valid = coverProbability(Array(classes.indices), positions: length)
        var probabilities = [UInt8: Double]()
        for (index, characterClass) in classes.enumerated() {
            let others = classes.indices.filter { $0 != index }
            let probability = coverProbability(others, positions: length - 1) / 94 / valid
            for character in characterClass.characters { probabilities[character] = probability }
        }
        return probabilities
    }

    /// Wilson–Hilferty: the chi-square quantile whose upper tail matches the normal's beyond `z`.
    static func chiSquareCriticalValue(degreesOfFreedom: Int, z: Double) -> Double {
        let k = Double(degreesOfFreedom)
        let term = 2 / (9 * k)
        return k * pow(1 - term + z * term.squareRoot(), 3)
    }
}

/// Returns the given values in order, then zeros; counts how many were used.
private struct ScriptedRandom: RandomNumberGenerator {
    var values: [UInt64]
    var used = 0

    init(_ values: [UInt64]) { self.values = values }

    mutating func next() -> UInt64 {
        defer { used += 1 }
        return used < values.count ? values[used] : 0
    }
}

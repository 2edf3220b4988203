import Foundation

/// A password or passphrase and how hard it is to guess.
public struct GeneratedPassword: Sendable {
    public let secret: Secret
    /// log2 of the number of equally likely outputs the generator could have given: the guessing work for an
    /// attacker who knows how it was made. Fixed formatting (capitals, separators) adds nothing.
    public let entropyBits: Double
}

/// The four character classes of Entra ID's complexity rule.
public enum CharacterClass: CaseIterable, Sendable {
    case uppercase, lowercase, digit, symbol

    public var characters: [UInt8] {
        switch self {
        case .uppercase: Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        case .lowercase: Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        case .digit: Array(UInt8(ascii: "0")...UInt8(ascii: "9"))
        // Entra ID's 32 symbols. The space is allowed too but left out: it is lost in copying and trimming.
        case .symbol: Array(#"@#$%^&*-_!+=[]{}|\:',.?/`~"();<>"#.utf8)
        }
    }

    /// The class of an allowed character; nil for anything else (the space, control characters, non-ASCII).
    init?(_ character: UInt8) {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): self = .uppercase
        case UInt8(ascii: "a")...UInt8(ascii: "z"): self = .lowercase
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self = .digit
        // Every other printable ASCII character but the space is one of the 32 symbols.
        case 0x21...0x7E: self = .symbol
        default: return nil
        }
    }
}

/// Passwords that satisfy Entra ID's rules for cloud accounts: printable ASCII, 8 to 256 characters, at least
/// 3 of the 4 character classes.
///
/// Every character is drawn uniformly from the 94 allowed characters with the system CSPRNG, by rejection
/// sampling (a draw that would bias the result is thrown away, never reduced modulo). A password that misses
/// a required class is thrown away whole and drawn again, so every valid password stays equally likely.
public enum PasswordGenerator {
    public static let lengthRange = 8...256
    public static let defaultLength = 32
    public static let wordCountRange = 5...24
    public static let alphabet: [UInt8] = CharacterClass.allCases.flatMap(\.characters)
    static let passphraseSeparator = UInt8(ascii: "-")

    /// A random password; by default 32 characters with all four classes.
    public static func password(length: Int = defaultLength, requiredClasses: Int = 4) throws -> GeneratedPassword {
        var generator = SystemRandomNumberGenerator()
        return try password(length: length, requiredClasses: requiredClasses, using: &generator)
    }

    /// Words from the embedded list, each capitalised, joined by `-`, with a random digit at the end:
    /// `Maple-River-Cactus-Orbit-Lemon7`. The capitals, separator and digit meet the 4-class rule.
    public static func passphrase(words: Int) throws -> GeneratedPassword {
        var generator = SystemRandomNumberGenerator()
        return try passphrase(words: words, using: &generator)
    }

    static func password(
        length: Int,
        requiredClasses: Int,
        using generator: inout some RandomNumberGenerator
    ) throws -> GeneratedPassword {
        guard lengthRange.contains(length) else { throw CustodyError.invalidPasswordLength(length) }
        guard (3...4).contains(requiredClasses) else { throw CustodyError.invalidRequiredClasses(requiredClasses) }
        var candidate = [UInt8](repeating: 0, count: length)
        defer { wipe(&candidate) }
        repeat {
            for position in candidate.indices {
                candidate[position] =
                    alphabet[uniformIndex(below: alphabet.count, drawing: UInt8.self, using: &generator)]
            }
        } while !meetsRules(candidate, requiredClasses: requiredClasses)
        return GeneratedPassword(
            secret: Secret(wiping: &candidate),
            entropyBits: passwordEntropy(length: length, requiredClasses: requiredClasses)
        )
    }

    static func passphrase(words count: Int, using generator: inout some RandomNumberGenerator) throws
        -> GeneratedPassword
    {
        guard wordCountRange.contains(count) else {
            throw CustodyError.invalidWordCount(count, allowed: wordCountRange)
        }
        let words = WordList.words
        // Room for the longest possible passphrase, reserved once: appending never moves the bytes to a new
        // buffer and leaves the old one, unwiped, on the heap.
        let capacity = maximumPassphraseLength(words: count)
        var candidate: [UInt8] = []
        candidate.reserveCapacity(capacity)
        defer { wipe(&candidate) }
        repeat {
            wipe(&candidate)
            candidate.removeAll(keepingCapacity: true)
            for position in 0..<count {
                if position > 0 { candidate.append(passphraseSeparator) }
                var word = Array(words[uniformIndex(below: words.count, drawing: UInt32.self, using: &generator)].utf8)
                word[0] &= ~0x20  // capitalise: the list is lower-case a-z
                candidate += word
                wipe(&word)
            }
            candidate.append(UInt8(ascii: "0") + UInt8(uniformIndex(below: 10, drawing: UInt8.self, using: &generator)))
        } while !meetsRules(candidate, requiredClasses: 4)
        let bits = Double(count) * log2(Double(words.count)) + log2(10)
        return GeneratedPassword(secret: Secret(wiping: &candidate), entropyBits: bits)
    }

    /// The longest passphrase of `count` words: every word the longest in the list, separators, the digit.
    static func maximumPassphraseLength(words count: Int) -> Int {
        let longest = WordList.words.map(\.utf8.count).max() ?? 0
        return count * longest + (count - 1) + 1
    }

    /// Whether `password` is one Entra ID accepts: allowed characters only, 8 to 256 of them, and at least
    /// `requiredClasses` of the four classes.
    public static func meetsRules(_ password: [UInt8], requiredClasses: Int = 3) -> Bool {
        guard lengthRange.contains(password.count) else { return false }
        var classes = Set<CharacterClass>()
        for character in password {
            guard let characterClass = CharacterClass(character) else { return false }
            classes.insert(characterClass)
        }
        return classes.count >= requiredClasses
    }

    /// log2 of the number of passwords of `length` characters with at least `requiredClasses` classes:
    /// length · log2(94) + log2(P(a uniform draw meets the rule)), P by inclusion–exclusion over the classes.
    static func passwordEntropy(length: Int, requiredClasses: Int) -> Double {
        let classes = CharacterClass.allCases
        let total = Double(alphabet.count)
        func size(of mask: Int) -> Int {
            classes.indices.filter { mask & (1 << $0) != 0 }.map { classes[$0].characters.count }.reduce(0, +)
        }
        let everyMask = (1 << classes.count) - 1
        var probability = 0.0
        // Sum P(exactly the classes in `missing` are absent) over the sets of absent classes the rule allows.
        for missing in 0...everyMask where missing.nonzeroBitCount <= classes.count - requiredClasses {
            for absent in 0...everyMask where absent & missing == missing {
                let sign = (absent.nonzeroBitCount - missing.nonzeroBitCount).isMultiple(of: 2) ? 1.0 : -1.0
                probability += sign * pow((total - Double(size(of: absent))) / total, Double(length))
            }
        }
        return Double(length) * log2(total) + log2(probability)
    }

    /// A uniform integer in `0..<bound` from draws of `Draw`: a draw at or above the largest multiple of
    /// `bound` that fits is rejected, so no value is more likely than another. `bound` is in 1...2^bitWidth.
    static func uniformIndex<Draw: FixedWidthInteger & UnsignedInteger>(
        below bound: Int,
        drawing _: Draw.Type,
        using generator: inout some RandomNumberGenerator
    ) -> Int {
        let range = UInt64(1) << Draw.bitWidth
        let limit = range - range % UInt64(bound)
        while true {
            let draw = UInt64(generator.next() as Draw)
            if draw < limit { return Int(draw % UInt64(bound)) }
        }
    }
}

import Foundation

/// Three-valued truth: Conditional Access can be unsure whether a policy applies (a registered device whose filter
/// properties are not known, a group whose members are not known). Kleene logic: `no` wins an AND, `yes` an OR.
enum Tri: String, CustomStringConvertible {
    case yes, no, unknown

    init(_ value: Bool) { self = value ? .yes : .no }

    static func && (lhs: Tri, rhs: @autoclosure () -> Tri) -> Tri {
        if lhs == .no { return .no }
        let right = rhs()
        if right == .no { return .no }
        return lhs == .yes && right == .yes ? .yes : .unknown
    }

    static func || (lhs: Tri, rhs: @autoclosure () -> Tri) -> Tri {
        if lhs == .yes { return .yes }
        let right = rhs()
        if right == .yes { return .yes }
        return lhs == .no && right == .no ? .no : .unknown
    }

    static prefix func ! (value: Tri) -> Tri {
        switch value {
        case .yes: .no
        case .no: .yes
        case .unknown: .unknown
        }
    }

    var description: String { rawValue }
}

/// The device-filter rule language, the subset Learn lists for Conditional Access ("Conditional Access: filter for
/// devices", supported operators and properties), parsed by the model's own recursive-descent parser. Precedence as
/// for dynamic membership rules (Learn, "Rules for dynamic membership groups", operator precedence): comparison,
/// then `-not`, then `-and`, then `-or`. String comparison is case-insensitive, as in dynamic membership rules.
indirect enum ModelDeviceRule {
    case compare(property: String, op: String, values: [String])
    case not(ModelDeviceRule)
    case and(ModelDeviceRule, ModelDeviceRule)
    case or(ModelDeviceRule, ModelDeviceRule)

    /// A property's value for the sign-in's device: a string, `null` (not set, or not available), or unknown.
    enum Value {
        case text(String)
        case null
        case unknown
    }

    static let negativeOperators: Set<String> = ["-ne", "-notstartswith", "-notendswith", "-notcontains", "-notin"]

    func evaluate(_ value: (String) -> Value) -> Tri {
        switch self {
        case .not(let rule): !rule.evaluate(value)
        case .and(let lhs, let rhs): lhs.evaluate(value) && rhs.evaluate(value)
        case .or(let lhs, let rhs): lhs.evaluate(value) || rhs.evaluate(value)
        case .compare(let property, let op, let values):
            switch value(property) {
            case .unknown: .unknown
            // Learn: an unregistered device has every property null; positive operators are false on null and
            // negative operators true ("Policy behavior with filter for devices").
            case .null: Tri(Self.negativeOperators.contains(op))
            case .text(let actual): Tri(Self.compare(actual, op, values))
            }
        }
    }

    static func compare(_ actual: String, _ op: String, _ values: [String]) -> Bool {
        let actual = actual.lowercased()
        let first = values.first?.lowercased() ?? ""
        switch op {
        case "-eq": return actual == first
        case "-ne": return actual != first
        case "-startswith": return actual.hasPrefix(first)
        case "-notstartswith": return !actual.hasPrefix(first)
        case "-endswith": return actual.hasSuffix(first)
        case "-notendswith": return !actual.hasSuffix(first)
        case "-contains": return actual.contains(first)
        case "-notcontains": return !actual.contains(first)
        case "-in": return values.contains { $0.lowercased() == actual }
        case "-notin": return !values.contains { $0.lowercased() == actual }
        default: return false
        }
    }

    var properties: Set<String> {
        switch self {
        case .compare(let property, _, _): [property]
        case .not(let rule): rule.properties
        case .and(let lhs, let rhs), .or(let lhs, let rhs): lhs.properties.union(rhs.properties)
        }
    }

    // MARK: - Parsing

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> ModelDeviceRule {
        var parser = Parser(tokens: try tokenize(text))
        let rule = try parser.orExpression()
        guard parser.position == parser.tokens.count else {
            throw ParseError(description: "unexpected \(parser.tokens[parser.position]) in \(text)")
        }
        return rule
    }

    enum Token: Equatable, CustomStringConvertible {
        case word(String)
        case string(String)
        case open, close, openBracket, closeBracket, comma

        var description: String {
            switch self {
            case .word(let word): word
            case .string(let string): "\"\(string)\""
            case .open: "("
            case .close: ")"
            case .openBracket: "["
            case .closeBracket: "]"
            case .comma: ","
            }
        }
    }

    static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        var characters = Array(text)[...]
        while let character = characters.first {
            switch character {
            case " ", "\t", "\n", "\r": characters.removeFirst()
            case "(": tokens.append(.open); characters.removeFirst()
            case ")": tokens.append(.close); characters.removeFirst()
            case "[": tokens.append(.openBracket); characters.removeFirst()
            case "]": tokens.append(.closeBracket); characters.removeFirst()
            case ",": tokens.append(.comma); characters.removeFirst()
            case "\"", "'":
                characters.removeFirst()
                guard let end = characters.firstIndex(of: character) else {
                    throw ParseError(description: "unterminated string in \(text)")
                }
                tokens.append(.string(String(characters[..<end])))
                characters = characters[characters.index(after: end)...]
            default:
                let end = characters.firstIndex { " \t\n\r()[],\"'".contains($0) } ?? characters.endIndex
                tokens.append(.word(String(characters[..<end])))
                characters = characters[end...]
            }
        }
        return tokens
    }

    struct Parser {
        var tokens: [Token]
        var position = 0

        mutating func next() -> Token? {
            guard position < tokens.count else { return nil }
            defer { position += 1 }
            return tokens[position]
        }

        func peekWord() -> String? {
            guard position < tokens.count, case .word(let word) = tokens[position] else { return nil }
            return word.lowercased()
        }

        mutating func orExpression() throws -> ModelDeviceRule {
            var rule = try andExpression()
            while peekWord() == "-or" {
                position += 1
                rule = .or(rule, try andExpression())
            }
            return rule
        }

        mutating func andExpression() throws -> ModelDeviceRule {
            var rule = try unary()
            while peekWord() == "-and" {
                position += 1
                rule = .and(rule, try unary())
            }
            return rule
        }

        mutating func unary() throws -> ModelDeviceRule {
            if peekWord() == "-not" {
                position += 1
                return .not(try unary())
            }
            if position < tokens.count, tokens[position] == .open {
                position += 1
                let rule = try orExpression()
                guard next() == .close else { throw ParseError(description: "missing )") }
                return rule
            }
            return try comparison()
        }

        mutating func comparison() throws -> ModelDeviceRule {
            guard case .word(let path)? = next(), path.lowercased().hasPrefix("device.") else {
                throw ParseError(description: "expected device.<property>")
            }
            guard case .word(let op)? = next() else { throw ParseError(description: "expected an operator") }
            var values: [String] = []
            switch next() {
            case .string(let value)?: values = [value]
            case .word(let value)?: values = [value]
            case .openBracket?:
                while let token = next(), token != .closeBracket {
                    if case .string(let value) = token { values.append(value) }
                }
            default: throw ParseError(description: "expected a value")
            }
            return .compare(property: String(path.dropFirst("device.".count)).lowercased(), op: op.lowercased(),
                            values: values)
        }
    }
}

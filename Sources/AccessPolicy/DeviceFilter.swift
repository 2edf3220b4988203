import Foundation

/// A device filter rule (`conditions.devices.deviceFilter.rule`), parsed. The syntax is the dynamic-group rule
/// language restricted to the device properties Conditional Access reads (Learn, "Conditional Access: filter for
/// devices"): `device.<property> -<operator> value`, joined by `-and`/`-or` (`-and` binds tighter), parentheses.
/// Operators and property names are case-insensitive.
public indirect enum DeviceRule: Sendable, Hashable {
    case and([DeviceRule])
    case or([DeviceRule])
    /// `-not` before an expression (Learn, "Dynamic membership rules for groups", rules with multiple expressions:
    /// "connected by the -and, -or, and -not logical operators", e.g. `… -and -not (user.jobTitle -contains "SDE")`).
    case not(DeviceRule)
    case comparison(DeviceComparison)
}

public struct DeviceComparison: Sendable, Hashable {
    /// The canonical property name (`extensionAttribute1`, `trustType`).
    public var property: String
    public var `operator`: DeviceFilterOperator
    /// One value, or the list of `-in`/`-notIn`.
    public var values: [String]
}

public enum DeviceFilterOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, startsWith, notStartsWith, endsWith, notEndsWith, contains, notContains
    case `in`, notIn

    /// Negative operators are true for a null property (an unregistered device), positive ones false.
    public var isNegative: Bool { [.ne, .notStartsWith, .notEndsWith, .notContains, .notIn].contains(self) }

    var takesList: Bool { self == .in || self == .notIn }
}

public struct DeviceFilterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Character offset in the rule.
    public var offset: Int

    public var description: String { "device filter does not parse at character \(offset + 1): \(message)" }
}

/// The properties a device filter may read and the operators each supports (reference/graph.md §2, from Learn).
enum DeviceProperty {
    static let identifierOperators: Set<DeviceFilterOperator> = [.eq, .ne, .in, .notIn]
    static let stringOperators = Set(DeviceFilterOperator.allCases)
    static let equalityOperators: Set<DeviceFilterOperator> = [.eq, .ne]
    static let collectionOperators: Set<DeviceFilterOperator> = [.contains, .notContains]
    /// String collections: `-contains` tests for a whole element.
    static let collections: Set<String> = ["physicalIds", "systemLabels"]

    /// Lowercased name → (canonical name, operators).
    static let table: [String: (name: String, operators: Set<DeviceFilterOperator>)] = {
        var table: [String: (String, Set<DeviceFilterOperator>)] = [:]
        func add(_ names: [String], _ operators: Set<DeviceFilterOperator>) {
            for name in names { table[name.lowercased()] = (name, operators) }
        }
        add(["deviceId", "mdmAppId"], identifierOperators)
        add(["displayName", "enrollmentProfileName", "manufacturer", "model", "operatingSystem",
             "operatingSystemVersion"] + (1...15).map { "extensionAttribute\($0)" }, stringOperators)
        add(["deviceOwnership", "isCompliant", "profileType", "trustType"], equalityOperators)
        add(["physicalIds", "systemLabels"], collectionOperators)
        return table
    }()
}

public enum DeviceFilterParser {
    public static func parse(_ rule: String) throws(DeviceFilterError) -> DeviceRule {
        var parser = Parser(tokens: try tokenize(rule))
        let expression = try parser.orExpression()
        guard case .end = parser.peek.kind else { throw parser.error("unexpected \(parser.peek.text)") }
        return expression
    }

    struct Token {
        enum Kind: Equatable { case leftParen, rightParen, leftBracket, rightBracket, comma, dash, string, word, end }
        var kind: Kind
        var text: String
        var offset: Int
    }

    static func tokenize(_ rule: String) throws(DeviceFilterError) -> [Token] {
        let characters = Array(rule)
        var tokens: [Token] = []
        var index = 0
        func isWordCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "." || character == "_" || character == "-"
        }
        while index < characters.count {
            let character = characters[index]
            let start = index
            switch character {
            case _ where character.isWhitespace:
                index += 1
                continue
            case "(": tokens.append(Token(kind: .leftParen, text: "(", offset: start))
            case ")": tokens.append(Token(kind: .rightParen, text: ")", offset: start))
            case "[": tokens.append(Token(kind: .leftBracket, text: "[", offset: start))
            case "]": tokens.append(Token(kind: .rightBracket, text: "]", offset: start))
            case ",": tokens.append(Token(kind: .comma, text: ",", offset: start))
            case "\"", "'":
                // Dynamic rules escape a quote inside a value with a backtick (`"); a backslash is accepted too.
                var value = ""
                index += 1
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if (next == "`" || next == "\\"), index + 1 < characters.count {
                        value.append(characters[index + 1])
                        index += 2
                        continue
                    }
                    if next == character {
                        closed = true
                        break
                    }
                    value.append(next)
                    index += 1
                }
                guard closed else { throw DeviceFilterError(message: "unterminated string", offset: start) }
                tokens.append(Token(kind: .string, text: value, offset: start))
            case "-":
                index += 1
                while index < characters.count, characters[index].isLetter { index += 1 }
                let text = String(characters[start..<index])
                guard text.count > 1 else { throw DeviceFilterError(message: "a lone '-'", offset: start) }
                tokens.append(Token(kind: .dash, text: text, offset: start))
                continue
            case _ where isWordCharacter(character):
                while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
                tokens.append(Token(kind: .word, text: String(characters[start..<index]), offset: start))
                continue
            default:
                throw DeviceFilterError(message: "unexpected character '\(character)'", offset: start)
            }
            index += 1
        }
        tokens.append(Token(kind: .end, text: "end of rule", offset: characters.count))
        return tokens
    }

    struct Parser {
        var tokens: [Token]
        var position = 0

        var peek: Token { tokens[min(position, tokens.count - 1)] }

        mutating func next() -> Token {
            let token = peek
            position += 1
            return token
        }

        func error(_ message: String, at token: Token? = nil) -> DeviceFilterError {
            DeviceFilterError(message: message, offset: (token ?? peek).offset)
        }

        func isKeyword(_ keyword: String) -> Bool {
            peek.kind == .dash && peek.text.caseInsensitiveCompare(keyword) == .orderedSame
        }

        mutating func orExpression() throws(DeviceFilterError) -> DeviceRule {
            var terms = [try andExpression()]
            while isKeyword("-or") {
                _ = next()
                terms.append(try andExpression())
            }
            return terms.count == 1 ? terms[0] : .or(terms)
        }

        mutating func andExpression() throws(DeviceFilterError) -> DeviceRule {
            var terms = [try primary()]
            while isKeyword("-and") {
                _ = next()
                terms.append(try primary())
            }
            return terms.count == 1 ? terms[0] : .and(terms)
        }

        /// Parentheses nest at most this deep: the parser is recursive, the rule is input.
        static let maximumDepth = 32
        var depth = 0

        mutating func primary() throws(DeviceFilterError) -> DeviceRule {
            if isKeyword("-not") {
                guard depth < Self.maximumDepth else { throw error("-not nested more than \(Self.maximumDepth) deep") }
                _ = next()
                depth += 1
                defer { depth -= 1 }
                return .not(try primary())
            }
            if peek.kind == .leftParen {
                guard depth < Self.maximumDepth else {
                    throw error("parentheses nested more than \(Self.maximumDepth) deep")
                }
                _ = next()
                depth += 1
                defer { depth -= 1 }
                let inner = try orExpression()
                guard peek.kind == .rightParen else { throw error("expected ')' but found \(peek.text)") }
                _ = next()
                return inner
            }
            return .comparison(try comparison())
        }

        mutating func comparison() throws(DeviceFilterError) -> DeviceComparison {
            let propertyToken = next()
            guard propertyToken.kind == .word else {
                throw error("expected device.<property> but found \(propertyToken.text)", at: propertyToken)
            }
            let parts = propertyToken.text.split(separator: ".", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "device" else {
                throw error("expected device.<property> but found \(propertyToken.text)", at: propertyToken)
            }
            guard let property = DeviceProperty.table[parts[1].lowercased()] else {
                throw error("device filters cannot read property '\(parts[1])'", at: propertyToken)
            }
            let operatorToken = next()
            let name = operatorToken.text.dropFirst().lowercased()
            guard operatorToken.kind == .dash,
                let op = DeviceFilterOperator.allCases.first(where: { $0.rawValue.lowercased() == name })
            else {
                throw error("expected an operator (-eq, -ne, -startsWith, …) but found \(operatorToken.text)",
                            at: operatorToken)
            }
            guard property.operators.contains(op) else {
                throw error("operator -\(op.rawValue) is not supported for device.\(property.name)", at: operatorToken)
            }
            let values = op.takesList ? try list() : [try value()]
            return DeviceComparison(property: property.name, operator: op, values: values)
        }

        mutating func value() throws(DeviceFilterError) -> String {
            let token = next()
            guard token.kind == .string || token.kind == .word else {
                throw error("expected a value but found \(token.text)", at: token)
            }
            return token.text
        }

        mutating func list() throws(DeviceFilterError) -> [String] {
            guard peek.kind == .leftBracket else {
                throw error("expected a list [\"a\", \"b\"] but found \(peek.text)")
            }
            _ = next()
            var values: [String] = []
            if peek.kind == .rightBracket {
                _ = next()
                return values
            }
            while true {
                values.append(try value())
                let separator = next()
                if separator.kind == .rightBracket { return values }
                guard separator.kind == .comma else {
                    throw error("expected ',' or ']' but found \(separator.text)", at: separator)
                }
            }
        }
    }
}

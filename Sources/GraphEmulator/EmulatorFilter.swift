import EntraModel
import Foundation

/// The part of OData `$filter` the tool's requests use, evaluated over JSON items: comparisons
/// (`eq ne ge gt le lt`) of a property path with a quoted string, a bare DateTimeOffset, a number or a Boolean;
/// `and`, `or`, parentheses; and lambdas `collection/any(t: t/path eq 'x')` or, over a list of strings,
/// `collection/any(t: t eq 'x')`. Date-times compare as times, strings case-insensitively.
indirect enum EmulatorFilter {
    case comparison(path: [String], op: String, value: Literal)
    case any(collection: [String], path: [String], op: String, value: Literal)
    case and(EmulatorFilter, EmulatorFilter)
    case or(EmulatorFilter, EmulatorFilter)

    enum Literal {
        case string(String)
        case bare(String)
    }

    /// Computes a property the item does not hold as such (the beta signIn's `signInEventTypes`).
    typealias Virtual = ([String: Any], [String]) -> Any?

    func matches(_ item: [String: Any], virtual: Virtual = { _, _ in nil }) -> Bool {
        switch self {
        case .and(let left, let right): return left.matches(item, virtual: virtual) && right.matches(item, virtual: virtual)
        case .or(let left, let right): return left.matches(item, virtual: virtual) || right.matches(item, virtual: virtual)
        case .comparison(let path, let op, let value):
            return Self.compare(Self.value(at: path, in: item) ?? virtual(item, path), op, value)
        case .any(let collection, let path, let op, let value):
            let list = (Self.value(at: collection, in: item) ?? virtual(item, collection)) as? [Any] ?? []
            return list.contains { element in
                if path.isEmpty { return Self.compare(element, op, value) }
                guard let object = element as? [String: Any] else { return false }
                return Self.compare(Self.value(at: path, in: object), op, value)
            }
        }
    }

    static func value(at path: [String], in item: [String: Any]) -> Any? {
        var current: Any? = item
        for key in path { current = (current as? [String: Any])?[key] }
        return current is NSNull ? nil : current
    }

    static func compare(_ actual: Any?, _ op: String, _ literal: Literal) -> Bool {
        guard let actual else { return op == "ne" }
        let text: String
        switch literal {
        case .string(let value), .bare(let value): text = value
        }
        if let string = actual as? String {
            if let left = GraphDate.parse(string), let right = GraphDate.parse(text) { return order(left, right, op) }
            return order(string.lowercased(), text.lowercased(), op)
        }
        if let bool = actual as? Bool, case .bare(let word) = literal, let right = Bool(word.lowercased()) {
            return op == "eq" ? bool == right : op == "ne" ? bool != right : false
        }
        if let number = (actual as? NSNumber)?.doubleValue, let right = Double(text) { return order(number, right, op) }
        return false
    }

    static func order<T: Comparable>(_ left: T, _ right: T, _ op: String) -> Bool {
        switch op {
        case "eq": left == right
        case "ne": left != right
        case "ge": left >= right
        case "gt": left > right
        case "le": left <= right
        case "lt": left < right
        default: false
        }
    }

    // MARK: Parsing

    /// Nil when the text is outside the subset.
    static func parse(_ text: String) -> EmulatorFilter? {
        var parser = Parser(tokens: tokenize(text))
        guard let filter = parser.expression(), parser.index == parser.tokens.count else { return nil }
        return filter
    }

    enum Token: Equatable {
        case word(String)
        case string(String)
        case open, close, colon
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "(" || character == ")" {
                tokens.append(character == "(" ? .open : .close)
                index = text.index(after: index)
            } else if character == ":" {
                // The lambda's `t:`; a colon inside a word (a time, 09:00:00Z) stays in the word.
                tokens.append(.colon)
                index = text.index(after: index)
            } else if character == "'" {
                var value = ""
                index = text.index(after: index)
                while index < text.endIndex {
                    if text[index] == "'" {
                        let next = text.index(after: index)
                        if next < text.endIndex, text[next] == "'" {
                            value.append("'")
                            index = text.index(after: next)
                            continue
                        }
                        index = next
                        break
                    }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                tokens.append(.string(value))
            } else {
                var word = ""
                while index < text.endIndex, !text[index].isWhitespace, !"()'".contains(text[index]) {
                    if text[index] == ":" {
                        let next = text.index(after: index)
                        if next == text.endIndex || text[next].isWhitespace { break }
                    }
                    word.append(text[index])
                    index = text.index(after: index)
                }
                tokens.append(.word(word))
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        var index = 0
        static let operators: Set<String> = ["eq", "ne", "ge", "gt", "le", "lt"]

        init(tokens: [Token]) { self.tokens = tokens }

        mutating func next() -> Token? {
            guard index < tokens.count else { return nil }
            defer { index += 1 }
            return tokens[index]
        }

        func peekWord(_ word: String) -> Bool {
            if index < tokens.count, case .word(let text) = tokens[index] { return text.lowercased() == word }
            return false
        }

        mutating func expression() -> EmulatorFilter? {
            guard var left = term() else { return nil }
            while peekWord("or") {
                index += 1
                guard let right = term() else { return nil }
                left = .or(left, right)
            }
            return left
        }

        mutating func term() -> EmulatorFilter? {
            guard var left = factor() else { return nil }
            while peekWord("and") {
                index += 1
                guard let right = factor() else { return nil }
                left = .and(left, right)
            }
            return left
        }

        mutating func literal() -> Literal? {
            switch next() {
            case .string(let value): return .string(value)
            case .word(let value): return .bare(value)
            default: return nil
            }
        }

        mutating func factor() -> EmulatorFilter? {
            guard let token = next() else { return nil }
            if token == .open {
                guard let inner = expression(), next() == .close else { return nil }
                return inner
            }
            guard case .word(let word) = token else { return nil }
            // `collection/any(t: t/path op value)`
            if word.lowercased().hasSuffix("/any"), index < tokens.count, tokens[index] == .open {
                index += 1
                let collection = word.dropLast(4).split(separator: "/").map(String.init)
                guard case .word(let variable)? = next(), next() == .colon, case .word(let subject)? = next(),
                      case .word(let op)? = next(), Self.operators.contains(op.lowercased()), let value = literal(),
                      next() == .close else { return nil }
                let parts = subject.split(separator: "/").map(String.init)
                guard parts.first == variable else { return nil }
                return .any(collection: collection, path: Array(parts.dropFirst()), op: op.lowercased(), value: value)
            }
            guard case .word(let op)? = next(), Self.operators.contains(op.lowercased()), let value = literal() else {
                return nil
            }
            return .comparison(path: word.split(separator: "/").map(String.init), op: op.lowercased(), value: value)
        }
    }
}

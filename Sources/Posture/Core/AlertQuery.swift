import Foundation

/// What BG051 needs to know of a KQL query: the tables it reads and the string literals it compares, read the way
/// Kusto reads them. Comments are skipped (a UPN in a comment matches nothing, and neither does an id commented out),
/// and table names compare case-sensitively, as KQL's do — wildcards of `union` included (`union *SigninLogs*`,
/// `union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs`, `union *`).
public struct AlertQuery: Sendable, Hashable {
    public let text: String
    /// Names outside strings and comments (tables, columns, functions, operators).
    public let identifiers: Set<String>
    /// Table patterns with `*` in a `union` clause.
    public let unionPatterns: [String]
    /// The contents of every string literal, lower-cased.
    public let literals: [String]
    /// Names passed to `_GetWatchlist(...)`.
    public let watchlists: [String]

    public init(_ text: String) {
        self.text = text
        var scanner = KQLScanner(Array(text.utf8))
        scanner.run()
        identifiers = scanner.identifiers
        unionPatterns = scanner.unionPatterns
        literals = scanner.literals.map { $0.lowercased() }
        watchlists = scanner.watchlists
    }

    /// Whether the query reads `table`: by name, or through a `union` wildcard that matches it.
    public func reads(_ table: String) -> Bool {
        identifiers.contains(table) || unionPatterns.contains { Self.glob($0, matches: table) }
    }

    /// Whether a string literal holds `value` (an object id or a UPN), ignoring case.
    public func mentions(_ value: String) -> Bool {
        let needle = value.lowercased()
        return !needle.isEmpty && literals.contains { $0.contains(needle) }
    }

    /// `*` matches any run of characters; everything else matches itself, case-sensitively.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == name }
        var rest = Substring(name)
        guard let first = parts.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts.last ?? ""
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}

/// A single pass over KQL text: strings (`"…"`, `'…'`, verbatim `@"…"`, obfuscated `h"…"`, multi-line ```` ```…``` ````),
/// `//` comments, identifiers, and the table list of each `union`.
private struct KQLScanner {
    let bytes: [UInt8]
    var index = 0
    var identifiers: Set<String> = []
    var unionPatterns: [String] = []
    var literals: [String] = []
    var watchlists: [String] = []
    /// Paren depth of the `union` whose table list is being read, if any.
    var unionDepth: Int?
    var depth = 0
    var lastIdentifier = ""
    var previousSignificant: UInt8 = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "`"), peek(1) == UInt8(ascii: "`"), peek(2) == UInt8(ascii: "`") {
                index += 3
                let start = index
                while index + 2 < bytes.count,
                    !(bytes[index] == UInt8(ascii: "`") && bytes[index + 1] == UInt8(ascii: "`")
                        && bytes[index + 2] == UInt8(ascii: "`"))
                {
                    index += 1
                }
                literal(String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self))
                index = min(index + 3, bytes.count)
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quoted(verbatim: false)
            } else if (byte == UInt8(ascii: "@") || byte == UInt8(ascii: "h") || byte == UInt8(ascii: "H")),
                let next = peek(1), next == UInt8(ascii: "\"") || next == UInt8(ascii: "'")
                    || (next == UInt8(ascii: "@") && (peek(2) == UInt8(ascii: "\"") || peek(2) == UInt8(ascii: "'")))
            {
                let verbatim = byte == UInt8(ascii: "@") || next == UInt8(ascii: "@")
                index += next == UInt8(ascii: "@") ? 2 : 1
                quoted(verbatim: verbatim)
            } else if Self.isWordByte(byte) || byte == UInt8(ascii: "*") {
                word()
            } else {
                punctuation(byte)
                index += 1
            }
        }
    }

    func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
    }

    mutating func quoted(verbatim: Bool) {
        let quote = bytes[index]
        index += 1
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if !verbatim, byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                content.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == quote {
                if verbatim, peek(1) == quote {
                    content.append(quote)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            content.append(byte)
            index += 1
        }
        let text = String(decoding: content, as: UTF8.self)
        // `['SigninLogs']` names a table.
        if previousSignificant == UInt8(ascii: "[") { identifier(text) }
        literal(text)
    }

    mutating func literal(_ text: String) {
        literals.append(text)
        if lastIdentifier == "_GetWatchlist" { watchlists.append(text) }
        lastIdentifier = ""
        previousSignificant = UInt8(ascii: "\"")
    }

    mutating func word() {
        let start = index
        while index < bytes.count, Self.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "*") { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if text == "union" {
            unionDepth = depth
        } else if text.contains("*") {
            if unionDepth == depth { unionPatterns.append(text) }
        } else {
            identifier(text)
        }
        if !text.contains("*") { lastIdentifier = text }
        previousSignificant = UInt8(ascii: "a")
    }

    mutating func identifier(_ text: String) {
        identifiers.insert(text)
    }

    mutating func punctuation(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "("): depth += 1
        case UInt8(ascii: ")"):
            depth -= 1
            if let union = unionDepth, depth < union { unionDepth = nil }
        case UInt8(ascii: "|"), UInt8(ascii: ";"):
            if unionDepth == depth { unionDepth = nil }
        default: break
        }
        if byte != UInt8(ascii: " "), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r") {
            previousSignificant = byte
            if byte != UInt8(ascii: "(") { lastIdentifier = "" }
        }
    }
}

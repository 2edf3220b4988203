import Foundation

/// A minimal forward JSON reader over bytes, for the hot path of large files (users.json at 200,000 users). It
/// reads what it expects and reports failure as nil; callers then fall back to `JSONDecoder`, which gives the exact
/// error with its JSON path. Nothing here decides what is valid: it only makes the valid case fast.
struct FastJSON {
    let bytes: UnsafeBufferPointer<UInt8>
    let base: UnsafePointer<UInt8>
    var index = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        bytes = UnsafeBufferPointer(start: base, count: count)
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after whitespace.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func consumeNull() -> Bool { consumeLiteral("null") }

    mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count,
            memcmp(base + index, literal.utf8Start, count) == 0
        else { return false }
        index += count
        return true
    }

    /// The raw bytes of a string without escapes (an object key): start and end offsets, after the closing quote.
    mutating func rawKey() -> Range<Int>? {
        guard consume(0x22) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                index += 1
                return start..<(index - 1)
            }
            if byte == 0x5C { return nil }
            index += 1
        }
        return nil
    }

    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        range.count == literal.utf8CodeUnitCount
            && memcmp(base + range.lowerBound, literal.utf8Start, range.count) == 0
    }

    mutating func string() -> String? {
        guard consume(0x22) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == 0x5C { return escapedString(from: start) }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private mutating func escapedString(from start: Int) -> String? {
        var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22: return String(decoding: scalars, as: UTF8.self)
            case 0x5C:
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: scalars.append(escape)
                case 0x62: scalars.append(0x08)
                case 0x66: scalars.append(0x0C)
                case 0x6E: scalars.append(0x0A)
                case 0x72: scalars.append(0x0D)
                case 0x74: scalars.append(0x09)
                case 0x75:
                    guard var code = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 else { return nil }
                        index += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            default:
                if byte < 0x20 { return nil }
                scalars.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x37
            case 0x61...0x66: digit = byte - 0x57
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func bool() -> Bool? {
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        return nil
    }

    /// Skips any value; false when the bytes are not JSON.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < JSONValue.maximumDepth, let byte = peek() else { return false }
        switch byte {
        case 0x22: return string() != nil
        case 0x7B:
            index += 1
            if consume(0x7D) { return true }
            repeat {
                guard string() != nil, consume(0x3A), skipValue(depth: depth + 1) else { return false }
            } while consume(0x2C)
            return consume(0x7D)
        case 0x5B:
            index += 1
            if consume(0x5D) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(0x2C)
            return consume(0x5D)
        case 0x74: return consumeLiteral("true")
        case 0x66: return consumeLiteral("false")
        case 0x6E: return consumeLiteral("null")
        default:
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case 0x30...0x39, 0x2D, 0x2B, 0x2E, 0x65, 0x45: index += 1
                default: return index > start
                }
            }
            return index > start
        }
    }

    /// Calls `body` with each key of an object (positioned before its value); `body` must consume the value.
    mutating func object(_ body: (inout FastJSON, Range<Int>) -> Bool) -> Bool {
        guard consume(0x7B) else { return false }
        if consume(0x7D) { return true }
        repeat {
            guard let key = rawKey(), consume(0x3A), body(&self, key) else { return false }
        } while consume(0x2C)
        return consume(0x7D)
    }

    /// Calls `body` for each element of an array; `body` must consume the element.
    /// A whole Graph list document: a bare array, or an object whose `value` is the array (other keys skipped), and
    /// nothing after it. `element` reads one item; false anywhere means the document is not one this reader handles.
    mutating func graphList(_ element: (inout FastJSON) -> Bool) -> Bool {
        switch peek() {
        case 0x5B:
            guard array(element) else { return false }
        case 0x7B:
            var sawValue = false
            let ok = object { json, key in
                if json.equals(key, "value") {
                    sawValue = true
                    return json.array(element)
                }
                return json.skipValue()
            }
            guard ok, sawValue else { return false }
        default:
            return false
        }
        skipWhitespace()
        return atEnd
    }

    mutating func array(_ body: (inout FastJSON) -> Bool) -> Bool {
        guard consume(0x5B) else { return false }
        if consume(0x5D) { return true }
        repeat {
            guard body(&self) else { return false }
        } while consume(0x2C)
        return consume(0x5D)
    }
}

import CStringSearch
import EntraModel
import Foundation

/// The state of scanning one file, shared by the format scanners: what to look for, where records and problems go,
/// and the counts for the summary.
final class ScanSession {
    let file: String
    let targets: LogScanTargets
    private(set) var needles: NeedleSet?
    private(set) var shape: LogShape = .unknown
    /// Records (lines, elements or rows) read, and those parsed because they mention a target.
    var recordsRead = 0
    var recordsParsed = 0
    private(set) var problems = 0
    private let onRecord: (LogRecord, Int) -> Void
    private let onProblem: (String) -> Void
    static let problemsReported = 20

    init(file: String, targets: LogScanTargets, onRecord: @escaping (LogRecord, Int) -> Void,
         onProblem: @escaping (String) -> Void) {
        self.file = file
        self.targets = targets
        self.onRecord = onRecord
        self.onProblem = onProblem
    }

    var isDecided: Bool { needles != nil }

    /// Chooses the needles from the first record (or a CSV header's field names).
    func decide(keys: Set<String>) {
        guard needles == nil else { return }
        shape = LogShape(keys: keys)
        let hasUserIDs = shape == .directoryAudits || keys.contains("userid")
        needles = NeedleSet(targets: targets, shape: shape, hasUserIDs: hasUserIDs)
    }

    func record(_ record: LogRecord, line: Int) {
        recordsParsed += 1
        onRecord(record, line)
    }

    /// Reports a malformed or truncated record on the way (the first `problemsReported` per file; the count goes on).
    func problem(line: Int?, _ message: String) {
        problems += 1
        if problems <= Self.problemsReported {
            onProblem("\(file)\(line.map { ":\($0)" } ?? ""): \(message)")
        } else if problems == Self.problemsReported + 1 {
            onProblem("\(file): more malformed records follow; only their count is reported")
        }
    }

    /// A JSON object from bytes, or nil after reporting why not.
    func parseObject(_ bytes: UnsafeRawBufferPointer, line: Int) -> [String: JSONValue]? {
        let data = Data(bytes)
        do {
            let value = try JSONDecoder().decode(JSONValue.self, from: data)
            guard case .object(let object) = value else {
                problem(line: line, "not a JSON object: skipped")
                return nil
            }
            return object
        } catch {
            problem(line: line, "not valid JSON (\(Self.reason(error))): skipped")
            return nil
        }
    }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// A scanner of one file format: bytes in, records and problems out through the session.
protocol LogFormatScanner: AnyObject {
    func consume(_ bytes: UnsafeBufferPointer<UInt8>)
    func finish()
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The index of the first `byte` at or after `from`, if any.
    func index(of byte: UInt8, from start: Int) -> Int? {
        guard let base = baseAddress, start < count else { return nil }
        guard let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the last `byte`, if any.
    func lastIndex(of byte: UInt8) -> Int? {
        guard let base = baseAddress, count > 0 else { return nil }
        guard let found = bg_memrchr(base, Int32(byte), count) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

enum ASCII {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

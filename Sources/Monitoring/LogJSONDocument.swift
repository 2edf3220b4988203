import EntraModel
import Foundation

/// A JSON document, pretty-printed or not, read record by record without holding it: a Graph page
/// (`{"value": [...]}`, `@odata.*` beside it), a bare array (`[...]`, as `az monitor log-analytics query` and
/// PowerShell write), or objects one after another. Only strings, brackets and the `value` key are tracked; each
/// record's bytes are searched for the needles and parsed only on a hit.
final class JSONDocumentScanner: LogFormatScanner {
    let session: ScanSession
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var line = 1
    /// The depth at which an object is a record: 0 for top-level objects, 1 in a top-level array, 2 in a page.
    private var recordDepth = 0
    private var rootIsArray = false
    /// Bytes of the record being read (from its `{`), and the line it started on.
    private var record: [UInt8] = []
    private var recording = false
    private var recordLine = 0
    /// The last string at depth 1 (a key of the root object, while it may still turn out to be a page).
    private var key: [UInt8] = []
    private var lastKey: [UInt8] = []
    private var strayReported = false
    static let maximumRecord = 64 << 20
    static let valueKey = Array("value".utf8)

    init(session: ScanSession) { self.session = session }

    func consume(_ chunk: UnsafeBufferPointer<UInt8>) {
        var recordStart = recording ? 0 : -1
        var index = 0
        while index < chunk.count {
            if inString, depth != 1 {
                index = skipString(chunk, from: index)
                continue
            }
            let byte = chunk[index]
            if byte == ASCII.newline { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == ASCII.backslash {
                    escaped = true
                } else if byte == ASCII.quote {
                    inString = false
                    if depth == 1 { lastKey = key }
                } else if depth == 1, key.count < 64 {
                    key.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case ASCII.quote:
                inString = true
                if depth == 1 { key.removeAll(keepingCapacity: true) }
            case ASCII.openBrace:
                if depth == recordDepth, !recording {
                    recording = true
                    recordStart = index
                    recordLine = line
                    record.removeAll(keepingCapacity: true)
                }
                depth += 1
            case ASCII.openBracket:
                if depth == 0, !recording {
                    rootIsArray = true
                    recordDepth = 1
                } else if depth == 1, recording, recordDepth == 0, lastKey == Self.valueKey {
                    // `{"value": [` — a Graph page: its elements are the records, not the page itself.
                    recording = false
                    recordStart = -1
                    record.removeAll(keepingCapacity: true)
                    recordDepth = 2
                }
                depth += 1
            case ASCII.closeBrace, ASCII.closeBracket:
                depth -= 1
                if depth < 0 {
                    stray()
                    depth = 0
                }
                if byte == ASCII.closeBrace, recording, depth == recordDepth {
                    if recordStart >= 0 {
                        record.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[recordStart...index]))
                    }
                    recording = false
                    recordStart = -1
                    emit()
                }
                if depth == 0, recordDepth == 2 { recordDepth = 0 }
            case ASCII.colon, ASCII.comma:
                break
            default:
                if depth == 0, !ASCII.isSpace(byte) { stray() }
            }
            index += 1
        }
        if recording, recordStart >= 0 {
            record.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[recordStart...]))
            if record.count > Self.maximumRecord {
                session.problem(line: recordLine, "a record longer than \(Self.maximumRecord >> 20) MiB: skipped")
                recording = false
                record.removeAll()
            }
        }
    }

    /// Skips to just past the closing quote of the string being read (or to the end of the chunk), with `memchr`
    /// rather than byte by byte: most of a record is strings. A quote preceded by an odd run of backslashes is escaped.
    /// (JSON strings hold no raw newlines, so no line is missed.)
    private func skipString(_ chunk: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var start = index
        if escaped {
            escaped = false
            start += 1
        }
        var search = start
        while let quote = chunk.index(of: ASCII.quote, from: search) {
            var run = 0
            var back = quote - 1
            while back >= start, chunk[back] == ASCII.backslash {
                run += 1
                back -= 1
            }
            if run % 2 == 0 {
                inString = false
                return quote + 1
            }
            search = quote + 1
        }
        var run = 0
        var back = chunk.count - 1
        while back >= start, chunk[back] == ASCII.backslash {
            run += 1
            back -= 1
        }
        escaped = run % 2 == 1
        return chunk.count
    }

    func finish() {
        if recording {
            session.recordsRead += 1
            session.problem(line: recordLine, "truncated: the file ends in the middle of this record")
        } else if depth > 0 {
            session.problem(line: line, "truncated: the file ends before the closing \(rootIsArray ? "]" : "}")")
        }
    }

    private func stray() {
        guard !strayReported else { return }
        strayReported = true
        session.problem(line: line, "text outside any JSON record: ignored")
    }

    private func emit() {
        session.recordsRead += 1
        let number = recordLine
        record.withUnsafeBytes { bytes in
            if let needles = session.needles, !needles.matches(bytes) { return }
            guard let object = session.parseObject(bytes, line: number) else { return }
            let parsed = LogRecord(json: object)
            session.decide(keys: Set(parsed.fields.keys))
            if session.needles?.matches(bytes) == true { session.record(parsed, line: number) }
        }
    }

    /// Whether the text opens a Graph page: an object whose `value` member is a list (however long the first line).
    static func opensPage(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        var key: [UInt8] = []
        var lastKey: [UInt8] = []
        for byte in head {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == ASCII.backslash {
                    escaped = true
                } else if byte == ASCII.quote {
                    inString = false
                    if depth == 1 { lastKey = key }
                } else if depth == 1, key.count < 64 {
                    key.append(byte)
                }
                continue
            }
            switch byte {
            case ASCII.quote:
                inString = true
                key.removeAll(keepingCapacity: true)
            case ASCII.openBrace:
                depth += 1
            case ASCII.openBracket:
                if depth == 1, lastKey == valueKey { return true }
                depth += 1
            case ASCII.closeBrace, ASCII.closeBracket:
                depth -= 1
                if depth <= 0 { return false }
            default:
                break
            }
        }
        return false
    }
}

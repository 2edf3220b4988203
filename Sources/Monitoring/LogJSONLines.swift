import EntraModel
import Foundation

/// JSON Lines, one record a line — the fast path. Each block of whole lines is searched for the needles with
/// `memmem` first; only lines with a hit are parsed. Every line is still counted and checked to be `{…}`, so a
/// malformed line is reported with its number; a last line cut short is reported as truncated.
final class JSONLinesScanner: LogFormatScanner {
    let session: ScanSession
    /// The start of a line that continues into the next chunk.
    private var carry: [UInt8] = []
    /// Lines completed so far (the number of the last line handled).
    private var line = 0
    /// Skipping the rest of an overlong line.
    private var skipping = false
    static let maximumLine = 64 << 20

    init(session: ScanSession) { self.session = session }

    func consume(_ chunk: UnsafeBufferPointer<UInt8>) {
        var start = 0
        if !carry.isEmpty || skipping {
            guard let newline = chunk.index(of: ASCII.newline, from: 0) else {
                if !skipping { carry.append(contentsOf: chunk) }
                guardLength()
                return
            }
            if skipping {
                skipping = false
                line += 1
            } else {
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<newline]))
                line += 1
                carry.withUnsafeBytes { handleLine($0, number: line) }
            }
            carry.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        let rest = UnsafeBufferPointer(rebasing: chunk[start...])
        guard let lastNewline = rest.lastIndex(of: ASCII.newline) else {
            carry.append(contentsOf: rest)
            guardLength()
            return
        }
        block(UnsafeBufferPointer(rebasing: rest[0...lastNewline]))
        carry.append(contentsOf: UnsafeBufferPointer(rebasing: rest[(lastNewline + 1)...]))
    }

    func finish() {
        guard !carry.isEmpty, !skipping else { return }
        line += 1
        let number = line
        let complete = carry.withUnsafeBytes { bytes -> Bool in
            let trimmed = Self.trim(bytes)
            return trimmed.isEmpty || trimmed.last == ASCII.closeBrace
        }
        if complete {
            carry.withUnsafeBytes { handleLine($0, number: number) }
        } else {
            session.recordsRead += 1
            session.problem(line: number, "truncated: the file ends in the middle of this record")
        }
        carry.removeAll()
    }

    private func guardLength() {
        guard carry.count > Self.maximumLine else { return }
        session.problem(line: line + 1, "longer than \(Self.maximumLine >> 20) MiB: skipped")
        carry.removeAll()
        skipping = true
    }

    /// Whole lines, each ending with a newline.
    private func block(_ lines: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        // Until the first record has told what the file holds, every line is parsed.
        while !session.isDecided, offset < lines.count, let end = lines.index(of: ASCII.newline, from: offset) {
            line += 1
            handleLine(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(lines)[offset..<end]), number: line)
            offset = end + 1
        }
        guard offset < lines.count, let needles = session.needles else { return }
        let raw = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(lines)[offset...])
        let hits = needles.occurrences(in: raw)
        let body = UnsafeBufferPointer(rebasing: lines[offset...])
        var hitIndex = 0
        var position = 0
        var read = 0
        while position < body.count, let end = body.index(of: ASCII.newline, from: position) {
            line += 1
            read += 1
            var first = position
            while first < end, ASCII.isSpace(body[first]) { first += 1 }
            var last = end
            while last > first, ASCII.isSpace(body[last - 1]) { last -= 1 }
            var hit = false
            while hitIndex < hits.count, hits[hitIndex] < end {
                hit = true
                hitIndex += 1
            }
            if first < last {
                if body[first] != ASCII.openBrace || body[last - 1] != ASCII.closeBrace {
                    session.problem(line: line, "not a JSON object (it must start with { and end with }): skipped")
                } else if hit, let object = session.parseObject(UnsafeRawBufferPointer(rebasing: raw[first..<last]), line: line) {
                    session.record(LogRecord(json: object), line: line)
                }
            } else {
                read -= 1
            }
            position = end + 1
        }
        session.recordsRead += read
    }

    /// One line (without its newline), parsed when it mentions a target or is the file's first record.
    private func handleLine(_ bytes: UnsafeRawBufferPointer, number: Int) {
        let trimmed = Self.trim(bytes)
        guard !trimmed.isEmpty else { return }
        session.recordsRead += 1
        guard trimmed.first == ASCII.openBrace, trimmed.last == ASCII.closeBrace else {
            session.problem(line: number, "not a JSON object (it must start with { and end with }): skipped")
            return
        }
        if let needles = session.needles, !needles.matches(trimmed) { return }
        guard let object = session.parseObject(trimmed, line: number) else { return }
        let record = LogRecord(json: object)
        session.decide(keys: Set(record.fields.keys))
        if session.needles?.matches(trimmed) == true { session.record(record, line: number) }
    }

    static func trim(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, ASCII.isSpace(bytes[start]) { start += 1 }
        while end > start, ASCII.isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }
}

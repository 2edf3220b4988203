import Foundation

/// CSV as the Entra admin center and the Log Analytics portal download it, and as Excel saves it again (UTF-8 with BOM
/// and commas or semicolons, or "Unicode Text": UTF-16 with tabs): RFC 4180 quoting, fields that span lines, CRLF. The
/// first row is the header; a row is turned into a record only when one of its fields holds a needle.
final class CSVScanner: LogFormatScanner {
    let session: ScanSession
    let separator: UInt8
    private var header: [String]?
    private var fields: [[UInt8]] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    /// A quote inside a quoted field: either the end of the field or the first of a doubled quote.
    private var quoteSeen = false
    private var line = 1
    private var rowLine = 1
    private var rowBytes = 0
    private var fieldIsEmpty = true
    static let maximumRow = 16 << 20

    init(session: ScanSession, separator: UInt8) {
        self.session = session
        self.separator = separator
    }

    func consume(_ chunk: UnsafeBufferPointer<UInt8>) {
        for byte in chunk {
            rowBytes += 1
            if inQuotes {
                if quoteSeen {
                    quoteSeen = false
                    if byte == ASCII.quote {
                        field.append(byte)
                        continue
                    }
                    inQuotes = false
                    // Fall through: the byte after a closing quote.
                } else if byte == ASCII.quote {
                    quoteSeen = true
                    continue
                } else {
                    if byte == ASCII.newline { line += 1 }
                    field.append(byte)
                    continue
                }
            }
            switch byte {
            case separator:
                endField()
            case ASCII.newline:
                endField()
                endRow()
                line += 1
                rowLine = line
            case ASCII.carriageReturn:
                break
            case ASCII.quote where fieldIsEmpty && field.isEmpty:
                inQuotes = true
                fieldIsEmpty = false
            default:
                field.append(byte)
                fieldIsEmpty = false
            }
            if rowBytes > Self.maximumRow {
                session.problem(line: rowLine, "a row longer than \(Self.maximumRow >> 20) MiB: skipped")
                fields.removeAll()
                field.removeAll()
                inQuotes = false
                rowBytes = 0
            }
        }
    }

    func finish() {
        if inQuotes, !quoteSeen {
            session.recordsRead += 1
            session.problem(line: rowLine, "truncated: a quoted field is never closed")
            return
        }
        inQuotes = false
        if !field.isEmpty || !fields.isEmpty {
            endField()
            endRow()
        }
    }

    private func endField() {
        fields.append(field)
        field.removeAll(keepingCapacity: true)
        fieldIsEmpty = true
    }

    private func endRow() {
        defer {
            fields.removeAll(keepingCapacity: true)
            rowBytes = 0
        }
        // A blank line.
        if fields.count == 1, fields[0].isEmpty { return }
        guard let header else {
            let names = fields.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            // Excel's `sep=;` hint line comes before the header.
            if names.count == 1, names[0].lowercased().hasPrefix("sep=") { return }
            self.header = names
            session.decide(keys: Set(names.map(LogRecord.normalise)))
            return
        }
        session.recordsRead += 1
        guard let needles = session.needles, fields.contains(where: { needles.matches($0) }) else {
            if fields.count != header.count { reportWidth() }
            return
        }
        guard fields.count == header.count else { return reportWidth() }
        let values = fields.map { String(decoding: $0, as: UTF8.self) }
        session.record(LogRecord(header: header, values: values), line: rowLine)
    }

    private func reportWidth() {
        session.problem(line: rowLine, "\(fields.count) fields where the header has \(header?.count ?? 0): skipped")
    }

    /// The separator: the one Excel's `sep=;` hint line names, else the one the header line uses most outside quotes
    /// (tab, comma or semicolon).
    static func separator(of head: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var start = 0
        let hint = Array("sep=".utf8)
        if head.count > 4, zip(head.prefix(4), hint).allSatisfy({ $0 | 0x20 == $1 }) {
            if head[4] != ASCII.newline, head[4] != ASCII.carriageReturn { return head[4] }
            start = 5
        }
        var counts: [UInt8: Int] = [UInt8(ascii: "\t"): 0, ASCII.comma: 0, UInt8(ascii: ";"): 0]
        var inQuotes = false
        for byte in head[start...] {
            if byte == ASCII.quote { inQuotes.toggle() }
            if byte == ASCII.newline, !inQuotes { break }
            if !inQuotes, counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        return counts.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key ?? ASCII.comma
    }
}

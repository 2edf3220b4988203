import EntraModel
import Foundation

/// What `logs scan` needs besides the files.
public struct LogScanOptions: Sendable {
    public var targets: LogScanTargets
    /// Timeline entries before this are left out (the rotation verdict still reads everything).
    public var since: Date?
    /// The time the rotation grace period is measured against.
    public var now: Date
    public var rotationGraceHours: Int
    /// Password changes the tenant itself reports (users.json `lastPasswordChangeDateTime`), by account object id.
    public var knownPasswordChanges: [String: Date]
    public var chunkSize: Int

    public init(targets: LogScanTargets, since: Date? = nil, now: Date, rotationGraceHours: Int = 24,
                knownPasswordChanges: [String: Date] = [:], chunkSize: Int = 4 << 20) {
        self.targets = targets
        self.since = since
        self.now = now
        self.rotationGraceHours = rotationGraceHours
        self.knownPasswordChanges = knownPasswordChanges
        self.chunkSize = chunkSize
    }
}

/// One file as it was read.
public struct LogFileSummary: Sendable, Codable, Hashable {
    public var file: String
    public var format: String
    public var encoding: String
    /// `sign-ins`, `directory audits` or `unknown`, from the first record or the header.
    public var contents: String
    /// Records (lines, elements or rows) read, parsed because they mention a target, and malformed or truncated.
    public var recordsRead: Int
    public var recordsParsed: Int
    public var problems: Int
}

/// Reads sign-in and directory-audit logs as people download them, detecting each file's format from its content,
/// and builds the timeline and the rotation verdict.
public struct LogScanner: Sendable {
    public let options: LogScanOptions
    static let headSize = 64 << 10

    public init(options: LogScanOptions) { self.options = options }

    /// Scans the files in order; `problem` hears of each malformed or truncated record as it is met.
    public func scan(paths: [String], problem: @escaping (String) -> Void) throws -> LogScanReport {
        let interpreter = LogInterpreter(targets: options.targets)
        var events: [LogEvent] = []
        var summaries: [LogFileSummary] = []
        for path in paths {
            let name = URL(fileURLWithPath: path).lastPathComponent
            var found: [LogEvent] = []
            let session = ScanSession(file: name, targets: options.targets, onRecord: { record, line in
                found += interpreter.events(record, file: name, line: line)
            }, onProblem: problem)
            let (format, encoding) = try scan(path: path, session: session)
            events += found
            summaries.append(LogFileSummary(
                file: name, format: format, encoding: encoding.rawValue, contents: session.shape.rawValue,
                recordsRead: session.recordsRead, recordsParsed: session.recordsParsed, problems: session.problems))
        }
        var seen = Set<String>()
        events = events.sorted(by: LogEvent.ordered).filter { seen.insert($0.identity).inserted }
        let auditsRead = summaries.contains { $0.contents == LogShape.directoryAudits.rawValue }
        let rotation = RotationVerdict.all(events: events, options: options, auditsRead: auditsRead)
        let timeline = options.since.map { since in events.filter { $0.time >= since } } ?? events
        let accounts = rotation.map { verdict in
            verdict.accountID.map { verdict.account == $0 ? $0 : "\(verdict.account) (\($0))" } ?? verdict.account
        }
        return LogScanReport(files: summaries, accounts: accounts, since: options.since,
                             now: options.now, events: timeline, rotation: rotation)
    }

    func scan(path: String, session: ScanSession) throws -> (format: String, encoding: LogEncoding) {
        let reader = try LogByteReader(path: path, chunkSize: options.chunkSize)
        // The format is told from the first 64 KiB (or the whole file, if smaller), gathered from the first chunks.
        var head: [UInt8] = []
        var scanner: FormatScanner?
        var blank = false
        func start() throws {
            guard scanner == nil else { return }
            scanner = head.withUnsafeBufferPointer { FormatScanner.detect($0, session: session) }
            guard let scanner else {
                blank = head.allSatisfy(ASCII.isSpace)
                if blank { return }
                throw LogScanError.unknownFormat(file: session.file, reason: "no JSON or CSV found")
            }
            head.withUnsafeBufferPointer { scanner.scanner.consume($0) }
            head.removeAll()
        }
        try reader.forEachChunk { chunk in
            if let scanner { return scanner.scanner.consume(chunk) }
            head.append(contentsOf: chunk)
            if head.count >= Self.headSize { try start() }
        }
        try start()
        guard let scanner else { return ("empty", reader.encoding) }
        scanner.scanner.finish()
        if session.shape == .unknown {
            session.problem(line: nil, "holds neither sign-in nor directory-audit records (no field this tool knows): nothing read from it")
        }
        return (scanner.description, reader.encoding)
    }
}

/// The scanner for a file's format, chosen from its first chunk.
enum FormatScanner {
    case lines(JSONLinesScanner)
    case document(JSONDocumentScanner)
    case csv(CSVScanner)

    /// JSON when the text starts with `[`, or opens a Graph page (`{"value": [`); JSON Lines when the first non-blank
    /// line is a whole object (or, if it is malformed, when the next line also starts one); other JSON when it starts
    /// with `{`; CSV otherwise. Nil when the head is blank.
    static func detect(_ head: UnsafeBufferPointer<UInt8>, session: ScanSession) -> FormatScanner? {
        var lines: [UnsafeBufferPointer<UInt8>] = []
        var start = 0
        while lines.count < 2, start < head.count {
            let end = head.index(of: ASCII.newline, from: start) ?? head.count
            let trimmed = JSONLinesScanner.trim(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(head)[start..<end]))
            if !trimmed.isEmpty { lines.append(trimmed.bindMemory(to: UInt8.self)) }
            start = end + 1
        }
        guard let first = lines.first else { return nil }
        switch first.first {
        case ASCII.openBracket:
            return .document(JSONDocumentScanner(session: session))
        case ASCII.openBrace:
            guard first.count > 1, !JSONDocumentScanner.opensPage(head) else {
                return .document(JSONDocumentScanner(session: session))
            }
            if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(first)), value.isObject {
                return .lines(JSONLinesScanner(session: session))
            }
            let nextIsObject = lines.count > 1 && lines[1].first == ASCII.openBrace
            return nextIsObject ? .lines(JSONLinesScanner(session: session)) : .document(JSONDocumentScanner(session: session))
        default:
            return .csv(CSVScanner(session: session, separator: CSVScanner.separator(of: head)))
        }
    }

    var scanner: any LogFormatScanner {
        switch self {
        case .lines(let scanner): scanner
        case .document(let scanner): scanner
        case .csv(let scanner): scanner
        }
    }

    var description: String {
        switch self {
        case .lines: "JSON Lines"
        case .document: "JSON"
        case .csv(let scanner):
            "CSV (" + (scanner.separator == UInt8(ascii: "\t") ? "tab" : scanner.separator == ASCII.comma ? "comma" : "semicolon") + "-separated)"
        }
    }
}

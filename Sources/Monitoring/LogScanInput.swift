import Foundation
import SafeInput

/// How a log file's text is encoded, as its first bytes tell.
public enum LogEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16LE = "UTF-16 LE"
    case utf16BE = "UTF-16 BE"
}

/// Reads a file in fixed-size chunks and hands out UTF-8: UTF-8 with or without BOM as is, UTF-16 (with a BOM, as
/// Excel's "Unicode Text" writes it, or without one when the zero bytes give it away) transcoded on the fly. Memory is
/// a chunk or two, whatever the size of the file.
final class LogByteReader {
    let path: String
    let chunkSize: Int
    private let descriptor: Int32
    private(set) var encoding: LogEncoding = .utf8

    init(path: String, chunkSize: Int = 4 << 20) throws {
        self.path = path
        self.chunkSize = max(chunkSize, 16)
        do throws(InputFileError) {
            // A regular file, not followed through a symbolic link: streamed, so no size cap.
            descriptor = try InputFile.open(atPath: path)
        } catch {
            throw LogScanError.unreadable(file: path, reason: error.reason)
        }
    }

    deinit { close(descriptor) }

    /// Calls `body` with each chunk of UTF-8 text, in order; the buffer is only valid during the call.
    func forEachChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var raw = [UInt8](repeating: 0, count: chunkSize)
        var transcoder: UTF16Transcoder?
        var first = true
        while true {
            let count = try raw.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                var filled = 0
                // Fill the whole chunk (a pipe or a slow disk may return less), so the first chunk is enough to sniff.
                while filled < buffer.count {
                    let got = read(descriptor, base + filled, buffer.count - filled)
                    if got < 0 {
                        if errno == EINTR { continue }
                        throw LogScanError.unreadable(file: path, reason: String(cString: strerror(errno)))
                    }
                    if got == 0 { break }
                    filled += got
                }
                return filled
            }
            if count == 0 { break }
            var start = 0
            if first {
                first = false
                (encoding, start) = Self.sniff(raw, count: count)
                if encoding == .utf16LE || encoding == .utf16BE {
                    transcoder = UTF16Transcoder(bigEndian: encoding == .utf16BE)
                }
            }
            if var coder = transcoder {
                let utf8 = coder.transcode(raw[start..<count])
                transcoder = coder
                try utf8.withUnsafeBufferPointer(body)
            } else {
                try raw.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<count])) }
            }
            if count < chunkSize { break }
        }
        if let coder = transcoder, coder.hasLeftover {
            try [0xEF, 0xBF, 0xBD].withUnsafeBufferPointer(body)  // U+FFFD for a dangling byte or surrogate
        }
    }

    /// The encoding and the number of BOM bytes to skip.
    static func sniff(_ bytes: [UInt8], count: Int) -> (LogEncoding, Int) {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8BOM, 3) }
        if count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        if count >= 4 {
            if bytes[0] != 0, bytes[1] == 0, bytes[3] == 0 { return (.utf16LE, 0) }
            if bytes[0] == 0, bytes[1] != 0, bytes[2] == 0 { return (.utf16BE, 0) }
        }
        return (.utf8, 0)
    }
}

/// UTF-16 to UTF-8 across chunk boundaries: an odd trailing byte or a high surrogate waits for the next chunk.
struct UTF16Transcoder {
    let bigEndian: Bool
    private var pendingByte: UInt8?
    private var pendingHigh: UInt16?

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    var hasLeftover: Bool { pendingByte != nil || pendingHigh != nil }

    mutating func transcode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        func unit(_ a: UInt8, _ b: UInt8) -> UInt16 {
            bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a)
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2 + 1)
        if let byte = pendingByte, index < bytes.endIndex {
            units.append(unit(byte, bytes[index]))
            index += 1
            pendingByte = nil
        }
        while index + 1 < bytes.endIndex {
            units.append(unit(bytes[index], bytes[index + 1]))
            index += 2
        }
        if index < bytes.endIndex { pendingByte = bytes[index] }
        for value in units {
            if let high = pendingHigh {
                pendingHigh = nil
                if (0xDC00...0xDFFF).contains(value) {
                    let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(value) - 0xDC00)
                    Self.append(scalar, to: &out)
                    continue
                }
                Self.append(0xFFFD, to: &out)
            }
            if (0xD800...0xDBFF).contains(value) {
                pendingHigh = value
            } else if (0xDC00...0xDFFF).contains(value) {
                Self.append(0xFFFD, to: &out)
            } else {
                Self.append(UInt32(value), to: &out)
            }
        }
        return out
    }

    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80: out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

public enum LogScanError: Error, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case unknownFormat(file: String, reason: String)
}

extension LogScanError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        case .unknownFormat(let file, let reason): "\(file): not a sign-in or audit log this tool reads: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

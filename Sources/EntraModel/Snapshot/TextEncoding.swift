import Foundation

/// Turns a file's bytes into UTF-8: UTF-8 with or without BOM, and UTF-16 (LE or BE) with a BOM — what Windows
/// PowerShell's `Out-File` and `>` write — or without one when the zero bytes give it away.
public enum TextEncoding {
    public static func utf8(_ data: Data) -> Data? {
        let bytes = [UInt8](data.prefix(4))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return data.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return transcode(data.dropFirst(2), .utf16LittleEndian) }
        if bytes.starts(with: [0xFE, 0xFF]) { return transcode(data.dropFirst(2), .utf16BigEndian) }
        if bytes.count >= 4 {
            if bytes[0] != 0, bytes[1] == 0, bytes[3] == 0 { return transcode(data, .utf16LittleEndian) }
            if bytes[0] == 0, bytes[1] != 0, bytes[2] == 0 { return transcode(data, .utf16BigEndian) }
        }
        return data
    }

    private static func transcode(_ data: Data, _ encoding: String.Encoding) -> Data? {
        guard let text = String(data: Data(data), encoding: encoding) else { return nil }
        return Data(text.utf8)
    }
}

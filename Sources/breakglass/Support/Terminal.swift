import Foundation

enum Terminal {
    /// Colour when stdout is a terminal and NO_COLOR is unset (no-color.org).
    static var supportsColor: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
        if !text.hasSuffix("\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}

import Foundation
import SafeInput

/// A file as committed at a git ref (`git show REF:PATH`), for inputs that the working tree under review must not
/// supply.
enum GitFile {
    /// `reference` is `REF` (then `defaultPath`) or `REF:PATH`. Returns the text and `REF:PATH` for messages.
    static func read(reference: String, defaultPath: String) throws -> (text: String, source: String) {
        let object = reference.contains(":") ? reference : "\(reference):\(defaultPath)"
        guard !object.hasPrefix("-") else { throw UsageError("--config-ref '\(reference)' is not a git ref.") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "show", "--no-textconv", object]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw UsageError("--config-ref: cannot run git: \(error.localizedDescription)")
        }
        // Read at most the cap, then stop reading; a larger blob is refused.
        var data = Data()
        let handle = output.fileHandleForReading
        while data.count <= InputFile.configurationLimit {
            let chunk = handle.readData(ofLength: 64 * 1024)
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        if data.count > InputFile.configurationLimit {
            process.terminate()
            process.waitUntilExit()
            throw InputFileError.tooLarge(path: object, limit: InputFile.configurationLimit)
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().prefix(1000), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = TerminalText.escaped(message.split(separator: "\n").first.map(String.init) ?? "git failed")
            throw UsageError("--config-ref: cannot read \(object): \(reason)")
        }
        return (String(decoding: data, as: UTF8.self), object)
    }
}

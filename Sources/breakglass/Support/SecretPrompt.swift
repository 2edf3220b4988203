import Custody
import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#endif

/// Reads a secret from standard input. From a terminal: echo off (termios) while one line is typed or pasted, the
/// terminal's mode restored afterwards — also when the read is interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT —
/// so the secret never appears on the screen, in scrollback or in a screen recording. From a pipe or a file: the
/// whole input, as before.
enum SecretPrompt {
    /// The most a secret may be: what Shamir splits.
    static let maximumBytes = Shamir.maximumSecretLength

    static func read(prompt: String) throws -> Secret {
        guard isatty(STDIN_FILENO) == 1 else {
            return try Secret.read(fromFileDescriptor: STDIN_FILENO, maximumBytes: maximumBytes)
        }
        do {
            defer { FileHandle.standardError.write(Data("\n".utf8)) }
            return try TerminalEcho.withEchoOff(on: STDIN_FILENO, keepCanonical: true) {
                FileHandle.standardError.write(Data(prompt.utf8))
                return try Secret.read(fromFileDescriptor: STDIN_FILENO, maximumBytes: maximumBytes, oneLine: true)
            }
        } catch let error as TerminalEcho.TerminalError {
            throw CustodyError.cannotRead(path: "the terminal", reason: error.reason)
        }
    }
}

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
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else {
            throw CustodyError.cannotRead(path: "the terminal", reason: String(cString: strerror(errno)))
        }
        savedTerminal.pointee = original
        let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
        var previous: [Int32: sigaction] = [:]
        for signal in signals {
            var action = sigaction()
            #if canImport(Darwin)
                action.__sigaction_u.__sa_handler = restoreTerminalAndResignal
            #else
                action.__sigaction_handler.sa_handler = restoreTerminalAndResignal
            #endif
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO | ECHONL)
        silent.c_lflag |= tcflag_t(ICANON)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else {
            throw CustodyError.cannotRead(path: "the terminal", reason: String(cString: strerror(errno)))
        }
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            for (signal, old) in previous {
                var restored = old
                sigaction(signal, &restored, nil)
            }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        return try Secret.read(fromFileDescriptor: STDIN_FILENO, maximumBytes: maximumBytes, oneLine: true)
    }
}

/// The terminal mode to put back from a signal handler: written before the handlers are installed, then only read.
nonisolated(unsafe) private let savedTerminal = UnsafeMutablePointer<termios>.allocate(capacity: 1)

/// Async-signal-safe: tcsetattr, signal and raise only. The default action then ends the process as the signal
/// would have.
private func restoreTerminalAndResignal(_ number: Int32) {
    _ = tcsetattr(STDIN_FILENO, TCSANOW, savedTerminal)
    _ = signal(number, SIG_DFL)
    _ = raise(number)
}

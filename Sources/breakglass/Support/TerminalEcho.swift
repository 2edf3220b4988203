import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#endif

/// Echo turned off on a terminal while a secret is typed, and the terminal's mode put back afterwards — also when the
/// read is interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT — so a secret never shows on the screen, in scrollback or
/// in a screen recording, and the operator's shell is not left silent (issue 10, item 1).
enum TerminalEcho {
    static let interruptions = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Runs `body` with echo off on `descriptor`. A process may be started with these signals blocked (a runner's
    /// worker thread hands its mask to the processes it spawns): they are unblocked on this thread for the read, or
    /// Ctrl-C would do nothing while the terminal stays silent.
    static func withEchoOff<T>(on descriptor: Int32, keepCanonical: Bool = false, _ body: () throws -> T) throws -> T {
        var original = termios()
        guard tcgetattr(descriptor, &original) == 0 else {
            throw TerminalError(reason: String(cString: strerror(errno)))
        }
        savedTerminal.pointee = original
        savedDescriptor.pointee = descriptor

        var previous: [Int32: sigaction] = [:]
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in interruptions {
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
            sigaddset(&handled, signal)
        }
        var previousMask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &handled, &previousMask)

        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO | ECHONL)
        if keepCanonical { silent.c_lflag |= tcflag_t(ICANON) }
        defer {
            _ = tcsetattr(descriptor, TCSAFLUSH, &original)
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            for (signal, old) in previous {
                var restored = old
                sigaction(signal, &restored, nil)
            }
        }
        guard tcsetattr(descriptor, TCSAFLUSH, &silent) == 0 else {
            throw TerminalError(reason: String(cString: strerror(errno)))
        }
        return try body()
    }

    struct TerminalError: Error {
        let reason: String
    }
}

/// The terminal mode and descriptor to put back from a signal handler: written before the handlers are installed,
/// then only read.
nonisolated(unsafe) private let savedTerminal = UnsafeMutablePointer<termios>.allocate(capacity: 1)
nonisolated(unsafe) private let savedDescriptor = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

/// Async-signal-safe: tcsetattr, signal and raise only. The default action then ends the process as the signal
/// would have.
private func restoreTerminalAndResignal(_ number: Int32) {
    _ = tcsetattr(savedDescriptor.pointee, TCSANOW, savedTerminal)
    _ = signal(number, SIG_DFL)
    _ = raise(number)
}

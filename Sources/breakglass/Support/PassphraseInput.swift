import ArgumentParser
import Custody
import Foundation
import SafeInput

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a custodian's passphrase comes from: `--passphrase-file`, else `BREAKGLASS_PASSPHRASE` (for automation and
/// tests), else typed on the terminal with echo off. Never an argument: arguments show in `ps`.
struct PassphraseOptions: ParsableArguments {
    @Option(name: .customLong("passphrase-file"), help: "Read the passphrase from this file's first line.", completion: .file())
    var passphraseFile: String?

    func read(prompt: String, confirm: Bool = false) throws -> Secret {
        try Self.read(file: passphraseFile, prompt: prompt, confirm: confirm)
    }

    /// As `read(prompt:confirm:)`, from `file` when one is given (commands that open several keys give one each).
    static func read(file passphraseFile: String?, prompt: String, confirm: Bool = false) throws -> Secret {
        if let passphraseFile {
            let data = try InputFile.read(atPath: passphraseFile, limit: InputFile.smallFileLimit)
            var bytes = Array(data.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") })
            return Secret(wiping: &bytes)
        }
        if let value = ProcessInfo.processInfo.environment["BREAKGLASS_PASSPHRASE"], !value.isEmpty {
            return Secret(utf8: value)
        }
        let first = try readFromTerminal(prompt)
        if confirm {
            let second = try readFromTerminal("Again: ")
            guard first == second else { throw UsageError("the two passphrases differ") }
        }
        return first
    }

    /// Reads one line from /dev/tty with echo turned off (and restored, whatever happens, also on SIGINT).
    static func readFromTerminal(_ prompt: String) throws -> Secret {
        let descriptor = Foundation.open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw UsageError("no terminal to ask for the passphrase: give --passphrase-file or set BREAKGLASS_PASSPHRASE")
        }
        defer { Foundation.close(descriptor) }
        defer { _ = Foundation.write(descriptor, "\n", 1) }
        do {
            return try TerminalEcho.withEchoOff(on: descriptor) {
                _ = prompt.withCString { Foundation.write(descriptor, $0, strlen($0)) }
                // Capacity reserved once: appending never moves the passphrase to a new buffer, leaving the old one
                // unwiped.
                let maximum = 1024
                var bytes: [UInt8] = []
                bytes.reserveCapacity(maximum)
                var byte: UInt8 = 0
                while bytes.count < maximum, Foundation.read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n"),
                    byte != UInt8(ascii: "\r")
                {
                    bytes.append(byte)
                }
                byte = 0
                return Secret(wiping: &bytes)
            }
        } catch is TerminalEcho.TerminalError {
            throw UsageError("cannot turn off echo on the terminal")
        }
    }
}

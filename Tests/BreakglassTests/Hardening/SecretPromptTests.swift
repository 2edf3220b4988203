import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `custody split` reading the secret from a real pseudo-terminal: nothing typed is echoed back, and the terminal's
/// mode is the same afterwards, also when the read is interrupted by SIGINT (issue 10, item 1).
@Suite("Secret prompt on a terminal", .serialized)
struct SecretPromptTests {
    static let secret = "hunter2-Correct-Horse-7"

    /// A pseudo-terminal pair; the child gets the slave as its standard input.
    final class Terminal {
        var master: Int32 = -1
        var slave: Int32 = -1

        init() throws {
            guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw POSIXError(.ENODEV) }
            _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        }

        deinit {
            close(master)
            close(slave)
        }

        var echoes: Bool {
            var mode = termios()
            _ = tcgetattr(slave, &mode)
            return mode.c_lflag & tcflag_t(ECHO) != 0
        }

        func type(_ text: String) {
            _ = text.withCString { write(master, $0, strlen($0)) }
        }

        /// Whatever the terminal shows (its output side), without waiting for more.
        func screen() -> String {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Starts `custody split` on the terminal and waits for its prompt on stderr.
    func startSplit(on terminal: Terminal, out: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["custody", "split", "-k", "2", "-n", "2", "--out", out, "--no-ledger"]
        process.standardInput = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        process.standardOutput = Pipe()
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var prompt = ""
        while !prompt.contains("Type or paste") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            prompt += String(decoding: chunk, as: UTF8.self)
        }
        return (process, errors)
    }

    func waitForExit(_ process: Process, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            // SIGKILL, not terminate(): a child that blocks SIGTERM would keep the whole test run waiting.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return true
    }

    @Test("A secret typed at the terminal is not echoed, one line is read, and the terminal keeps its mode")
    func typedSecretIsNotEchoed() throws {
        let terminal = try Terminal()
        #expect(terminal.echoes)
        let folder = Fixture.temporaryDirectory().appendingPathComponent("sheets").path
        let (process, _) = try startSplit(on: terminal, out: folder)
        terminal.type(Self.secret + "\n")
        let exited = waitForExit(process)
        let screen = terminal.screen()
        #expect(exited, "split kept reading after the line was entered")
        #expect(!screen.contains(Self.secret), "the secret was echoed on the terminal")
        #expect(!screen.contains("hunter2"))
        #expect(process.terminationStatus == 0)
        #expect(terminal.echoes, "the terminal was left without echo")

        let sheets = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { "\(folder)/\($0)" }
        try #require(sheets.count == 2)
        let combined = try CLI.run(["custody", "combine", sheets[0], sheets[1], "--no-ledger"])
        #expect(combined.stdout == Self.secret + "\n", "the line typed is the secret split, without its newline")
    }

    @Test("SIGINT while the secret is being typed restores echo before the process ends")
    func interruptRestoresTheTerminal() throws {
        let terminal = try Terminal()
        let folder = Fixture.temporaryDirectory().appendingPathComponent("sheets").path
        let (process, _) = try startSplit(on: terminal, out: folder)
        terminal.type("half-typed")
        usleep(200_000)
        kill(process.processIdentifier, SIGINT)
        #expect(waitForExit(process))
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(terminal.echoes, "SIGINT left the terminal without echo")
        #expect(!terminal.screen().contains("half-typed"))
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

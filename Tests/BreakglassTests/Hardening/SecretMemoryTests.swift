import Foundation
import Testing

@testable import Custody

/// Secrets read into a buffer sized once and wiped; passphrases built without reallocating (issue 10, item 14).
@Suite("Secrets in memory")
struct SecretMemoryTests {
    /// Writes `bytes` into a pipe (closing it) and reads a secret from its other end.
    func readThroughPipe(_ bytes: [UInt8], maximum: Int, oneLine: Bool = false) throws -> Secret {
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data(bytes))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        return try Secret.read(
            fromFileDescriptor: pipe.fileHandleForReading.fileDescriptor, maximumBytes: maximum, oneLine: oneLine)
    }

    @Test("Standard input: one trailing LF or CRLF dropped, a line at most when asked, nothing over the cap")
    func readsWithinTheCap() throws {
        #expect(try readThroughPipe(Array("abc\r\n".utf8), maximum: 8) == Secret(utf8: "abc"))
        #expect(try readThroughPipe(Array("a b\n\n".utf8), maximum: 8) == Secret(utf8: "a b\n"))
        #expect(try readThroughPipe(Array("first\nsecond\n".utf8), maximum: 64, oneLine: true) == Secret(utf8: "first"))
        #expect(try readThroughPipe(Array(repeating: 0x41, count: 8) + [0x0A], maximum: 8).count == 8)
        #expect(throws: CustodyError.secretTooLong(bytes: 100_000, maximum: 8)) {
            try readThroughPipe(Array(repeating: 0x41, count: 100_000), maximum: 8)
        }
    }

    @Test("Passphrases fit the capacity reserved before the first append", arguments: [5, 7, 24])
    func passphraseCapacity(words: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let bound = PasswordGenerator.maximumPassphraseLength(words: words)
        for _ in 0..<50 {
            let passphrase = try PasswordGenerator.passphrase(words: words, using: &generator)
            #expect(passphrase.secret.count <= bound)
        }
        let longest = WordList.words.map(\.utf8.count).max() ?? 0
        #expect(bound == words * longest + words)
    }
}

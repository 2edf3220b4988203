import ArgumentParser
import Custody
import Foundation

struct PasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Generate passwords that Entra ID accepts for emergency accounts.",
        subcommands: [Generate.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random password to stdout and its entropy in bits to stderr.",
            discussion: """
                Characters come from the 94 printable ASCII characters Entra ID allows (no space), drawn with the \
                system's secure random generator; every password has upper and lower case, digits and symbols. \
                With --words, a passphrase of capitalised words joined by '-' and ending in a digit.
                Example: breakglass password generate --words 7
                """
        )

        @Option(help: "Number of characters, 8 to 256 (default \(PasswordGenerator.defaultLength)).")
        var length: Int?

        @Option(help: "A passphrase of this many words (5 to 24) instead of characters.")
        var words: Int?

        func validate() throws {
            if length != nil, words != nil { throw ValidationError("Give --length or --words, not both.") }
            if let length, !PasswordGenerator.lengthRange.contains(length) {
                throw ValidationError("--length must be 8 to 256: Entra ID accepts nothing else.")
            }
            if let words, !PasswordGenerator.wordCountRange.contains(words) {
                throw ValidationError("--words must be 5 to 24.")
            }
        }

        func run() throws {
            try reportingCustodyErrors {
                let generated =
                    try words.map { try PasswordGenerator.passphrase(words: $0) }
                    ?? PasswordGenerator.password(length: length ?? PasswordGenerator.defaultLength)
                try SecretFile.write(generated.secret, toFileDescriptor: STDOUT_FILENO)
                FileHandle.standardOutput.write(Data("\n".utf8))
                let bits = String(format: "%.1f", generated.entropyBits)
                FileHandle.standardError.write(Data("entropy: \(bits) bits\n".utf8))
            }
        }
    }
}

import ArgumentParser
import Custody
import Foundation

struct CustodianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custodian",
        abstract: "Custodian identities: the personal keys that sign (approve) provisioning and rotation plans.",
        subcommands: [Enroll.self, Show.self]
    )

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a custodian's Ed25519 key (encrypted with a passphrase, mode 0600) and print its public key.",
            discussion: """
                The private key is sealed with AES-256-GCM under a key derived from the passphrase with scrypt \
                (N=2^17, r=8, p=1, recorded in the file). Add the printed publicKey to breakglass.yml under \
                custody.custodians. The passphrase is typed without echo, or read from --passphrase-file or \
                BREAKGLASS_PASSPHRASE.
                Example: breakglass custodian enroll --name alice@contoso.com --out alice.key
                """
        )

        @Option(help: "The custodian's name, as breakglass.yml lists it.") var name: String
        @Option(help: "The key file to create (never replaced).", completion: .file()) var out: String
        @Option(name: .customLong("kdf-log-n"), help: "scrypt cost: N = 2^this (default 17; lower only on slow machines or in tests).")
        var kdfLogN = 17
        @OptionGroup var passphrase: PassphraseOptions

        func validate() throws {
            guard (12...22).contains(kdfLogN) else { throw ValidationError("--kdf-log-n must be 12…22.") }
        }

        func run() throws {
            try reportingCustodyErrors {
                guard !FileManager.default.fileExists(atPath: out) else { throw CustodyError.fileExists(path: out) }
                let secret = try passphrase.read(prompt: "Passphrase for \(name)'s key: ", confirm: true)
                let key = CustodianKey(name: name)
                try key.write(toPath: out, passphrase: secret, parameters: ScryptParameters(n: 1 << kdfLogN, r: 8, p: 1))
                custodyWrite("""
                    Wrote \(out) (mode 0600). Add to breakglass.yml:
                    custody:
                      custodians:
                        - name: \(name)
                          publicKey: \(key.publicKey)

                    """, to: .standardOutput)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the name and public key of a custodian key file.",
            discussion: "Example: breakglass custodian show alice.key")

        @Argument(help: "A key file written by 'custodian enroll'.", completion: .file()) var key: String

        func run() throws {
            try reportingCustodyErrors {
                let (name, publicKey) = try CustodianKey.publicKey(atPath: key)
                custodyWrite("\(name) \(publicKey)\n", to: .standardOutput)
            }
        }
    }
}

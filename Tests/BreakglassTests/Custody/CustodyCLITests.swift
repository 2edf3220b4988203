import Foundation
import GRDB
import Testing

/// Runs the built `breakglass` binary; stdout and stderr are compared, never printed.
@Suite("Custody command line")
struct CustodyCLITests {
    static let secret = "Tr0ub4dor&3-emergency-access"

    /// Splits `secret` 3-of-5 into `folder/sheets` with a ledger; returns the sheet paths in share order.
    func split(in folder: CustodyTemporaryDirectory, secret: String = secret) throws -> [String] {
        let result = try runCustodyCLI(
            [
                "custody", "split", "--threshold", "3", "--shares", "5", "--out", folder.path + "/sheets",
                "--custodians", "ann,ben,cat,dan,eve", "--ledger", folder.path + "/ledger.sqlite", "--new-ledger",
            ],
            standardInput: secret + "\n"
        )
        try #require(result.status == 0, "split failed: \(result.standardError)")
        #expect(!result.standardOutput.contains(secret) && !result.standardError.contains(secret))
        let sheets = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/sheets").sorted()
        return sheets.map { folder.path + "/sheets/" + $0 }
    }

    @Test func passwordGeneratePrintsThePasswordAndItsEntropy() throws {
        let characters = try runCustodyCLI(["password", "generate"])
        #expect(characters.status == 0)
        #expect(characters.standardOutput.count == 33 && characters.standardOutput.hasSuffix("\n"))
        #expect(characters.standardError == "entropy: 209.7 bits\n")

        let words = try runCustodyCLI(["password", "generate", "--words", "6"])
        #expect(words.status == 0)
        #expect(words.standardOutput.split(separator: "-").count == 6)
        #expect(words.standardError.hasPrefix("entropy: "))

        #expect(try runCustodyCLI(["password", "generate", "--length", "7"]).status == 2)
        #expect(try runCustodyCLI(["password", "generate", "--length", "20", "--words", "6"]).status == 2)
    }

    @Test func splitThenCombineRoundTripsThroughStandardInput() throws {
        let folder = try CustodyTemporaryDirectory()
        let sheets = try split(in: folder)
        #expect(sheets.count == 5)
        #expect(try folder.permissions(of: folder.path + "/sheets") == 0o700)
        for sheet in sheets { #expect(try folder.permissions(of: sheet) == 0o600) }
        #expect(try String(contentsOfFile: sheets[0], encoding: .utf8).contains("Custodian:  ann"))

        let ledger = folder.path + "/ledger.sqlite"
        let combined = try runCustodyCLI(["custody", "combine", sheets[4], sheets[0], sheets[2], "--ledger", ledger])
        #expect(combined.status == 0)
        let matches = combined.standardOutput == Self.secret + "\n"
        #expect(matches, "combine did not give back the secret")
        #expect(!combined.standardError.contains(Self.secret))

        let out = folder.path + "/recovered.txt"
        let toFile = try runCustodyCLI([
            "custody", "combine", sheets[1], sheets[3], sheets[2], "--out", out, "--ledger", ledger,
        ])
        #expect(toFile.status == 0 && toFile.standardOutput.isEmpty)
        #expect(try folder.permissions(of: out) == 0o600)
        let fileMatches = try String(contentsOfFile: out, encoding: .utf8) == Self.secret
        #expect(fileMatches, "the --out file does not hold the secret")

        let shown = try runCustodyCLI(["custody", "ledger", "show", "--ledger", ledger])
        #expect(shown.status == 0)
        #expect(!shown.standardOutput.contains(Self.secret))
        let actions = shown.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: " ")[3] }
        #expect(actions == ["split", "combine", "combine"])
        #expect(shown.standardOutput.contains("cli-tester"))
        #expect(try runCustodyCLI(["custody", "ledger", "verify", "--ledger", ledger]).status == 0)
    }

    @Test func tooFewSharesExit5AndAreRecorded() throws {
        let folder = try CustodyTemporaryDirectory()
        let sheets = try split(in: folder)
        let ledger = folder.path + "/ledger.sqlite"
        let result = try runCustodyCLI(["custody", "combine", sheets[0], sheets[1], "--ledger", ledger])
        #expect(result.status == 5)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "error: quorum not met: 2 shares given, 3 needed\n")
        let shown = try runCustodyCLI(["custody", "ledger", "show", "--ledger", ledger]).standardOutput
        #expect(shown.contains("combineRefused") && shown.contains("quorum not met"))
    }

    @Test func corruptMalformedOrForeignSharesExit3() throws {
        let folder = try CustodyTemporaryDirectory()
        let sheets = try split(in: folder)

        // One character of share line 2 changed to another share character.
        var lines = try String(contentsOfFile: sheets[1], encoding: .utf8).components(separatedBy: "\n")
        let lineIndex = try #require(lines.firstIndex { $0.hasPrefix("02  ") })
        var characters = Array(lines[lineIndex])
        characters[4] = characters[4] == "Z" ? "Y" : "Z"
        lines[lineIndex] = String(characters)
        let typo = folder.path + "/typo.txt"
        try lines.joined(separator: "\n").write(toFile: typo, atomically: true, encoding: .utf8)
        let corrupt = try runCustodyCLI(["custody", "combine", sheets[0], typo, sheets[2], "--no-ledger"])
        #expect(corrupt.status == 3)
        // After the --no-ledger warning, the error names the file and the line.
        #expect(corrupt.standardError.hasPrefix("warning: --no-ledger"))
        #expect(corrupt.standardError.contains("\nerror: \(typo): line 2 of the share"))

        let garbage = folder.path + "/garbage.txt"
        try "not a share at all\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        #expect(try runCustodyCLI(["custody", "combine", sheets[0], garbage, sheets[2], "--no-ledger"]).status == 3)

        let other = try CustodyTemporaryDirectory()
        let foreign = try split(in: other, secret: "another secret entirely")
        let mixed = try runCustodyCLI(["custody", "combine", sheets[0], sheets[1], foreign[2], "--no-ledger"])
        #expect(mixed.status == 3)
        #expect(mixed.standardError.contains("different sets"))

        let repeated = try runCustodyCLI(["custody", "combine", sheets[0], sheets[1], sheets[0], "--no-ledger"])
        #expect(repeated.status == 3)
    }

    @Test func usageAndInputErrors() throws {
        let folder = try CustodyTemporaryDirectory()
        let tooLow = try runCustodyCLI(["custody", "split", "--threshold", "1", "--shares", "3", "--out", folder.path])
        #expect(tooLow.status == 2)
        let names = try runCustodyCLI(
            ["custody", "split", "-k", "2", "-n", "3", "--out", folder.path, "--custodians", "ann,ben", "--no-ledger"],
            standardInput: "x"
        )
        #expect(names.status == 2)
        let empty = try runCustodyCLI(
            ["custody", "split", "-k", "2", "-n", "3", "--out", folder.path, "--no-ledger"], standardInput: "\n")
        #expect(empty.status == 3)
        #expect(empty.standardError.hasSuffix("\nerror: the secret is empty\n"))
        #expect(
            try runCustodyCLI(["custody", "ledger", "verify", "--ledger", folder.path + "/none.sqlite"]).status == 3)
    }

    @Test func ledgerVerifyExits1NamingTheFirstBrokenEntry() throws {
        let folder = try CustodyTemporaryDirectory()
        let sheets = try split(in: folder)
        let ledger = folder.path + "/ledger.sqlite"
        for _ in 0..<3 {
            _ = try runCustodyCLI(["custody", "combine", sheets[0], sheets[1], sheets[2], "--ledger", ledger])
        }

        let keys = try CustodyTemporaryDirectory()
        let key = keys.path + "/checkpoint-key"
        let checkpoint = try runCustodyCLI(["custody", "ledger", "checkpoint", "--ledger", ledger, "--key", key])
        #expect(checkpoint.status == 0)
        #expect(checkpoint.standardOutput.hasPrefix("breakglass custody ledger\n4\n"))
        #expect(try folder.permissions(of: key) == 0o600)
        let checkpointPath = folder.path + "/checkpoint.txt"
        try checkpoint.standardOutput.write(toFile: checkpointPath, atomically: true, encoding: .utf8)
        #expect(
            try runCustodyCLI(["custody", "ledger", "verify", "--ledger", ledger, "--checkpoint", checkpointPath])
                .status == 0)

        let database = try DatabaseQueue(path: ledger)
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER ledgerEntryAppendOnlyDelete; DELETE FROM ledgerEntry WHERE sequence = 4;")
        }
        #expect(try runCustodyCLI(["custody", "ledger", "verify", "--ledger", ledger]).status == 0)
        let truncated = try runCustodyCLI([
            "custody", "ledger", "verify", "--ledger", ledger, "--checkpoint", checkpointPath,
        ])
        #expect(truncated.status == 1)
        #expect(truncated.standardError.contains("ends at entry 3 but the checkpoint covers 4"))

        try database.writeWithoutTransaction { db in
            try db.execute(
                sql:
                    "DROP TRIGGER ledgerEntryAppendOnlyUpdate; UPDATE ledgerEntry SET actor = 'eve' WHERE sequence = 2;"
            )
        }
        let edited = try runCustodyCLI(["custody", "ledger", "verify", "--ledger", ledger])
        #expect(edited.status == 1)
        #expect(edited.standardError.hasPrefix("error: ledger \(ledger) fails verification: entry 2 was changed"))
    }
}

private struct CustodyCLIResult {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

/// The `breakglass` executable built beside this test bundle (`.build/<configuration>/breakglass`).
private func custodyCLIBinary() throws -> URL {
    let folders =
        [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        + Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }.map {
            $0.deletingLastPathComponent()
        }
    let candidates = folders.flatMap { [$0, $0.deletingLastPathComponent()] }.map {
        $0.appendingPathComponent("breakglass")
    }
    guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw CustodyCLIMissing(searched: candidates.map(\.path))
    }
    return binary
}

private struct CustodyCLIMissing: Error, CustomStringConvertible {
    let searched: [String]
    var description: String { "the breakglass executable is not built; looked in \(searched.joined(separator: ", "))" }
}

private func runCustodyCLI(_ arguments: [String], standardInput: String? = nil) throws -> CustodyCLIResult {
    let scratch = try CustodyTemporaryDirectory()
    let inputPath = scratch.path + "/stdin"
    let outputPath = scratch.path + "/stdout"
    let errorPath = scratch.path + "/stderr"
    try (standardInput ?? "").write(toFile: inputPath, atomically: true, encoding: .utf8)
    try Data().write(to: URL(fileURLWithPath: outputPath))
    try Data().write(to: URL(fileURLWithPath: errorPath))

    let process = Process()
    process.executableURL = try custodyCLIBinary()
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["USER"] = "cli-tester"
    process.environment = environment
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    try process.run()
    process.waitUntilExit()
    return CustodyCLIResult(
        status: process.terminationStatus,
        standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
        standardError: try String(contentsOfFile: errorPath, encoding: .utf8)
    )
}

import EntraModel
import Foundation
import Posture
import SafeInput
import Testing

/// Untrusted input files (a pull request's policies, a downloaded export, a snapshot) cannot exhaust memory or the
/// stack, or make the tool read a device (issue 10, items 8–12).
@Suite("Input hardening")
struct InputHardeningTests {
    static let good = Fixture.url("good")
    static var config: String { good.appendingPathComponent("breakglass.yml").path }

    static func nested(_ depth: Int, inner: String = "1") -> String {
        String(repeating: "[", count: depth) + inner + String(repeating: "]", count: depth)
    }

    // Item 8

    @Test("Snapshots are written 0700 (every folder) and 0600 (every file), whatever the umask")
    func snapshotModes() throws {
        let out = Fixture.temporaryDirectory().appendingPathComponent("snap")
        let previous = umask(0)
        defer { umask(previous) }
        let result = try CLI.run(["snapshot", "--demo", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        func mode(_ url: URL) throws -> Int {
            try #require((try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue)
        }
        #expect(try mode(out) == 0o700)
        let walker = try #require(FileManager.default.enumerator(at: out, includingPropertiesForKeys: [.isDirectoryKey]))
        var files = 0
        for case let url as URL in walker {
            let isDirectory = try url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory == true
            #expect(try mode(url) == (isDirectory ? 0o700 : 0o600), "\(url.lastPathComponent)")
            if !isDirectory { files += 1 }
        }
        #expect(files > 5)
    }

    // Item 9

    @Test("A policy file that is a symbolic link to /dev/zero is refused at once (exit 3), not read")
    func symlinkToDevice() throws {
        let folder = Fixture.temporaryDirectory()
        let link = folder.appendingPathComponent("a.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/dev/zero")
        for paths in [[link.path], [folder.path]] {
            let result = try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies"] + paths)
            #expect(result.status == 3)
            #expect(result.stderr.contains("a.json") && result.stderr.contains("symbolic link"), "\(result.stderr)")
        }
        #expect(throws: InputFileError.notARegularFile(path: "/dev/zero", kind: "a character device")) {
            try InputFile.read(atPath: "/dev/zero", limit: 1024)
        }
        let fifo = folder.appendingPathComponent("fifo.json").path
        mkfifo(fifo, 0o600)
        let piped = try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies", fifo])
        #expect(piped.status == 3)
        #expect(piped.stderr.contains("a pipe"))
    }

    @Test("Files over their cap are refused with the limit named (exit 3)")
    func sizeCaps() throws {
        let folder = Fixture.temporaryDirectory()
        let big = folder.appendingPathComponent("big.json")
        _ = FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(InputFile.policyFileLimit) + 1)  // sparse: no disk used
        try handle.close()
        let result = try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies", big.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("larger than 64 MiB"), "\(result.stderr)")

        let small = folder.appendingPathComponent("small.txt")
        try Data("12345".utf8).write(to: small)
        #expect(try InputFile.read(atPath: small.path, limit: 5) == Data("12345".utf8))
        #expect(throws: InputFileError.tooLarge(path: small.path, limit: 4)) {
            try InputFile.read(atPath: small.path, limit: 4)
        }
    }

    @Test("A symbolic link inside a snapshot folder, and a symlinked breakglass.yml, are refused (exit 3)")
    func symlinksInSnapshotAndConfiguration() throws {
        let copy = try Fixture.copy("good")
        let users = copy.appendingPathComponent("users.json")
        try FileManager.default.removeItem(at: users)
        try FileManager.default.createSymbolicLink(atPath: users.path, withDestinationPath: "/dev/zero")
        let audit = try CLI.run(["audit", "--snapshot", copy.path, "--config", Self.config])
        #expect(audit.status == 3)
        #expect(audit.stderr.contains("users.json"), "\(audit.stderr)")

        let link = Fixture.temporaryDirectory().appendingPathComponent("breakglass.yml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: Self.config)
        let configured = try CLI.run(["audit", "--snapshot", Self.good.path, "--config", link.path])
        #expect(configured.status == 3)
        #expect(configured.stderr.contains("symbolic link"))
    }

    // Item 10

    @Test("A 1,000-level JSON document is an input error (exit 3) in every reader, never a crash", arguments: [
        "policies", "users", "sessionControls",
    ])
    func deeplyNestedJSON(place: String) throws {
        let folder = Fixture.temporaryDirectory()
        let deep = Self.nested(1000)
        switch place {
        case "policies":
            let file = folder.appendingPathComponent("deep.json")
            try Data(#"{"value":[{"id":"p","displayName":"x","state":"enabled","sessionControls":\#(deep)}]}"#.utf8).write(to: file)
            let result = try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies", file.path])
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains("deep.json"))
        case "users":
            let copy = try Fixture.copy("good")
            try Data(#"{"value":[{"id":"u","extra":\#(deep)}]}"#.utf8).write(to: copy.appendingPathComponent("users.json"))
            let result = try CLI.run(["audit", "--snapshot", copy.path, "--config", Self.config])
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains("users.json"))
        default:
            let copy = try Fixture.copy("good")
            let policies = copy.appendingPathComponent("conditional-access-policies.json")
            try Data(#"{"value":[{"id":"p","displayName":"x","state":"enabled","sessionControls":\#(deep)}]}"#.utf8).write(to: policies)
            let result = try CLI.run(["audit", "--snapshot", copy.path, "--config", Self.config])
            #expect(result.status == 3, "\(result.stderr)")
        }
    }

    @Test("Nesting past 64 levels — under Foundation's own limit, over what a small stack survives — is refused")
    func nestingBelowFoundationsLimit() throws {
        let decoder = JSONDecoder()
        #expect(throws: JSONNestingError.self) {
            try decoder.decode(JSONValue.self, from: Data(Self.nested(150).utf8))
        }
        #expect(try decoder.decode(JSONValue.self, from: Data(Self.nested(40).utf8)) != .null)
        #expect(!JSONNesting.isWithin(Data(Self.nested(65).utf8)))
        #expect(JSONNesting.isWithin(Data(Self.nested(64).utf8)))
        #expect(JSONNesting.isWithin(Data(#"["[[[[\"{{{{", {"a": "]]]"}]"#.utf8), limit: 2))

        let file = Fixture.temporaryDirectory().appendingPathComponent("deep.json")
        let policy = #"{"id":"p","displayName":"x","state":"enabled","sessionControls":{"x":\#(Self.nested(150))}}"#
        try Data(policy.utf8).write(to: file)
        let result = try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies", file.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("nested more than 64 levels"), "\(result.stderr)")
    }

    // Item 11

    @Test("breakglass.yml: anchors and aliases are refused, an alias bomb at once; the size is capped")
    func yamlAnchorsAndSize() throws {
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse("""
                guidance: &g
                  minAccounts: 2
                custody: *g
                """)
        }
        var bomb = "a: &a [\"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\"]\n"
        for level in 1..<12 {
            let previous = level == 1 ? "a" : "a\(level - 1)"
            bomb += "a\(level): &a\(level) [\(Array(repeating: "*\(previous)", count: 9).joined(separator: ", "))]\n"
        }
        bomb += "emergencyAccounts: *a11\n"
        do {
            _ = try Configuration.parse(bomb)
            Issue.record("the alias bomb was accepted")
        } catch let error as ConfigurationError {
            #expect("\(error)".contains("anchors and aliases"), "\(error)")
        }

        let folder = Fixture.temporaryDirectory()
        let big = folder.appendingPathComponent("breakglass.yml")
        try Data(("# " + String(repeating: "x", count: 2 << 20) + "\n").utf8).write(to: big)
        let result = try CLI.run(["audit", "--demo", "--config", big.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("larger than 1 MiB"))
    }

    // Item 12

    @Test("gate needs --config or --config-ref, and names the file that declared the accounts")
    func gateConfigurationSource() throws {
        let folder = Fixture.temporaryDirectory()
        let policy = folder.appendingPathComponent("p.json")
        try Data(#"{"id":"p","displayName":"report only","state":"disabled"}"#.utf8).write(to: policy)
        // A breakglass.yml in the working tree (the pull request's) is not used.
        try Data("emergencyAccounts:\n  - id: 00000000-0000-0000-0000-000000000000\n".utf8)
            .write(to: folder.appendingPathComponent("breakglass.yml"))
        let implicit = try CLI.run(["gate", "--snapshot", Self.good.path, "--policies", policy.path], in: folder)
        #expect(implicit.status == 2)
        #expect(implicit.stderr.contains("--config-ref"))

        let explicit = try CLI.run(
            ["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies", policy.path, "--format", "json"])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(explicit.stderr.contains("declared in \(Self.config)"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(explicit.stdout.utf8)) as? [String: Any])
        #expect(report["configuration"] as? String == Self.config)
        let text = try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--policies", policy.path])
        #expect(text.stdout.contains("Emergency accounts declared in \(Self.config)"))
    }

    @Test(
        "gate --config-ref reads breakglass.yml as committed at a git ref, not the working tree's",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "needs git"))
    func gateConfigurationFromGit() throws {
        let repository = Fixture.temporaryDirectory()
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", repository.path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "git \(arguments)")
        }
        try git("init", "-q", "-b", "main")
        try FileManager.default.copyItem(atPath: Self.config, toPath: repository.appendingPathComponent("breakglass.yml").path)
        try git("add", "breakglass.yml")
        try git("commit", "-q", "-m", "accounts")
        // The change under review re-points the accounts in the working tree.
        try Data("emergencyAccounts:\n  - id: 00000000-0000-0000-0000-000000000000\n".utf8)
            .write(to: repository.appendingPathComponent("breakglass.yml"))
        let policy = repository.appendingPathComponent("p.json")
        try Data(#"{"id":"p","displayName":"report only","state":"disabled"}"#.utf8).write(to: policy)
        let result = try CLI.run(
            ["gate", "--snapshot", Self.good.path, "--config-ref", "main", "--policies", policy.path, "--format", "json"],
            in: repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 declared in main:breakglass.yml"), "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let accounts = try #require(report["emergencyAccounts"] as? [[String: Any]])
        #expect(accounts.contains { $0["id"] as? String == "b9000001-0000-4000-8000-000000000001" })

        let missing = try CLI.run(
            ["gate", "--snapshot", Self.good.path, "--config-ref", "no-such-branch", "--policies", policy.path],
            in: repository)
        #expect(missing.status == 2)
        #expect(try CLI.run(["gate", "--snapshot", Self.good.path, "--config", Self.config, "--config-ref", "main",
                             "--policies", policy.path]).status == 2)
    }
}

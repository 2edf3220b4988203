import Foundation
import GraphEmulator
import Hummingbird
import Logging
import Testing

/// The command tree as ArgumentParser describes it (`--experimental-dump-help`), so commands added later are walked
/// too.
struct CommandTree {
    struct Command {
        var path: [String]
        var isLeaf: Bool
    }

    var commands: [Command] = []

    static func load() throws -> CommandTree {
        let result = try CLI.run(["--experimental-dump-help"])
        #expect(result.status == 0, "\(result.stderr)")
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let root = try #require(dump["command"] as? [String: Any])
        var tree = CommandTree()
        tree.walk(root, path: [])
        return tree
    }

    private mutating func walk(_ command: [String: Any], path: [String]) {
        // ArgumentParser's own `help` command is not ours to document.
        let children = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        commands.append(Command(path: path, isLeaf: children.isEmpty))
        for child in children {
            guard let name = child["commandName"] as? String else { continue }
            walk(child, path: path + [name])
        }
    }

    var leaves: [Command] { commands.filter(\.isLeaf) }
}

@Suite("Help, examples, completions and help topics")
struct CommandHelpTests {
    @Test("Every leaf command's --help carries one real example: a line 'Example: breakglass <its own path> …'")
    func everyLeafHasAnExample() throws {
        let tree = try CommandTree.load()
        // The tree today; commands merged later are walked as well.
        let paths = Set(tree.leaves.map { $0.path.joined(separator: " ") })
        for expected in ["audit", "gate", "custody ledger verify", "bench capture", "formats policies", "healthcheck"] {
            #expect(paths.contains(expected), "\(expected) is not in the command tree")
        }
        for leaf in tree.leaves {
            let help = try CLI.run(leaf.path + ["--help"])
            #expect(help.status == 0, "\(leaf.path): \(help.stderr)")
            let examples = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("Example:") }
            let invocation = "Example: " + (["breakglass"] + leaf.path).joined(separator: " ")
            #expect(examples.count == 1, "breakglass \(leaf.path.joined(separator: " ")) --help has \(examples.count) example lines")
            #expect(examples.allSatisfy { $0 == invocation || $0.hasPrefix(invocation + " ") },
                    "the example of \(leaf.path) does not run that command: \(examples)")
        }
    }

    @Test("--generate-completion-script writes bash, zsh and fish scripts that offer the real subcommands", arguments: [
        "bash", "zsh", "fish",
    ])
    func completionScripts(shell: String) throws {
        let tree = try CommandTree.load()
        let result = try CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in tree.commands where !command.path.isEmpty {
            let name = try #require(command.path.last)
            #expect(result.stdout.contains(name), "the \(shell) script does not mention '\(name)'")
        }
        #expect(result.stdout.contains("--fail-on") || result.stdout.contains("fail-on"))
    }

    @Test("The bash completion offers subcommands for a partial word and options of a subcommand")
    func bashCompletionCompletes() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        let directory = Fixture.temporaryDirectory()
        let script = directory.appendingPathComponent("breakglass.bash")
        try Data(try CLI.run(["--generate-completion-script", "bash"]).stdout.utf8).write(to: script)
        func complete(_ words: [String]) throws -> [String] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            process.arguments = ["-c", """
                source '\(script.path)'
                COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
                _breakglass breakglass "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """]
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = CLI.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(Set(try complete(["breakglass", "cu"])) == ["custody", "custodian"])
        #expect(Set(try complete(["breakglass", "formats", ""])).isSuperset(of: ["snapshot", "config", "policies", "whatif-batch", "logs"]))
        #expect(try complete(["breakglass", "gate", "--"]).contains("--fail-on"))
    }

    @Test("`formats` lists the topics; a topic prints the same text as its help, also through `breakglass help`")
    func formatTopics() throws {
        let list = try CLI.run(["formats"])
        #expect(list.status == 0)
        for topic in ["snapshot", "config", "policies", "whatif-batch", "logs"] {
            #expect(list.stdout.contains("  \(topic) "), "formats does not list \(topic)")
        }
        let topic = try CLI.run(["formats", "config"])
        #expect(topic.status == 0)
        #expect(topic.stdout.contains("emergencyAccounts:") && topic.stdout.contains("unknown key"))
        let help = try CLI.run(["help", "formats", "config"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("emergencyAccounts:"))
        #expect(try CLI.run(["formats", "nonsense"]).status == 2)
    }

    @Test("The snapshot topic names every file and folder that a snapshot holds")
    func snapshotTopicMatchesASnapshot() throws {
        let folder = Fixture.temporaryDirectory().appendingPathComponent("demo")
        let written = try CLI.run(["snapshot", "--demo", "--out", folder.path])
        #expect(written.status == 0, "\(written.stderr)")
        let topic = try CLI.run(["formats", "snapshot"]).stdout
        // breakglass.yml beside the demo's files is the configuration (`formats config`), not a Graph response.
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name != "breakglass.yml" {
            let mentioned = name.hasSuffix(".json") ? name : "\(name)/{"
            #expect(topic.contains(mentioned), "formats snapshot does not describe \(name)")
        }
    }

    @Test("The whatif-batch topic's sample line is answered by whatif --batch, not rejected")
    func whatIfBatchSampleRuns() throws {
        let text = try CLI.run(["formats", "whatif-batch"]).stdout
        let sample = try #require(Self.firstJSONObject(in: text))
        let result = try CLI.run(["whatif", "--demo", "--batch", "-"], stdin: Data((sample + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(answer["error"] == nil, "\(result.stdout)")
    }

    @Test("The policies topic's sample policy is read by gate (exit 0 or 1, never an input error)")
    func policySampleIsReadByGate() throws {
        let text = try CLI.run(["formats", "policies"]).stdout
        let sample = try #require(Self.firstJSONObject(in: text))
        let file = Fixture.temporaryDirectory().appendingPathComponent("policy.json")
        try Data(sample.utf8).write(to: file)
        let config = Fixture.url("good").appendingPathComponent("breakglass.yml").path
        let result = try CLI.run(["gate", "--snapshot", Fixture.url("good").path, "--config", config,
                                  "--policies", file.path, "--format", "json"])
        #expect([0, 1].contains(result.status), "\(result.stderr)")
    }

    /// The first balanced `{…}` in help text, on one line.
    static func firstJSONObject(in text: String) -> String? {
        guard let start = text.firstIndex(of: "{") else { return nil }
        var depth = 0
        var inString = false
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inString.toggle() }
            if !inString {
                if character == "{" { depth += 1 }
                if character == "}" {
                    depth -= 1
                    if depth == 0 {
                        return text[start...index].split(separator: "\n")
                            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                    }
                }
            }
            index = text.index(after: index)
        }
        return nil
    }
}

@Suite("breakglass healthcheck")
struct HealthcheckCommandTests {
    /// A loopback server with a healthy and an unhealthy endpoint, as the watch service's /healthz answers.
    static func withServer<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/healthz") { _, _ in #"{"status":"ok"}"# }
        router.get("/sick") { _, _ -> String in throw HTTPError(.serviceUnavailable, message: "unavailable") }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        return try await serveGracefully(app, ports: ports, logger: Logger(label: "healthcheck-tests"), body)
    }

    @Test("2xx is healthy (exit 0); 503, a refused connection and a bad URL are not")
    func exitCodes() async throws {
        try await Self.withServer { port in
            let healthy = try await CLI.runDetached(["healthcheck", "--url", "http://127.0.0.1:\(port)/healthz", "--timeout", "30"])
            #expect(healthy.status == 0, "\(healthy.stderr)")
            #expect(healthy.stdout.hasPrefix("200 "))
            let sick = try await CLI.runDetached(["healthcheck", "--url", "http://127.0.0.1:\(port)/sick", "--timeout", "30"])
            #expect(sick.status == 1)
            #expect(sick.stdout.hasPrefix("503 "))
        }
        // Port 9 (discard) on loopback: nothing listens there in a test environment.
        let refused = try await CLI.runDetached(["healthcheck", "--url", "http://127.0.0.1:9/healthz", "--timeout", "2"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("unhealthy"))
        #expect(try CLI.run(["healthcheck", "--url", "not a url"]).status == 2)
    }
}

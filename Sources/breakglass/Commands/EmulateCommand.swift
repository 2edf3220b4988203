import ArgumentParser
import Foundation
import GraphEmulator
import SafeInput

struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve a snapshot folder as Microsoft Graph (v1.0 and beta) and its sign-in service, on loopback.",
        discussion: """
            Prints `listening on http://127.0.0.1:PORT` as its first line, then serves until interrupted. Point the \
            client at it with --graph-endpoint URL --authority URL. Without --client-id/--client-secret it accepts any \
            client id and secret; with --client-certificate it verifies signed client assertions (RS256/PS256, x5t#S256).
            Example: breakglass emulate --snapshot contoso-snapshot --port 0 --page-size 50 --throttle-every 10
            """
    )

    @Option(name: .customLong("snapshot"), help: "The snapshot folder to serve.", completion: .directory)
    var snapshotPath: String

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).") var port = 8_080
    @Option(name: .customLong("page-size"), help: "Items per page (a client's $top is honoured up to this).") var pageSize = 100
    @Option(name: .customLong("throttle-every"), help: "Every Nth Graph request answers 429 with Retry-After (0: never).")
    var throttleEvery = 0
    @Option(name: .customLong("fail-every"), help: "Every Nth Graph request answers 503 (0: never).") var failEvery = 0
    @Option(name: .customLong("retry-after"), help: "Seconds of Retry-After on a 429.") var retryAfter = 1
    @Option(name: .customLong("client-id"), help: "The only client id accepted.") var clientID: String?
    @Option(name: .customLong("client-secret"), help: "The only client secret accepted.") var clientSecret: String?
    @Option(name: .customLong("client-certificate"), help: "PEM (certificate and key) that client assertions must be signed with.",
            completion: .file(extensions: ["pem"]))
    var clientCertificate: String?
    @Option(name: .customLong("fail-path"), help: "A Graph path (e.g. /groups) that always answers 500; repeatable.")
    var failPaths: [String] = []
    @Option(name: .customLong("unlicensed"), help: "A snapshot file (e.g. sign-ins.json) whose endpoint answers as without the licence; repeatable.")
    var unlicensed: [String] = []
    @Option(name: .customLong("device-code-lifetime"), help: "Seconds before a device code expires.") var deviceCodeLifetime = 900
    @Option(name: .customLong("kill-after-writes"), help: "Drop the connection after the Nth successful write and every request after it (0: never).")
    var killAfterWrites = 0
    @Option(name: .customLong("what-if-disagreement"),
            help: "A policy id whose 'policyApplies' the What If endpoint reports the other way round; repeatable.")
    var whatIfDisagreements: [String] = []
    @Option(help: "A timeline (JSON): sign-ins, audits and user changes that appear N seconds after the start.",
            completion: .file(extensions: ["json"]))
    var timeline: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535.") }
        guard pageSize >= 1 else { throw ValidationError("--page-size must be at least 1.") }
        guard throttleEvery >= 0, failEvery >= 0, retryAfter >= 0, killAfterWrites >= 0 else {
            throw ValidationError("--throttle-every, --fail-every and --retry-after cannot be negative.")
        }
    }

    func run() async throws {
        let certificate = try clientCertificate.map { path in
            try EmulatorCertificate(pem: InputFile.readText(atPath: path, limit: InputFile.smallFileLimit))
        }
        let script = try timeline.map { path in
            try EmulatorTimeline(json: InputFile.read(atPath: path, limit: InputFile.policyFileLimit))
        }
        var options = EmulatorOptions(
            pageSize: pageSize, throttleEvery: throttleEvery, failEvery: failEvery, retryAfterSeconds: retryAfter,
            clientID: clientID, clientSecret: clientSecret, certificate: certificate, failingPaths: failPaths,
            unlicensedFiles: unlicensed, deviceCodeLifetime: deviceCodeLifetime, killAfterWrites: killAfterWrites,
            timeline: script)
        options.whatIfDisagreements = whatIfDisagreements
        let emulator = try GraphEmulator(snapshot: URL(fileURLWithPath: snapshotPath), options: options)
        try await EmulatorServer(emulator: emulator, port: port).run { port in
            FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(port)\n".utf8))
        }
    }
}

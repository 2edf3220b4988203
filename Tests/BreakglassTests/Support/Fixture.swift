import EntraModel
import Foundation
import Posture

/// Fixture tenants: real snapshot folders under Tests/BreakglassTests/Fixtures/.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    static func snapshot(_ name: String) throws -> Snapshot { try SnapshotReader().read(url(name)) }

    static func configuration(_ name: String) throws -> Configuration {
        try Configuration.load(url(name).appendingPathComponent("breakglass.yml"))
    }

    static func context(_ name: String, configuration: Configuration? = nil) throws -> TenantContext {
        let snapshot = try snapshot(name)
        var context = TenantContext(snapshot: snapshot, configuration: try configuration ?? self.configuration(name),
                                    now: snapshot.capturedAt ?? Date())
        context.runbookOnFile = RunbookOnFile.read(context.configuration, relativeTo: url(name))
        return context
    }

    /// A copy of a fixture in a fresh temporary folder, to change files in.
    static func copy(_ name: String) throws -> URL {
        let destination = temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.copyItem(at: url(name), to: destination)
        return destination
    }

    /// A fresh folder, under one folder per test process that is removed when the process exits (a run used to
    /// leave some seventy folders behind).
    static func temporaryDirectory() -> URL {
        let url = temporaryRoot.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static let temporaryRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("breakglass-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Fixture.temporaryRoot) }
        return url
    }()
}

/// Runs the built `breakglass` executable.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("breakglass")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        let packageRoot = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/breakglass")
    }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

import Foundation
import Testing

/// The repository's root, where scripts/ lives.
let repositoryRoot = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a program from the repository with arguments and extra environment. Standard error goes to a file, so
/// neither pipe can fill while the other is read.
func runScript(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
               in directory: URL? = nil) throws -> CLI.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    process.environment = env
    process.currentDirectoryURL = directory ?? repositoryRoot
    let errorFile = Fixture.temporaryDirectory().appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    let errors = try FileHandle(forWritingTo: errorFile)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errors.close()
    return CLI.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
}

@Suite("Release: the SBOM and the release script's checks")
struct SBOMTests {
    static func sbom(version: String = "1.2.3", commit: String = "0123456789abcdef0123456789abcdef01234567") throws -> String {
        let fixtures = Fixture.url("release")
        let result = try runScript("python3", [
            "scripts/release/sbom.py",
            "--resolved", fixtures.appendingPathComponent("resolved.json").path,
            "--dependencies", fixtures.appendingPathComponent("dependencies.json").path,
            "--manifest", fixtures.appendingPathComponent("manifest.json").path,
            "--version", version, "--commit", commit, "--timestamp", "1764460800", "--swift-version", "6.3.1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test("CycloneDX 1.6 JSON: every pin of Package.resolved is a component with its purl, version and revision")
    func componentsFromPins() throws {
        let bom = try #require(try JSONSerialization.jsonObject(with: Data(try Self.sbom().utf8)) as? [String: Any])
        #expect(bom["bomFormat"] as? String == "CycloneDX")
        #expect(bom["specVersion"] as? String == "1.6")
        #expect((bom["serialNumber"] as? String)?.range(of: #"^urn:uuid:[0-9a-f-]{36}$"#, options: .regularExpression) != nil)
        let metadata = try #require(bom["metadata"] as? [String: Any])
        #expect(metadata["timestamp"] as? String == "2025-11-30T00:00:00Z")
        let root = try #require(metadata["component"] as? [String: Any])
        #expect(root["name"] as? String == "breakglass" && root["version"] as? String == "1.2.3")

        let resolved = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixture.url("release").appendingPathComponent("resolved.json"))) as? [String: Any])
        let pins = try #require(resolved["pins"] as? [[String: Any]])
        let components = try #require(bom["components"] as? [[String: Any]])
        let byPurl = Dictionary(uniqueKeysWithValues: components.compactMap { c in (c["purl"] as? String).map { ($0, c) } })
        for pin in pins {
            let location = try #require(pin["location"] as? String)
            let state = try #require(pin["state"] as? [String: Any])
            let version = try #require(state["version"] as? String)
            var path = location.replacingOccurrences(of: "https://", with: "")
            if path.hasSuffix(".git") { path.removeLast(4) }
            let component = try #require(byPurl["pkg:swift/\(path)@\(version)"], "no component for \(location)")
            let properties = component["properties"] as? [[String: String]] ?? []
            #expect(properties.contains { $0["name"] == "swiftpm:revision" && $0["value"] == state["revision"] as? String })
        }
        // Linked into the executable or used by tests only.
        #expect(byPurl["pkg:swift/github.com/apple/swift-argument-parser@1.8.2"]?["scope"] as? String == "required")
        #expect(byPurl["pkg:swift/github.com/apple/swift-nio@2.101.3"]?["scope"] as? String == "required")
        #expect(byPurl["pkg:swift/github.com/x-sheep/swift-property-based@2.0.1"]?["scope"] as? String == "excluded")

        // The dependency graph names only components of the BOM; the root depends on what Package.swift lists.
        let refs = Set(components.compactMap { $0["bom-ref"] as? String } + ["breakglass@1.2.3"])
        let dependencies = try #require(bom["dependencies"] as? [[String: Any]])
        for entry in dependencies {
            #expect(refs.contains(entry["ref"] as? String ?? ""))
            for target in entry["dependsOn"] as? [String] ?? [] { #expect(refs.contains(target), "\(target)") }
        }
        let rootEntry = try #require(dependencies.first { $0["ref"] as? String == "breakglass@1.2.3" })
        #expect((rootEntry["dependsOn"] as? [String])?.contains("pkg:swift/github.com/jpsim/Yams@6.2.2") == true)
        let nio = try #require(dependencies.first { $0["ref"] as? String == "pkg:swift/github.com/apple/swift-nio@2.101.3" })
        #expect((nio["dependsOn"] as? [String])?.contains("pkg:swift/github.com/apple/swift-atomics@1.3.0") == true)
    }

    @Test("The same inputs give the same bytes; another commit gives another serial number")
    func reproducible() throws {
        let first = try Self.sbom()
        #expect(try Self.sbom() == first)
        #expect(try Self.sbom(commit: "fedcba9876543210fedcba9876543210fedcba98") != first)
    }

    @Test("release.sh refuses a version that is not semantic before building anything")
    func releaseScriptRejectsABadVersion() throws {
        let result = try runScript("bash", ["scripts/release.sh", "--version", "banana", "--out",
                                            Fixture.temporaryDirectory().path],
                                   environment: ["BREAKGLASS_BUILD_ROOT": Fixture.temporaryDirectory().path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("version 'banana' is not X.Y.Z"))
    }
}

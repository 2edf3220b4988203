import ArgumentParser
import EntraModel
import Foundation
import Posture

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a tenant snapshot folder (spec/snapshot.md).",
        discussion: """
            With --tenant, reads the tenant through Microsoft Graph (credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and \
            AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or BREAKGLASS_GRAPH_TOKEN, or --device-code) into a \
            temporary folder renamed at the end: a failed or interrupted capture leaves nothing in --out. \
            With --demo, writes the embedded Contoso tenant. Exit 4 on a Graph or sign-in error.
            Example: breakglass snapshot --tenant contoso.onmicrosoft.com --config breakglass.yml --out snapshot-2026-11
            """
    )

    @Flag(help: "Write the embedded demo tenant.") var demo = false

    @OptionGroup(title: "Live tenant") var live: LiveOptions

    @Option(name: .customLong("config"), help: "breakglass.yml naming the emergency accounts (default: ./breakglass.yml if present).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?

    @Option(help: "The folder to create (must not exist, or be empty).", completion: .directory)
    var out: String

    func validate() throws {
        guard demo != (live.tenant != nil) else { throw ValidationError("Give exactly one of --demo or --tenant ID.") }
    }

    func run() async throws {
        let destination = URL(fileURLWithPath: out)
        if demo {
            let files = DemoTenant.files.merging([DemoTenant.configurationFile: DemoTenant.configurationData]) { a, _ in a }
            try SnapshotWriter.write(files, to: destination)
            Terminal.note("Wrote the demo tenant (\(files.count) files) to \(out). Audit it with: breakglass audit --snapshot \(out) --config \(out)/breakglass.yml")
            return
        }
        // Refuse a non-empty --out before reading anything.
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: destination.path), !contents.isEmpty {
            throw SnapshotError.destinationNotEmpty(destination.path)
        }
        let configuration = try TenantOptions.configuration(at: configPath)
        let files = try await live.capture(configuration: configuration)
        try SnapshotWriter.write(files, to: destination)
        let unavailable = (try? SnapshotReader().read(from: MemorySource(files)).unavailable.values.map(\.description)) ?? []
        for line in unavailable.sorted() where !line.contains("is not in the snapshot") { Terminal.note("note: \(line)") }
        Terminal.note("Wrote \(files.count) files to \(out).")
    }
}

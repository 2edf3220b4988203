import ArgumentParser
import EntraModel
import Foundation
import Posture

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a tenant snapshot folder (spec/snapshot.md).",
        discussion: "With --demo, writes the embedded Contoso tenant, so you can see the format you can produce yourself."
    )

    @Flag(help: "Write the embedded demo tenant.") var demo = false

    @Option(help: "The folder to create (must not exist, or be empty).", completion: .directory)
    var out: String

    func validate() throws {
        guard demo else { throw ValidationError("Only --demo is available in this version: capture of a live tenant comes with the Graph client.") }
    }

    func run() throws {
        let files = DemoTenant.files.merging([DemoTenant.configurationFile: DemoTenant.configurationData]) { a, _ in a }
        try SnapshotWriter.write(files, to: URL(fileURLWithPath: out))
        Terminal.note("Wrote the demo tenant (\(files.count) files) to \(out). Audit it with: breakglass audit --snapshot \(out) --config \(out)/breakglass.yml")
    }
}

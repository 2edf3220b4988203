import EntraModel
import Foundation

/// The embedded demo tenant "Contoso": a snapshot folder compiled into the binary (generated from DemoTenant/ by
/// scripts/embed-demo-tenant.sh), so `--demo` works from any folder with no files.
public enum DemoTenant {
    /// The snapshot's files by relative path, as `snapshot --demo --out` writes them.
    public static var files: [String: Data] {
        DemoTenantFiles.files.filter { $0.key != configurationFile }.mapValues { Data($0.utf8) }
    }

    public static let configurationFile = "breakglass.yml"

    /// The demo's breakglass.yml as written next to the snapshot by `snapshot --demo`.
    public static var configurationData: Data { Data((DemoTenantFiles.files[configurationFile] ?? "").utf8) }

    public static func snapshot() throws -> Snapshot {
        try SnapshotReader().read(from: MemorySource(files))
    }

    /// The demo's own breakglass.yml, declaring its emergency accounts.
    public static func configuration() throws -> Configuration {
        guard let yaml = DemoTenantFiles.files[configurationFile] else { return Configuration() }
        return try Configuration.parse(yaml, file: "demo \(configurationFile)")
    }
}

import ArgumentParser
import EntraModel
import Foundation
import Monitoring
import Posture

/// Where the emergency accounts come from for `export` and `logs scan`: the configuration alone, or the
/// configuration resolved against a tenant (`--demo`, `--snapshot DIR`) for object ids, names and exclusion groups.
struct AccountSourceOptions: ParsableArguments {
    @Flag(help: "Resolve the accounts against the embedded demo tenant (Contoso).")
    var demo = false

    @Option(name: .customLong("snapshot"), help: "Resolve the accounts against a snapshot folder (spec/snapshot.md).",
            completion: .directory)
    var snapshotPath: String?

    @Option(name: .customLong("config"), help: "breakglass.yml (default: ./breakglass.yml if present).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?

    func validate() throws {
        guard !(demo && snapshotPath != nil) else { throw ValidationError("Give at most one of --demo or --snapshot DIR.") }
    }

    func loadConfiguration() throws -> Configuration {
        if let configPath { return try Configuration.load(URL(fileURLWithPath: configPath)) }
        if demo { return try DemoTenant.configuration() }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("breakglass.yml")
        if FileManager.default.fileExists(atPath: local.path) { return try Configuration.load(local) }
        return Configuration()
    }

    /// The tenant, when one was given.
    func loadContext(_ configuration: Configuration, asOf: Date? = nil) throws -> TenantContext? {
        let snapshot: Snapshot
        let source: String
        if demo {
            (snapshot, source) = (try DemoTenant.snapshot(), "demo")
        } else if let snapshotPath {
            (snapshot, source) = (try SnapshotReader().read(URL(fileURLWithPath: snapshotPath)), "snapshot")
        } else {
            return nil
        }
        return TenantContext(snapshot: snapshot, configuration: configuration,
                             now: asOf ?? snapshot.capturedAt ?? Date(), source: source)
    }
}

extension MonitoringInput {
    /// The accounts, exclusion groups and receivers to watch, with warnings for a person (accounts that did not
    /// resolve, accounts matched by UPN only, no receivers). Only declared accounts are watched: discovered
    /// candidates are guesses, and rules for guesses would be wrong in both directions.
    static func make(configuration: Configuration, context: TenantContext?) throws -> (input: MonitoringInput, warnings: [String]) {
        var warnings: [String] = []
        var accounts: [WatchedAccount] = []
        var groups: [WatchedGroup] = []
        let tenantID: String
        var tenantName: String?
        if let context {
            for account in context.emergencyAccounts where account.declared {
                if let user = account.user {
                    accounts.append(WatchedAccount(objectID: user.id, userPrincipalName: user.userPrincipalName,
                                                   displayName: user.displayName))
                }
            }
            for reference in context.unresolvedAccounts {
                warnings.append("\(reference) matches no user in the tenant; watched as configured.")
                accounts.append(watched(reference))
            }
            groups = context.exclusionGroups.map { WatchedGroup(id: $0, displayName: context.directory.group($0)?.displayName) }
            tenantID = context.snapshot.organization.id
            tenantName = context.snapshot.organization.displayName
        } else {
            accounts = configuration.emergencyAccounts.map(watched)
            groups = configuration.exclusionGroup.map { [WatchedGroup(id: $0)] } ?? []
            tenantID = configuration.tenant ?? "tenant"
            if configuration.tenant == nil {
                warnings.append("No tenant in breakglass.yml and no --demo/--snapshot: the Sentinel rule ids derive from the placeholder 'tenant'.")
            }
        }
        guard !accounts.isEmpty else { throw MonitoringError.noAccounts }
        for account in accounts where account.objectID == nil {
            warnings.append("\(account.label) has no object id: the rules match it by UPN, which a rename silences (BG051 warns).")
        }
        var receivers: [Receiver] = []
        for notifier in configuration.monitoring.notify {
            guard let kind = Receiver.Kind(rawValue: notifier.type),
                let target = kind == .email ? (notifier.address ?? notifier.url) : notifier.url
            else {
                warnings.append("monitoring.notify: a \(notifier.type) receiver without \(notifier.type == "email" ? "an address" : "a url") is skipped.")
                continue
            }
            receivers.append(Receiver(kind: kind, target: target, secretEnvironmentVariable: notifier.secretEnv))
        }
        return (MonitoringInput(tenantID: tenantID, tenantName: tenantName, accounts: accounts,
                                exclusionGroups: groups, receivers: receivers), warnings)
    }

    private static func watched(_ reference: Configuration.AccountReference) -> WatchedAccount {
        switch reference {
        case .id(let id): WatchedAccount(objectID: id)
        case .userPrincipalName(let upn): WatchedAccount(objectID: nil, userPrincipalName: upn)
        }
    }
}

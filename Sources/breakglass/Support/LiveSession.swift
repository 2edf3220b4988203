import EntraModel
import Foundation
import Graph
import Posture

/// Signed-in clients for a command that reads and writes a tenant: Graph, ARM (client credentials, or whenever
/// --arm-endpoint is given) and Key Vault, over one transport that `close()` shuts down.
struct LiveSession {
    let transport: AsyncHTTPTransport
    let graph: GraphClient
    let arm: GraphClient?
    let keyVault: GraphClient?
    let capture: @Sendable () async throws -> (snapshot: Snapshot, files: [String: Data])
    let kind: String

    /// Delegated permissions a device code sign-in asks for, beyond reading.
    static let writePermissions = [
        "User.ReadWrite.All", "User-PasswordProfile.ReadWrite.All", "Group.ReadWrite.All", "GroupMember.ReadWrite.All",
        "RoleManagement.ReadWrite.Directory", "Policy.ReadWrite.ConditionalAccess",
    ]

    /// `writes: false` asks a device-code sign-in for read permissions only.
    static func open(_ live: LiveOptions, configuration: Configuration, keyVault: String?,
                     writes: Bool = true) async throws -> LiveSession {
        let endpoints = live.endpoints(configuration: configuration)
        let armURL = live.armEndpoint.flatMap(URL.init(string:)) ?? URL(string: "https://\(endpoints.cloud.armHost)")
        // Before any credential is read or sent: every host that would receive one is the cloud's or named.
        try EndpointPolicy.check(
            [endpoints.graph, endpoints.authority] + (armURL.map { [$0] } ?? [])
                + (keyVault.flatMap(URL.init(string:)).map { [$0] } ?? []),
            cloud: endpoints.cloud, allowedHosts: Set(live.allowedCredentialHosts))
        let transport = AsyncHTTPTransport()
        do {
            let environment = ProcessInfo.processInfo.environment
            let tenant = live.tenant ?? configuration.tenant
            let (provider, kind) = try Credentials.provider(
                tenant: tenant, deviceCode: live.deviceCode, environment: environment, endpoints: endpoints,
                transport: transport,
                delegatedPermissions: GraphPermissions.readOnly + (writes ? writePermissions : ["Policy.Read.ConditionalAccess"]),
                prompt: { Terminal.note($0) })
            let retry = RetryPolicy(budget: .seconds(live.retryBudget))
            let graph = GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport,
                                    retry: retry, concurrency: live.concurrency)
            let isApp = provider is ClientSecretProvider || provider is ClientCertificateProvider
            var arm: GraphClient?
            if live.armEndpoint != nil || (isApp && live.graphEndpoint == nil) {
                let armEndpoints = GraphEndpoints(
                    cloud: endpoints.cloud,
                    graph: live.armEndpoint.flatMap(URL.init(string:)) ?? URL(string: "https://\(endpoints.cloud.armHost)"),
                    authority: endpoints.authority)
                let armProvider = try Credentials.provider(
                    tenant: tenant, deviceCode: live.deviceCode, environment: environment, endpoints: armEndpoints,
                    transport: transport, prompt: { Terminal.note($0) }).provider
                arm = GraphClient(endpoints: armEndpoints, tokens: TokenCache(provider: armProvider), transport: transport,
                                  retry: retry, concurrency: live.concurrency)
            }
            var vault: GraphClient?
            if let keyVault {
                guard let url = URL(string: keyVault), url.host != nil else {
                    throw UsageError("--key-vault '\(keyVault)' is not an absolute URL (https://NAME.vault.azure.net)")
                }
                // Key Vault tokens are for https://vault.azure.net whatever the vault's host (Learn: Key Vault authentication).
                let vaultEndpoints = GraphEndpoints(cloud: endpoints.cloud, graph: url, authority: endpoints.authority,
                                                    tokenScope: "https://vault.azure.net/.default")
                let vaultProvider = try Credentials.provider(
                    tenant: tenant, deviceCode: live.deviceCode, environment: environment, endpoints: vaultEndpoints,
                    transport: transport, prompt: { Terminal.note($0) }).provider
                vault = GraphClient(endpoints: vaultEndpoints, tokens: TokenCache(provider: vaultProvider), transport: transport,
                                    retry: retry)
            }
            let capture = SnapshotCapture(client: graph, arm: arm, cloud: endpoints.cloud.rawValue,
                                          capturedBy: "breakglass \(Breakglass.version)")
            let group = configuration.exclusionGroup.map { [$0] } ?? []
            let read: @Sendable () async throws -> (snapshot: Snapshot, files: [String: Data]) = {
                let files = try await capture.run(extraGroups: group) { snapshot in
                    TenantContext(snapshot: snapshot, configuration: configuration, now: Date()).emergencyAccounts
                        .compactMap { $0.user?.id.lowercased() }
                }
                return (try SnapshotReader().read(from: MemorySource(files)), files)
            }
            return LiveSession(transport: transport, graph: graph, arm: arm, keyVault: vault, capture: read, kind: kind)
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    func close() async {
        try? await transport.shutdown()
    }
}

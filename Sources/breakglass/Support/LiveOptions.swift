import ArgumentParser
import EntraModel
import Foundation
import Graph
import Logging
import Posture

/// Reading a live tenant through Microsoft Graph: where, and how to sign in (config.md: Azure SDK variables).
struct LiveOptions: ParsableArguments {
    @Option(help: "Tenant id or domain to read live through Microsoft Graph (or AZURE_TENANT_ID).")
    var tenant: String?

    @Option(help: "Cloud: global, usgov, usgovhigh, dod, china (default: the configuration's, else global).")
    var cloud: String?

    @Option(name: .customLong("graph-endpoint"), help: "Microsoft Graph base URL instead of the cloud's (e.g. the emulator).")
    var graphEndpoint: String?

    @Option(help: "Sign-in authority base URL instead of the cloud's (e.g. the emulator).")
    var authority: String?

    @Option(name: .customLong("arm-endpoint"),
            help: "Azure Resource Manager base URL instead of the cloud's, for diagnostic-settings.json (with --graph-endpoint, ARM is read only when this is given).")
    var armEndpoint: String?

    @Option(name: .customLong("allow-credentials-to-host"),
            help: "Send credentials to this host although it is not one of the cloud's Microsoft hosts (e.g. 127.0.0.1 for the emulator). Repeatable.")
    var allowedCredentialHosts: [String] = []

    @Flag(name: .customLong("device-code"), help: "Sign a person in with the device code flow.")
    var deviceCode = false

    @Option(help: "Graph requests in flight at once.")
    var concurrency = 4

    @Option(name: .customLong("retry-budget"), help: "Seconds all retries together may wait (throttling, 5xx, network).")
    var retryBudget = 300

    func validate() throws {
        if let cloud, GraphCloud(name: cloud) == nil {
            throw ValidationError("--cloud '\(cloud)': use global, usgov, usgovhigh, dod or china.")
        }
        for (flag, value) in [("--graph-endpoint", graphEndpoint), ("--authority", authority), ("--arm-endpoint", armEndpoint)] {
            guard let value else { continue }
            guard let url = URL(string: value), url.host != nil else {
                throw ValidationError("\(flag) '\(value)' is not an absolute URL.")
            }
            guard EndpointPolicy.isAllowedScheme(url) else {
                throw ValidationError("\(flag) '\(value)': use https (plain http only to this machine: 127.0.0.1, ::1, localhost).")
            }
        }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1.") }
        guard retryBudget >= 0 else { throw ValidationError("--retry-budget cannot be negative.") }
    }

    func endpoints(configuration: Configuration) -> GraphEndpoints {
        let cloud = GraphCloud(name: cloud ?? configuration.cloud) ?? .global
        return GraphEndpoints(cloud: cloud, graph: graphEndpoint.flatMap(URL.init(string:)),
                              authority: authority.flatMap(URL.init(string:)))
    }

    /// Captures the tenant into snapshot files (in memory); the transport is always shut down.
    func capture(configuration: Configuration) async throws -> [String: Data] {
        let endpoints = endpoints(configuration: configuration)
        let armURL = armEndpoint.flatMap(URL.init(string:)) ?? URL(string: "https://\(endpoints.cloud.armHost)")
        // Before any credential is read or sent: every host that would receive one must be the cloud's or named.
        try EndpointPolicy.check([endpoints.graph, endpoints.authority] + (armURL.map { [$0] } ?? []),
                                 cloud: endpoints.cloud, allowedHosts: Set(allowedCredentialHosts))
        let transport = AsyncHTTPTransport()
        do {
            let environment = ProcessInfo.processInfo.environment
            let (provider, kind) = try Credentials.provider(
                tenant: tenant ?? configuration.tenant, deviceCode: deviceCode, environment: environment,
                endpoints: endpoints, transport: transport, prompt: { Terminal.note($0) })
            let progress = CaptureProgress(enabled: isatty(STDERR_FILENO) == 1)
            progress.note("Reading \(tenant ?? configuration.tenant ?? "the tenant") from \(endpoints.graph.absoluteString) (\(kind))")
            let retry = RetryPolicy(budget: .seconds(retryBudget))
            let client = GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport,
                                     retry: retry, concurrency: concurrency)
            // ARM takes its own token (client credentials only), so a ready Graph token or a device code skips it.
            var arm: GraphClient?
            if provider is ClientSecretProvider || provider is ClientCertificateProvider, armEndpoint != nil || graphEndpoint == nil {
                let armEndpoints = GraphEndpoints(
                    cloud: endpoints.cloud,
                    graph: armURL,
                    authority: endpoints.authority)
                let armProvider = try Credentials.provider(
                    tenant: tenant ?? configuration.tenant, deviceCode: false, environment: environment,
                    endpoints: armEndpoints, transport: transport, prompt: { Terminal.note($0) }).provider
                arm = GraphClient(endpoints: armEndpoints, tokens: TokenCache(provider: armProvider), transport: transport,
                                  retry: retry, concurrency: concurrency)
            }
            let capture = SnapshotCapture(client: client, arm: arm, cloud: endpoints.cloud.rawValue,
                                          capturedBy: "breakglass \(Breakglass.version)", progress: progress.report)
            let files = try await capture.run(extraGroups: configuration.exclusionGroup.map { [$0] } ?? []) { snapshot in
                TenantContext(snapshot: snapshot, configuration: configuration, now: Date()).emergencyAccounts
                    .compactMap { $0.user?.id.lowercased() }
            }
            progress.done(files: files.count)
            try await transport.shutdown()
            return files
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }
}

/// One line of progress on stderr when it is a terminal; nothing otherwise.
struct CaptureProgress: Sendable {
    let enabled: Bool

    func note(_ text: String) {
        if enabled { Terminal.note(text) }
    }

    func report(_ event: CaptureEvent) {
        guard enabled else { return }
        switch event {
        case .started(let file): write("\u{1B}[2K\r\(file)…")
        case .items(let file, let count): write("\u{1B}[2K\r\(file): +\(count)")
        case .finished(let file, let status): if status != "ok" { write("\u{1B}[2K\r\(file): \(status)\n") }
        }
    }

    func done(files: Int) {
        if enabled { write("\u{1B}[2K\rRead \(files) files.\n") }
    }

    func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

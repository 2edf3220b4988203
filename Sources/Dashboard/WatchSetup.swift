import Custody
import EntraModel
import Foundation
import Graph
import Monitoring
import Posture
import Watch

/// What is wrong with the watch configuration, naming the key to fix (exit 2).
public struct WatchSetupError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}

/// Builds the service's parts from breakglass.yml and the environment: the tenants with their Graph clients, the
/// notifiers with their secrets, the page's and the webhook's credentials. Secrets come from environment variables
/// or files only.
public struct WatchSetup: Sendable {
    public var tenants: [WatchRuntime.TenantSetup]
    public var notifiers: [any Notifier]
    public var security: DashboardSecurity
    public var warnings: [String]

    /// `graphEndpoint`/`authority` apply to the single-tenant form (flags); entries of `tenants:` carry their own.
    /// Credentials go only to the cloud's Microsoft hosts, or to `allowedHosts` (`--allow-credentials-to-host`).
    public static func make(configuration: Configuration, environment: [String: String], transport: any HTTPTransport,
                            graphEndpoint: URL? = nil, authority: URL? = nil,
                            allowedHosts: Set<String> = []) throws -> WatchSetup {
        var warnings: [String] = []
        var tenants: [WatchRuntime.TenantSetup] = []
        if configuration.tenants.isEmpty {
            guard let id = configuration.tenant ?? environment["AZURE_TENANT_ID"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw WatchSetupError("breakglass.yml names no tenant: set tenant (or tenants:) or AZURE_TENANT_ID")
            }
            let endpoints = GraphEndpoints(cloud: GraphCloud(name: configuration.cloud) ?? .global, graph: graphEndpoint,
                                           authority: authority)
            try checkEndpoints(endpoints, key: "--graph-endpoint/--authority", allowedHosts: allowedHosts)
            var client: GraphClient?
            do {
                let provider = try Credentials.provider(tenant: id, deviceCode: false, environment: environment,
                                                        endpoints: endpoints, transport: transport, prompt: { _ in }).provider
                client = GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport)
            } catch let error as GraphError {
                guard case .missingCredentials = error else { throw error }
                warnings.append("\(id): no Graph credentials in the environment (\(error.description)): only the Azure Monitor webhook will report sign-ins.")
            }
            tenants.append(try tenant(id: id, name: nil, configuration: configuration, client: client))
        } else {
            for (index, entry) in configuration.tenants.enumerated() {
                let key = "tenants[\(index)]"
                let endpoints = GraphEndpoints(
                    cloud: GraphCloud(name: entry.cloud ?? configuration.cloud) ?? .global,
                    graph: entry.graphEndpoint.flatMap(URL.init(string:)), authority: entry.authority.flatMap(URL.init(string:)))
                try checkEndpoints(endpoints, key: key, allowedHosts: allowedHosts)
                var client: GraphClient?
                if entry.credentials.isEmpty {
                    warnings.append("\(key) (\(entry.tenant)): no credentials: only the Azure Monitor webhook will report sign-ins.")
                } else {
                    let provider = try provider(entry, endpoints: endpoints, transport: transport, environment: environment, key: key)
                    client = GraphClient(endpoints: endpoints, tokens: TokenCache(provider: provider), transport: transport)
                }
                tenants.append(try tenant(id: entry.tenant, name: entry.name, configuration: configuration.configuration(for: entry),
                                          client: client))
            }
        }
        for setup in tenants where setup.tenant.accounts.isEmpty {
            warnings.append("\(setup.tenant.id): no emergencyAccounts declared: nothing to watch but alerts.")
        }
        let notifiers = try Self.notifiers(configuration.monitoring.notify, environment: environment, warnings: &warnings)
        if notifiers.isEmpty { warnings.append("monitoring.notify names no notifier: incidents are only on the page.") }
        return WatchSetup(tenants: tenants, notifiers: notifiers,
                          security: try security(configuration.monitoring.watch, environment: environment, transport: transport),
                          warnings: warnings)
    }

    /// Credentials go only over https (plain http only to loopback, the emulator), and only to the cloud's Microsoft
    /// hosts or a host the operator allowed by name (EndpointPolicy, as every live command).
    static func checkEndpoints(_ endpoints: GraphEndpoints, key: String, allowedHosts: Set<String>) throws {
        for url in [endpoints.graph, endpoints.authority] {
            let host = url.host?.lowercased() ?? ""
            guard EndpointPolicy.isAllowedScheme(url) else {
                throw WatchSetupError("\(key): \(url.scheme ?? "?")://\(host) is not https: credentials go only over https (plain http only to loopback)")
            }
            do {
                try EndpointPolicy.check([url], cloud: endpoints.cloud, allowedHosts: allowedHosts)
            } catch {
                throw WatchSetupError("\(key): \(error)")
            }
        }
    }

    static func provider(_ entry: Configuration.Tenant, endpoints: GraphEndpoints, transport: any HTTPTransport,
                         environment: [String: String], key: String) throws -> any TokenProvider {
        let credentials = entry.credentials
        if let name = credentials.tokenEnv {
            let token = try SecretSource.environment(name).load(environment: environment)
            return StaticTokenProvider(token: token.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
        }
        guard let clientID = credentials.clientId else { throw WatchSetupError("\(key).credentials: needs clientId") }
        if let path = credentials.certificateFile {
            return ClientCertificateProvider(tenant: entry.tenant, clientID: clientID,
                                             certificate: try ClientCertificate(contentsOf: URL(fileURLWithPath: path)),
                                             endpoints: endpoints, transport: transport)
        }
        guard let source = SecretSource.from(env: credentials.clientSecretEnv, file: credentials.clientSecretFile) else {
            throw WatchSetupError("\(key).credentials: give clientSecretEnv, clientSecretFile, certificateFile or tokenEnv")
        }
        let secret = try source.load(environment: environment)
        return ClientSecretProvider(tenant: entry.tenant, clientID: clientID,
                                    secret: secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) },
                                    endpoints: endpoints, transport: transport)
    }

    static func tenant(id: String, name: String?, configuration: Configuration, client: GraphClient?) throws
        -> WatchRuntime.TenantSetup {
        let accounts = configuration.emergencyAccounts.map { reference -> WatchedAccount in
            switch reference {
            case .id(let id): WatchedAccount(objectID: id)
            case .userPrincipalName(let upn): WatchedAccount(objectID: nil, userPrincipalName: upn)
            }
        }
        let groups = configuration.exclusionGroup.map { [WatchedGroup(id: $0)] } ?? []
        let watched = WatchedTenant(id: id, name: name ?? id, accounts: accounts, groups: groups,
                                    rotationGraceHours: configuration.guidance.rotationGraceHours)
        return WatchRuntime.TenantSetup(tenant: watched, client: client, configuration: configuration)
    }

    /// Looks the accounts named by UPN up by id (sign-in filters need ids) and learns the tenant's directory id
    /// and name (alerts name the tenant by id).
    public static func resolve(_ setups: [WatchRuntime.TenantSetup]) async throws -> [WatchRuntime.TenantSetup] {
        var resolved: [WatchRuntime.TenantSetup] = []
        for var setup in setups {
            guard let client = setup.client else {
                resolved.append(setup)
                continue
            }
            let organization = try await client.list("/organization", query: GraphQuery(select: ["id", "displayName"]))
            if let first = (try? JSONSerialization.jsonObject(with: organization) as? [String: Any])?["value"] as? [[String: Any]],
               let org = first.first {
                if let id = org["id"] as? String { setup.tenant.aliases.insert(id.lowercased()) }
                if setup.tenant.name == setup.tenant.id, let name = org["displayName"] as? String { setup.tenant.name = name }
            }
            var accounts: [WatchedAccount] = []
            for account in setup.tenant.accounts {
                guard account.objectID == nil, let upn = account.userPrincipalName else {
                    accounts.append(account)
                    continue
                }
                let body = try await client.object("/users/\(upn)", query: GraphQuery(select: ["id", "userPrincipalName", "displayName"]))
                let user = try JSONDecoder.graph().decode(User.self, from: body)
                accounts.append(WatchedAccount(objectID: user.id, userPrincipalName: user.userPrincipalName ?? upn,
                                               displayName: user.displayName))
            }
            setup.tenant.accounts = accounts
            resolved.append(setup)
        }
        return resolved
    }

    static func notifiers(_ entries: [Configuration.Notifier], environment: [String: String], warnings: inout [String])
        throws -> [any Notifier] {
        var counts: [String: Int] = [:]
        var notifiers: [any Notifier] = []
        for (index, entry) in entries.enumerated() {
            counts[entry.type, default: 0] += 1
            let name = "\(entry.type)-\(counts[entry.type, default: 1])"
            let key = "monitoring.notify[\(index)]"
            let secret = SecretSource.from(env: entry.secretEnv, file: entry.secretFile)
            let urlSecret = SecretSource.from(env: entry.urlEnv, file: entry.urlFile)
            switch entry.type {
            case "webhook":
                guard let url = entry.url else { throw WatchSetupError("\(key): a webhook needs a url") }
                guard let secret else {
                    throw WatchSetupError("\(key): a webhook needs its Standard Webhooks signing secret (secretEnv or secretFile)")
                }
                notifiers.append(try StandardWebhookNotifier(name: name, url: url, secret: try secret.load(environment: environment)))
            case "teams", "slack":
                guard let urlSecret else {
                    if entry.url != nil {
                        throw WatchSetupError("\(key): a \(entry.type) webhook URL carries its own credential: give it with urlEnv or urlFile, not url")
                    }
                    throw WatchSetupError("\(key): a \(entry.type) notifier needs urlEnv or urlFile")
                }
                let url = try urlSecret.load(environment: environment)
                notifiers.append(entry.type == "teams" ? try TeamsNotifier(name: name, url: url)
                                                       : try SlackNotifier(name: name, url: url))
            case "pagerduty":
                guard let secret else {
                    throw WatchSetupError("\(key): PagerDuty needs its routing (integration) key in secretEnv or secretFile")
                }
                notifiers.append(try PagerDutyNotifier(name: name, url: entry.url, routingKey: try secret.load(environment: environment)))
            default:
                warnings.append("\(key): \(entry.type) receivers are for Azure Monitor action groups (breakglass export); watch does not send \(entry.type).")
            }
        }
        return notifiers
    }

    static func security(_ watch: Configuration.Watch, environment: [String: String], transport: any HTTPTransport) throws
        -> DashboardSecurity {
        let tokenSource = SecretSource.from(env: watch.tokenEnv, file: watch.tokenFile) ?? .environment("BREAKGLASS_WATCH_TOKEN")
        let token: Secret
        do {
            token = try tokenSource.load(environment: environment)
        } catch let error as SecretSourceError {
            throw WatchSetupError("the page's access token: \(error.description) (monitoring.watch.tokenEnv/tokenFile, default BREAKGLASS_WATCH_TOKEN)")
        }
        guard token.count >= 16 else {
            throw WatchSetupError("the page's access token is shorter than 16 characters: use a long random one (openssl rand -base64 32)")
        }
        let webhook = try SecretSource.from(env: watch.webhookSecretEnv, file: watch.webhookSecretFile)?.load(environment: environment)
        if let webhook, webhook.count < 16 {
            throw WatchSetupError("monitoring.watch: the webhook secret is shorter than 16 characters")
        }
        var verifier: EntraTokenVerifier?
        if !watch.entraAudiences.isEmpty {
            guard let tenant = watch.entraTenant else {
                throw WatchSetupError("monitoring.watch.entraAudiences needs entraTenant (the tenant that issues the tokens)")
            }
            verifier = EntraTokenVerifier(tenantID: tenant, audiences: watch.entraAudiences, transport: transport)
        }
        return DashboardSecurity(token: token, webhookSecret: webhook, entraVerifier: verifier,
                                 secureCookies: watch.publicURL?.lowercased().hasPrefix("https://") == true)
    }
}

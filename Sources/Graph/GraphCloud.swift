import Foundation

/// A Microsoft cloud: its sign-in and Graph hosts (graph.md §9). Tokens don't cross clouds.
public enum GraphCloud: String, CaseIterable, Sendable {
    case global
    case usgov
    case dod
    case china

    /// `usgovhigh` is accepted for `usgov` (config.md).
    public init?(name: String) {
        switch name.lowercased() {
        case "global", "public", "gcc": self = .global
        case "usgov", "usgovhigh", "gcchigh": self = .usgov
        case "dod", "usgovdod": self = .dod
        case "china", "21vianet": self = .china
        default: return nil
        }
    }

    public var loginHost: String {
        switch self {
        case .global: "login.microsoftonline.com"
        case .usgov, .dod: "login.microsoftonline.us"
        case .china: "login.chinacloudapi.cn"
        }
    }

    /// Azure Resource Manager, for the tenant's Entra diagnostic settings.
    public var armHost: String {
        switch self {
        case .global: "management.azure.com"
        case .usgov, .dod: "management.usgovcloudapi.net"
        case .china: "management.chinacloudapi.cn"
        }
    }

    public var graphHost: String {
        switch self {
        case .global: "graph.microsoft.com"
        case .usgov: "graph.microsoft.us"
        case .dod: "dod-graph.microsoft.us"
        case .china: "microsoftgraph.chinacloudapi.cn"
        }
    }
}

/// Where requests go: a cloud's hosts, or `--graph-endpoint` / `--authority` overrides (the emulator).
public struct GraphEndpoints: Sendable, Hashable {
    /// `https://graph.microsoft.com` (no version).
    public var graph: URL
    /// `https://login.microsoftonline.com` (no tenant).
    public var authority: URL
    public var cloud: GraphCloud
    /// The token scope when it is not `{graph}/.default`: Key Vault's is `https://vault.azure.net/.default` whatever
    /// the vault's host.
    public var tokenScope: String?

    public init(cloud: GraphCloud = .global, graph: URL? = nil, authority: URL? = nil, tokenScope: String? = nil) {
        self.cloud = cloud
        self.tokenScope = tokenScope
        self.graph = graph ?? URL(string: "https://\(cloud.graphHost)") ?? URL(fileURLWithPath: "/")
        self.authority = authority ?? URL(string: "https://\(cloud.loginHost)") ?? URL(fileURLWithPath: "/")
    }

    /// `https://graph.microsoft.com/.default`: the scope of an app-only token for this Graph host.
    public var scope: String {
        tokenScope ?? "\(Self.trimmed(graph))/.default"
    }

    public func tokenURL(tenant: String) -> URL {
        authority.appendingPathComponent(tenant).appendingPathComponent("oauth2/v2.0/token")
    }

    public func deviceCodeURL(tenant: String) -> URL {
        authority.appendingPathComponent(tenant).appendingPathComponent("oauth2/v2.0/devicecode")
    }

    /// `{graph}/{version}{path}` with the query items given; `path` starts with `/`; an empty version is left out
    /// (ARM).
    public func url(_ path: String, version: String = "v1.0", query: [URLQueryItem] = []) -> URL? {
        let prefix = version.isEmpty ? "" : "/" + version
        guard var components = URLComponents(string: Self.trimmed(graph) + prefix + path) else { return nil }
        if !query.isEmpty {
            components.queryItems = (components.queryItems ?? []) + query
            // `+` is literal in URLComponents but a space in Graph's query parsing.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        return components.url
    }

    /// Whether `graph` is https on one of the clouds' Microsoft Graph hosts (not an emulator or a proxy).
    public var isMicrosoftGraph: Bool {
        graph.scheme?.lowercased() == "https"
            && GraphCloud.allCases.contains { $0.graphHost == graph.host?.lowercased() }
    }

    static func trimmed(_ url: URL) -> String {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

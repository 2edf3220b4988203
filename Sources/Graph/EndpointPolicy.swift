import Foundation

/// Where credentials may go. A ready token (`BREAKGLASS_GRAPH_TOKEN`), a client secret, a certificate assertion or a
/// device code is sent only over https (plain http only to this machine), and only to the cloud's own Microsoft
/// hosts unless the user names another host explicitly (`--allow-credentials-to-host HOST`).
public enum EndpointPolicy {
    /// The option a user gives to trust another host; named in the refusal.
    public static let allowOption = "--allow-credentials-to-host"

    /// `localhost`, 127.0.0.0/8 and ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// https anywhere; http only to loopback.
    public static func isAllowedScheme(_ url: URL) -> Bool {
        switch url.scheme?.lowercased() {
        case "https": url.host != nil
        case "http": url.host.map(isLoopback) ?? false
        default: false
        }
    }

    /// Checks every URL credentials will be sent to (or with): https or loopback, and a Microsoft host of `cloud`
    /// or one in `allowedHosts`.
    public static func check(_ urls: [URL], cloud: GraphCloud, allowedHosts: Set<String>) throws {
        let allowed = Set(allowedHosts.map { $0.lowercased() })
        for url in urls {
            guard isAllowedScheme(url) else { throw GraphError.insecureEndpoint(url.absoluteString) }
            let host = url.host?.lowercased() ?? ""
            let isMicrosoft = url.scheme?.lowercased() == "https"
                && (cloud.microsoftHosts.contains(host) || host.hasSuffix("." + cloud.keyVaultDomain))
            guard isMicrosoft || allowed.contains(host) else {
                throw GraphError.credentialsRefused(host: host, option: allowOption)
            }
        }
    }
}

extension GraphCloud {
    /// The sign-in, Graph and Resource Manager hosts of this cloud.
    public var microsoftHosts: Set<String> { [loginHost, graphHost, armHost] }

    /// Key Vaults are `NAME.<domain>`.
    public var keyVaultDomain: String {
        switch self {
        case .global: "vault.azure.net"
        case .usgov, .dod: "vault.usgovcloudapi.net"
        case .china: "vault.azure.cn"
        }
    }
}

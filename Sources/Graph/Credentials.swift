import Foundation

/// Which credentials to sign in with, from the Azure SDK environment variables (config.md) and the options:
/// `BREAKGLASS_GRAPH_TOKEN`, else `--device-code`, else `AZURE_CLIENT_CERTIFICATE_PATH`, else `AZURE_CLIENT_SECRET`.
public enum Credentials {
    public static func provider(
        tenant: String?, deviceCode: Bool, environment: [String: String], endpoints: GraphEndpoints,
        transport: any HTTPTransport, clock: any Clock<Duration> = ContinuousClock(),
        delegatedPermissions: [String] = GraphPermissions.readOnly,
        prompt: @escaping @Sendable (String) -> Void
    ) throws -> (provider: any TokenProvider, kind: String) {
        if let token = environment["BREAKGLASS_GRAPH_TOKEN"], !token.isEmpty {
            return (StaticTokenProvider(token: token), "token from BREAKGLASS_GRAPH_TOKEN")
        }
        guard let tenant = tenant ?? environment["AZURE_TENANT_ID"], !tenant.isEmpty else {
            throw GraphError.missingCredentials("no tenant: give --tenant ID or set AZURE_TENANT_ID")
        }
        if deviceCode {
            let clientID = environment["AZURE_CLIENT_ID"].flatMap { $0.isEmpty ? nil : $0 }
            let provider = clientID.map {
                DeviceCodeProvider(tenant: tenant, clientID: $0, endpoints: endpoints, transport: transport,
                                   clock: clock, permissions: delegatedPermissions, prompt: prompt)
            } ?? DeviceCodeProvider(tenant: tenant, endpoints: endpoints, transport: transport, clock: clock,
                                    permissions: delegatedPermissions, prompt: prompt)
            return (provider, "device code")
        }
        guard let clientID = environment["AZURE_CLIENT_ID"], !clientID.isEmpty else {
            throw GraphError.missingCredentials(
                "no credentials: set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, "
                    + "set BREAKGLASS_GRAPH_TOKEN, or use --device-code")
        }
        if let path = environment["AZURE_CLIENT_CERTIFICATE_PATH"], !path.isEmpty {
            let certificate = try ClientCertificate(contentsOf: URL(fileURLWithPath: path))
            return (ClientCertificateProvider(tenant: tenant, clientID: clientID, certificate: certificate,
                                              endpoints: endpoints, transport: transport), "client certificate")
        }
        if let secret = environment["AZURE_CLIENT_SECRET"], !secret.isEmpty {
            return (ClientSecretProvider(tenant: tenant, clientID: clientID, secret: secret, endpoints: endpoints,
                                         transport: transport), "client secret")
        }
        throw GraphError.missingCredentials(
            "AZURE_CLIENT_ID is set but neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is")
    }
}

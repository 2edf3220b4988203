import Foundation

/// What went wrong talking to Microsoft Graph or the sign-in service. Never holds a token or a secret.
public enum GraphError: Error, Equatable, Sendable {
    /// Graph answered with an error status: the request, the status and Graph's own code and message.
    case http(request: String, status: Int, code: String?, message: String?)
    /// 403: the request, Graph's code and message, and the permission the app lacks.
    case forbidden(request: String, code: String?, message: String?, permission: String?)
    /// The sign-in service refused: the endpoint and its `error` / `error_description`.
    case authentication(endpoint: String, code: String, message: String)
    /// The device code expired before anyone signed in.
    case deviceCodeExpired
    /// The person declined to sign in.
    case deviceCodeDeclined
    /// Retries on throttling or transient failures ran out (attempts or the retry budget).
    case retriesExhausted(request: String, attempts: Int, last: String)
    /// A transport failure that is not retried.
    case transport(request: String, reason: String)
    /// A write whose answer was lost (connection closed, 5xx): it may or may not have happened.
    case outcomeUnknown(request: String, reason: String)
    /// The response was not what Graph sends.
    case malformedResponse(request: String, reason: String)
    /// No usable credentials in the environment or options.
    case missingCredentials(String)
    /// The certificate PEM could not be used.
    case invalidCertificate(String)
    /// Plain http to a host that is not this machine: credentials would cross the network in clear.
    case insecureEndpoint(String)
    /// Credentials would go to a host that is not one of the cloud's Microsoft hosts, and the user did not allow it.
    case credentialsRefused(host: String, option: String)
}

extension GraphError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .http(let request, let status, let code, let message):
            "\(request) failed with HTTP \(status)\(Self.detail(code, message))"
        case .forbidden(let request, let code, let message, let permission):
            "\(request) was refused (HTTP 403)\(Self.detail(code, message))"
                + (permission.map { "; the app needs the \($0) permission (admin consent)" } ?? "")
        case .authentication(let endpoint, let code, let message):
            "sign-in failed at \(endpoint): \(code)\(message.isEmpty ? "" : ": \(Self.firstLine(message))")"
        case .deviceCodeExpired: "the device code expired before sign-in completed; run the command again"
        case .deviceCodeDeclined: "sign-in was declined on the device code page"
        case .retriesExhausted(let request, let attempts, let last):
            "\(request) kept failing after \(attempts) attempts (last: \(last))"
        case .transport(let request, let reason): "\(request): \(reason)"
        case .outcomeUnknown(let request, let reason):
            "\(request): no answer (\(Self.firstLine(reason))); it may or may not have been applied: run the same command again to resume"
        case .malformedResponse(let request, let reason): "\(request): unexpected response: \(reason)"
        case .missingCredentials(let text): text
        case .invalidCertificate(let text): "client certificate: \(text)"
        case .insecureEndpoint(let url):
            "\(url) is plain http to another machine: use https (http is allowed only to this machine, 127.0.0.1 or ::1)"
        case .credentialsRefused(let host, let option):
            "not sending credentials to \(host): it is not one of this cloud's Microsoft hosts. If you trust it (the "
                + "emulator, a proxy you run), say so with \(option) \(host)"
        }
    }

    public var errorDescription: String? { description }

    static func detail(_ code: String?, _ message: String?) -> String {
        switch (code, message) {
        case let (code?, message?): ": \(code): \(firstLine(message))"
        case let (code?, nil): ": \(code)"
        case let (nil, message?): ": \(firstLine(message))"
        case (nil, nil): ""
        }
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "")
    }
}

/// Graph's error body: `{"error": {"code", "message"}}`.
struct GraphErrorBody: Decodable {
    struct Inner: Decodable {
        var code: String?
        var message: String?
    }
    var error: Inner?

    static func parse(_ data: Data) -> (code: String?, message: String?) {
        guard let body = try? JSONDecoder().decode(GraphErrorBody.self, from: data) else { return (nil, nil) }
        return (body.error?.code, body.error?.message)
    }
}

/// The least-privileged application permission each read needs (graph.md §1), named in 403 errors.
public enum GraphPermissions {
    /// The permission a write needs (graph.md §10; Learn pages cited beside the write requests in Provision).
    public static func required(forPath path: String, method: String) -> String? {
        guard method != "GET" else { return required(forPath: path) }
        let path = path.lowercased()
        let table: [(String, String)] = [
            ("/identity/conditionalaccess/policies", "Policy.Read.All and Policy.ReadWrite.ConditionalAccess"),
            ("/rolemanagement/directory/roleassignments", "RoleManagement.ReadWrite.Directory"),
            // Learn: directory-post-administrativeunits, administrativeunit-post-members (before the groups' $ref).
            ("/administrativeunits", "AdministrativeUnit.ReadWrite.All (a signed-in person also needs Privileged Role Administrator)"),
            ("/members/$ref", "GroupMember.ReadWrite.All (and RoleManagement.ReadWrite.Directory for a role-assignable group)"),
            ("/groups", "Group.ReadWrite.All and RoleManagement.ReadWrite.Directory (role-assignable group)"),
            ("/secrets/", "Key Vault secrets/set (Key Vault Secrets Officer)"),
            ("/users/", "User-PasswordProfile.ReadWrite.All, with Privileged Authentication Administrator for an administrator's password; a member of a restricted-management administrative unit cannot be changed from tenant scope at all"),
            ("/users", "User.ReadWrite.All"),
            ("/deployments/", "an Azure role that can deploy the resources (Monitoring Contributor on the resource group; for the diagnostic setting, Security Administrator or Global Administrator at tenant scope)"),
        ]
        return table.first { path.contains($0.0) }?.1
    }

    public static func required(forPath path: String) -> String? {
        let path = path.lowercased()
        let table: [(String, String)] = [
            ("/auditlogs/directoryaudits", "AuditLog.Read.All and Directory.Read.All"),
            ("/auditlogs/", "AuditLog.Read.All"),
            ("/authentication/methods", "UserAuthenticationMethod.Read.All"),
            ("/rolemanagement/directory/roleassignmentscheduleinstances", "RoleAssignmentSchedule.Read.Directory"),
            ("/rolemanagement/directory/roleeligibilityschedules", "RoleEligibilitySchedule.Read.Directory"),
            ("/rolemanagement/", "RoleManagement.Read.Directory"),
            ("/identity/conditionalaccess/", "Policy.Read.All"),
            ("/policies/authenticationmethodspolicy", "Policy.Read.AuthenticationMethod (or Policy.Read.All)"),
            ("/serviceprincipals", "Application.Read.All"),
            ("/applications", "Application.Read.All"),
            ("/administrativeunits", "AdministrativeUnit.Read.All"),
            ("/policies/", "Policy.Read.All"),
            ("/members", "GroupMember.Read.All"),
            ("/owners", "GroupMember.Read.All"),
            ("/groups", "Group.Read.All"),
            ("/users", "User.Read.All"),
            ("/domains", "Domain.Read.All"),
            ("/organization", "Organization.Read.All"),
        ]
        return table.first { path.contains($0.0) }?.1
    }

    /// Every permission `breakglass snapshot` and `audit --tenant` use: all read-only.
    public static let readOnly = [
        "Organization.Read.All", "Domain.Read.All", "User.Read.All", "Group.Read.All", "GroupMember.Read.All",
        "RoleManagement.Read.Directory", "RoleAssignmentSchedule.Read.Directory",
        "RoleEligibilitySchedule.Read.Directory", "Policy.Read.All", "UserAuthenticationMethod.Read.All",
        "AuditLog.Read.All", "Directory.Read.All", "Application.Read.All", "AdministrativeUnit.Read.All",
    ]
}

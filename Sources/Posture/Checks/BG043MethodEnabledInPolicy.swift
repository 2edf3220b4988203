import EntraModel
import Foundation

struct BG043MethodEnabledInPolicy: Check {
    static let metadata = CheckMetadata(
        id: "BG043", title: "The method each emergency account relies on is enabled for it", severity: .critical,
        subject: .account,
        rationale: """
            A registered FIDO2 key or certificate only signs in while the tenant's authentication methods policy \
            enables that method for the account. Disabling FIDO2 tenant-wide — during a migration, a security \
            incident, or by an Authentication Policy Administrator acting in bad faith — or excluding a group that \
            holds the account, locks out every account that relies on it, however well it is excluded from \
            Conditional Access. Check the policy for the exact methods the accounts use, and watch it for changes.
            """,
        remediation: .init(
            portal: "Entra admin center > Protection > Authentication methods > Policies > the method (Passkey (FIDO2), Certificate-based authentication): Enable, target All users or a group holding the emergency accounts, and exclude no group that holds them.",
            graph: "PATCH /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2 {\"@odata.type\":\"#microsoft.graph.fido2AuthenticationMethodConfiguration\",\"state\":\"enabled\"}"),
        references: [
            .learn("Manage authentication methods for Microsoft Entra ID", "authentication/concept-authentication-methods-manage"),
            Reference("Get authenticationMethodsPolicy (Microsoft Graph)", "https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get"),
            .emergencyAccess,
        ]
    )

    func run(in context: TenantContext) -> [Finding] {
        forEachAccount(context) { account, user in
            guard let credentials = context.credentials(of: user) else {
                return unknown(account.subject, context.methodsUnavailable(user))
            }
            guard !credentials.isEmpty else {
                return notApplicable(account.subject, "\(user.name) has no phishing-resistant credential registered (see BG040).")
            }
            let governed = credentials.filter { $0.policyConfigurations != nil }
            if governed.count < credentials.count {
                let free = credentials.filter { $0.policyConfigurations == nil }.map(\.label)
                return pass(account.subject, "\(user.name) signs in with \(Set(free).sorted().joinedAsList), which the authentication methods policy does not govern.")
            }
            guard let policy = context.snapshot.authenticationMethodsPolicy else {
                return unknown(account.subject, "Whether \(user.name)'s methods are enabled is unknown: \(context.missing(.authenticationMethodsPolicy))")
            }
            var enabled: [String] = []
            var disabled: [String] = []
            var undetermined: [String] = []
            for credential in governed {
                let verdicts = (credential.policyConfigurations ?? []).map { Self.allows(policy.configuration($0), user, context) }
                if verdicts.contains(.allowed) {
                    enabled.append(credential.label)
                } else if verdicts.contains(.unknown) {
                    undetermined.append(credential.label)
                } else {
                    let reason = verdicts.lazy.compactMap(\.denial).first ?? "disabled"
                    disabled.append("\(credential.label) (\(reason))")
                }
            }
            if !enabled.isEmpty {
                let note = disabled.isEmpty ? "" : "; not enabled: \(disabled.joinedAsList)"
                return pass(account.subject, "The authentication methods policy enables \(Set(enabled).sorted().joinedAsList) for \(user.name)\(note).")
            }
            if !undetermined.isEmpty {
                return unknown(account.subject, "The policy targets groups whose members are not in the snapshot, so whether it enables \(undetermined.joinedAsList) for \(user.name) is unknown.")
            }
            return fail(account.subject, "The authentication methods policy does not enable any method \(user.name) relies on: \(disabled.joinedAsList). The account cannot pass MFA.",
                        evidence: ["disabled": .array(disabled.map { .string($0) })])
        }
    }

    enum Verdict: Equatable {
        case allowed, denied(String), unknown

        var denial: String? {
            if case .denied(let reason) = self { return reason }
            return nil
        }
    }

    /// Whether a configuration lets the user use the method: enabled, a target including the user, no exclusion.
    static func allows(_ configuration: AuthenticationMethodConfiguration?, _ user: User, _ context: TenantContext) -> Verdict {
        guard let configuration else { return .denied("not configured in the policy") }
        guard configuration.isEnabled else { return .denied("\(configuration.id) is \(configuration.state ?? "not enabled") tenant-wide") }
        func contains(_ target: AuthenticationMethodConfiguration.Target) -> Bool? {
            if target.isAllUsers { return true }
            guard context.directory.hasMembers(ofGroup: target.id) else { return nil }
            return context.directory.transitiveGroups(of: user.id).contains(Directory.normalized(target.id))
        }
        var exclusionUnknown = false
        for target in configuration.excludeTargets {
            switch contains(target) {
            case true?: return .denied("\(configuration.id) excludes \(context.groupSubject(target.id).name)")
            case nil: exclusionUnknown = true
            default: break
            }
        }
        if exclusionUnknown { return .unknown }
        let inclusions = configuration.includeTargets.map(contains)
        if inclusions.contains(true) { return .allowed }
        if inclusions.contains(nil) { return .unknown }
        return .denied("\(configuration.id) targets no group holding the account")
    }
}

import EntraModel
import Foundation

struct BG035SecurityDefaults: Check {
    static let metadata = CheckMetadata(
        id: "BG035", title: "Security defaults do not stand in the way", severity: .high, subject: .tenant,
        rationale: """
            Security defaults cannot exclude anyone: they require MFA of every administrator, emergency accounts \
            included. When they are on, each emergency account must have an MFA method registered, or it cannot \
            sign in at all; most tenants with emergency accounts use Conditional Access instead.
            """,
        remediation: .init(
            portal: "Entra admin center > Overview > Properties > Manage security defaults: turn them off once Conditional Access policies replace them — or register a FIDO2 key on each emergency account.",
            graph: "PATCH /policies/identitySecurityDefaultsEnforcementPolicy {\"isEnabled\": false}"),
        references: [.learn("Security defaults", "../fundamentals/security-defaults"), .emergencyAccess]
    )

    func run(in context: TenantContext) -> [Finding] {
        let subject = context.tenantSubject
        guard let defaults = context.snapshot.securityDefaults else {
            let reason = context.snapshot.whyUnavailable(.securityDefaults)?.description ?? "security-defaults.json is not in the snapshot"
            return [unknown(subject, "Cannot tell whether security defaults are on: \(reason).")]
        }
        guard defaults.isEnabled else { return [pass(subject, "Security defaults are off.")] }
        var without: [String] = []
        var unknownMethods: [String] = []
        for (_, user) in context.resolvedAccounts {
            guard let methods = context.methods(of: user) else {
                unknownMethods.append(user.name)
                continue
            }
            if !methods.contains(where: \.satisfiesMFA) { without.append(user.name) }
        }
        if !without.isEmpty {
            return [fail(subject, "Security defaults are on and require MFA, but \(without.joinedAsList) \(without.count == 1 ? "has" : "have") no MFA method registered.")]
        }
        if !unknownMethods.isEmpty {
            return [unknown(subject, "Security defaults are on; the methods of \(unknownMethods.joinedAsList) are unknown.")]
        }
        return [pass(subject, "Security defaults are on (they cannot exclude anyone); every emergency account has an MFA method registered.")]
    }
}

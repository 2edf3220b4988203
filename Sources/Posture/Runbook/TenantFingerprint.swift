import AccessPolicy
import Crypto
import EntraModel
import Foundation

/// A digest of the tenant state the emergency accounts depend on: the accounts (user object, roles, methods,
/// certificate binding), the groups that exclude them (settings and transitive members), every Conditional Access
/// policy's state, users condition and grant, the named locations and security defaults. Two snapshots with the same
/// fingerprint give the same runbook; a change to any of these changes it (BG064).
public enum TenantFingerprint {
    /// `sha256:` and the hex digest of `lines(context)`.
    public static func digest(_ context: TenantContext) -> String {
        let text = lines(context).joined(separator: "\n")
        return "sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The canonical description the digest is taken of, one fact per line, in a fixed order.
    static func lines(_ context: TenantContext) -> [String] {
        let directory = context.directory
        let snapshot = context.snapshot
        var lines: [String] = []
        func list(_ values: [String]) -> String { values.map { $0.lowercased() }.sorted().joined(separator: ",") }

        for (_, user) in context.resolvedAccounts.sorted(by: { $0.user.id.lowercased() < $1.user.id.lowercased() }) {
            let id = user.id.lowercased()
            lines.append("account \(id) upn=\(user.userPrincipalName ?? "") enabled=\(user.accountEnabled.map(String.init) ?? "?") "
                + "synced=\(user.isSynchronized) passwordPolicies=\(user.passwordPolicies ?? "") "
                + "certificateUserIds=\(list(user.authorizationInfo?.certificateUserIds ?? []))")
            let roles = directory.activeRoles(of: id, at: context.now).map { holding in
                "role \(holding.roleTemplateID) scope=\(holding.scope) kind=\(holding.kind.rawValue) "
                    + "end=\(holding.endDateTime.map(GraphDate.format) ?? "-")"
            }
            lines += roles.sorted().map { "  " + $0 }
            let methods = (snapshot.authenticationMethods[id] ?? []).map { method in
                "method \(method.kind) \(method.aaGuid?.lowercased() ?? "-") \(method.phoneType ?? "-") "
                    + "phoneSignIn=\(method.isPhoneSignIn)"
            }
            lines += methods.sorted().map { "  " + $0 }
        }
        for id in context.exclusionGroups.sorted() {
            let group = directory.group(id)
            let members = directory.transitiveUsers(ofGroup: id)
            lines.append("group \(id) assignable=\(group?.roleAssignable.map(String.init) ?? "?") "
                + "dynamic=\(group?.isDynamic ?? false) synced=\(group?.isSynchronized ?? false) "
                + "members=\(list(Array(members.users))) unknown=\(list(Array(members.unknownGroups)))")
        }
        for policy in snapshot.policies.sorted(by: { $0.id < $1.id }) {
            let users = policy.conditions.users
            let grant = policy.grantControls
            lines.append("policy \(policy.id) state=\(policy.state) name=\(policy.displayName) "
                + "modified=\(policy.modifiedDateTime.map(GraphDate.format) ?? "-")")
            lines.append("  users +\(list(users.includeUsers)) -\(list(users.excludeUsers)) "
                + "groups +\(list(users.includeGroups)) -\(list(users.excludeGroups)) "
                + "roles +\(list(users.includeRoles)) -\(list(users.excludeRoles))")
            lines.append("  grant \(grant?.operator ?? "-") \(list(grant?.builtInControls ?? [])) "
                + "strength=\(grant?.authenticationStrength?.id ?? "-") terms=\(list(grant?.termsOfUse ?? []))")
        }
        for location in (snapshot.namedLocations ?? []).sorted(by: { $0.id < $1.id }) {
            lines.append("location \(location.id) trusted=\(location.isTrusted) ranges=\(list(location.ipRanges)) "
                + "countries=\(list(location.countriesAndRegions))")
        }
        lines.append("securityDefaults \(snapshot.securityDefaults.map { String($0.isEnabled) } ?? "?")")
        return lines
    }
}

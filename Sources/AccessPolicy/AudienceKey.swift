import EntraModel
import Foundation

/// Everything about a user that can change a Conditional Access evaluation: the groups and roles the policies name
/// that the user has, whether a policy names the user, the guest kind, whether security defaults see an admin, and
/// the registered methods. Two users with equal keys get equal decisions for equal sign-in contexts, so evaluating
/// one answers for all. (`simulate --all-users` no longer relies on it: when memberships are diverse nearly every
/// user is a class of their own; `PopulationEvaluator` evaluates in columns instead.)
public struct AudienceKey: Hashable, Sendable {
    var groups: [String]
    var roles: [String]
    var namedUser: String?
    var externalKind: String?
    var isAdministrator: Bool
    /// Sorted method kinds (with phone types); nil when the snapshot does not hold the user's methods.
    var methods: [String]?
}

/// The groups, roles and users that a set of compiled policies names.
struct AudienceVocabulary: Sendable {
    let groups: Set<String>
    let roles: Set<String>
    let users: Set<String>
    let needsRoles: Bool

    init(_ policies: [CompiledPolicy], securityDefaults: Bool) {
        var groups: Set<String> = []
        var roles: Set<String> = []
        var users: Set<String> = []
        for policy in policies {
            groups.formUnion(policy.users.includeGroups)
            groups.formUnion(policy.users.excludeGroups)
            roles.formUnion(policy.users.includeRoles)
            roles.formUnion(policy.users.excludeRoles)
            users.formUnion(policy.users.includeUsers)
            users.formUnion(policy.users.excludeUsers)
        }
        self.groups = groups
        self.roles = roles
        self.users = users
        needsRoles = securityDefaults || !roles.isEmpty
    }
}

extension Evaluator {
    /// The user's audience key for this evaluator's policies (see `AudienceKey`).
    public func audienceKey(ofUser userID: String) -> AudienceKey {
        let user = directory.user(idOrUPN: userID)
        let id = Directory.normalized(user?.id ?? userID)
        let groups = directory.transitiveGroups(of: id)
        var roles: [String] = []
        var isAdministrator = false
        if vocabulary.needsRoles {
            let active = directory.activeRoles(of: id, at: now, groups: groups).filter(\.isDirectoryWide)
            roles = Set(active.map(\.roleTemplateID)).filter { vocabulary.roles.contains($0) }.sorted()
            isAdministrator = tenant.securityDefaultsEnabled
                && active.contains { WellKnownRole.securityDefaultsAdministrators[$0.roleTemplateID] != nil }
        }
        // Everything about a method that the evaluation reads: kind, phone type, key model, phone sign-in, strength.
        let methods = directory.authenticationMethods(ofUser: id, at: now).map { list in
            list.map { method in
                [method.kind, method.phoneType ?? "", method.aaGuid?.lowercased() ?? "",
                 method.isPhoneSignIn ? "phoneSignIn" : "", method.strengthCombinations.joined(separator: "+")]
                    .joined(separator: ":")
            }.sorted()
        }
        return AudienceKey(
            groups: groups.isEmpty ? [] : groups.filter { vocabulary.groups.contains($0) }.sorted(),
            roles: roles,
            namedUser: vocabulary.users.contains(id) ? id : nil,
            externalKind: user.flatMap(ExternalUserKind.init(user:))?.rawValue,
            isAdministrator: isAdministrator,
            methods: methods)
    }
}

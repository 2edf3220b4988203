import Foundation

/// What a token may do in the emulator: the permissions consented (application roles or delegated scopes) and the
/// Entra roles (template ids) the caller holds. Reads are never checked; writes are, as Graph checks them.
public struct EmulatorGrant: Sendable, Hashable {
    public var permissions: Set<String>
    /// Role template ids: the app's service principal (application) or the signed-in person (delegated).
    public var roles: Set<String>
    /// A person signed in (device code): Graph then also checks the person's Entra roles where Learn says "in
    /// delegated scenarios". The emulator sets it when it issues a delegated token.
    public var isDelegated = false

    public init(permissions: Set<String>, roles: Set<String> = []) {
        self.permissions = permissions
        self.roles = roles
    }

    /// Every permission, and Global Administrator: the emulator's behaviour before grants existed.
    public static let unrestricted = EmulatorGrant(permissions: ["*"], roles: [EntraRole.globalAdministrator])

    func has(_ permission: String) -> Bool { permissions.contains("*") || permissions.contains(permission) }
    func hasAny(_ permissions: [String]) -> Bool { permissions.contains(where: has) }
    func holdsAny(_ roles: Set<String>) -> Bool { !self.roles.isDisjoint(with: roles) }
}

/// Built-in role template ids (graph.md §4; Learn "Microsoft Entra built-in roles").
public enum EntraRole {
    public static let globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
    public static let privilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814"
    public static let privilegedAuthenticationAdministrator = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
    public static let userAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1"
    public static let helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
    public static let passwordAdministrator = "966707d0-3269-4727-9be2-8c3a10f19b9d"
    public static let authenticationAdministrator = "c4e39bd9-1100-46d3-8c65-fb160da0071f"

    /// Learn, "Privileged roles and permissions in Microsoft Entra ID" > "Who can reset passwords": only a Privileged
    /// Authentication Administrator or a Global Administrator can reset a Global Administrator's password.
    static let canResetAnyPassword: Set<String> = [globalAdministrator, privilegedAuthenticationAdministrator]
    /// …and these also reset the passwords of users who hold no administrator role.
    /// Learn, administrativeunit-post-members and administrativeunit-delete-members: in delegated scenarios the
    /// signed-in person needs at least Privileged Role Administrator to change a unit's members.
    static let canManageUnitMembers: Set<String> = [globalAdministrator, privilegedRoleAdministrator]
    static let canResetNonAdminPassword: Set<String> = canResetAnyPassword.union([
        userAdministrator, helpdeskAdministrator, passwordAdministrator, authenticationAdministrator,
    ])
}

import EntraModel
import Foundation

/// What holding a role or a Microsoft Graph application permission lets a principal do to an emergency account.
/// The lists follow issue 15 and Microsoft Learn: "Microsoft Entra built-in roles" (role-based-access-control/
/// permissions-reference), "Privileged roles and permissions" (role-based-access-control/privileged-roles-permissions),
/// "Restricted management administrative units" (role-based-access-control/admin-units-restricted-management) and the
/// Microsoft Graph permissions reference (graph/permissions-reference).
enum Effect: Sendable, Hashable {
    /// Take over (or lock out) every emergency account; `restrictable` when membership in a restricted-management
    /// administrative unit blocks the direct change (Learn: tenant-scoped roles and application permissions cannot
    /// modify its members, while Global and Privileged Role Administrators can still scope a role to themselves).
    case account(PathKind, restrictable: Bool, why: String)
    /// Change the members of an exclusion group that is not role-assignable (and not in a restricted unit).
    case exclusionGroupMembers(why: String)
    /// Add a credential to any application and sign in as it.
    case anyApplication(why: String)
}

enum TierZeroRules {
    /// Directory roles by template id: (name, effects).
    static let roles: [String: (name: String, effects: [Effect])] = [
        WellKnownRole.globalAdministrator: ("Global Administrator", [
            .account(.takeOver, restrictable: false,
                     why: "A Global Administrator resets any password and registers methods; inside a restricted-management unit it assigns itself a role scoped to it first (an audited step, not a barrier)."),
        ]),
        WellKnownRole.privilegedRoleAdministrator: ("Privileged Role Administrator", [
            .account(.takeOver, restrictable: false,
                     why: "A Privileged Role Administrator assigns any role, Global Administrator included, to itself."),
        ]),
        WellKnownRole.privilegedAuthenticationAdministrator: ("Privileged Authentication Administrator", [
            .account(.takeOver, restrictable: true,
                     why: "A Privileged Authentication Administrator resets the password and the methods of any user, Global Administrators included."),
        ]),
        TierZeroRole.conditionalAccessAdministrator: ("Conditional Access Administrator", [
            .account(.lockOut, restrictable: false,
                     why: "A Conditional Access Administrator creates or edits the policy that blocks the account, or drops its exclusion."),
        ]),
        TierZeroRole.securityAdministrator: ("Security Administrator", [
            .account(.lockOut, restrictable: false,
                     why: "A Security Administrator edits Conditional Access policies."),
        ]),
        TierZeroRole.authenticationPolicyAdministrator: ("Authentication Policy Administrator", [
            .account(.lockOut, restrictable: false,
                     why: "An Authentication Policy Administrator disables the method the account signs in with for the whole tenant."),
        ]),
        TierZeroRole.userAdministrator: ("User Administrator", [
            .account(.lockOut, restrictable: true,
                     why: "A User Administrator manages users and their group memberships; only membership in a restricted-management unit keeps it off the account."),
            .exclusionGroupMembers(why: "A User Administrator changes the members of groups that are not role-assignable."),
        ]),
        TierZeroRole.groupsAdministrator: ("Groups Administrator", [
            .exclusionGroupMembers(why: "A Groups Administrator changes the members of groups that are not role-assignable."),
        ]),
        TierZeroRole.applicationAdministrator: ("Application Administrator", [
            .anyApplication(why: "An Application Administrator adds credentials to any application registration and service principal."),
        ]),
        TierZeroRole.cloudApplicationAdministrator: ("Cloud Application Administrator", [
            .anyApplication(why: "A Cloud Application Administrator adds credentials to any application registration and service principal."),
        ]),
    ]

    /// Microsoft Graph application permissions by name (the `value` of the Graph service principal's app role).
    static let permissions: [String: [Effect]] = [
        "RoleManagement.ReadWrite.Directory": [
            .account(.takeOver, restrictable: false,
                     why: "RoleManagement.ReadWrite.Directory lets the app assign itself Global Administrator."),
        ],
        "AppRoleAssignment.ReadWrite.All": [
            .account(.takeOver, restrictable: false,
                     why: "AppRoleAssignment.ReadWrite.All lets the app grant itself any permission, RoleManagement.ReadWrite.Directory included."),
        ],
        "UserAuthenticationMethod.ReadWrite.All": [
            .account(.takeOver, restrictable: true,
                     why: "UserAuthenticationMethod.ReadWrite.All lets the app register a method (a Temporary Access Pass) on any user."),
        ],
        "Application.ReadWrite.All": [
            .anyApplication(why: "Application.ReadWrite.All lets the app add credentials to any application and service principal and act as it."),
        ],
        "Policy.ReadWrite.ConditionalAccess": [
            .account(.lockOut, restrictable: false,
                     why: "Policy.ReadWrite.ConditionalAccess lets the app write the policy that blocks the account."),
        ],
        "Policy.ReadWrite.AuthenticationMethod": [
            .account(.lockOut, restrictable: false,
                     why: "Policy.ReadWrite.AuthenticationMethod lets the app disable the account's method tenant-wide."),
        ],
        "Directory.ReadWrite.All": [
            .exclusionGroupMembers(why: "Directory.ReadWrite.All lets the app change the members of groups that are not role-assignable (it does not reset passwords)."),
        ],
        "Group.ReadWrite.All": [
            .exclusionGroupMembers(why: "Group.ReadWrite.All lets the app change the members of groups that are not role-assignable."),
        ],
        "GroupMember.ReadWrite.All": [
            .exclusionGroupMembers(why: "GroupMember.ReadWrite.All lets the app change the members of groups that are not role-assignable."),
        ],
    ]

    /// Permissions that are a take-over on their own (BG023): they either take over directly or, for
    /// Application.ReadWrite.All, through any application that does.
    static let takeOverPermissions: Set<String> = [
        "RoleManagement.ReadWrite.Directory", "AppRoleAssignment.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All",
        "Application.ReadWrite.All",
    ]

    static let takeOverRoles: Set<String> = [
        WellKnownRole.globalAdministrator, WellKnownRole.privilegedRoleAdministrator,
        WellKnownRole.privilegedAuthenticationAdministrator,
    ]
}

/// Template ids of the built-in roles the analysis follows (Learn: "Microsoft Entra built-in roles").
public enum TierZeroRole {
    public static let conditionalAccessAdministrator = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
    public static let securityAdministrator = "194ae4cb-b126-40b2-bd5b-6091b380977d"
    public static let authenticationPolicyAdministrator = "0526716b-113d-4c15-b2c8-68e3c22b9f80"
    public static let userAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1"
    public static let groupsAdministrator = "fdd7a751-b60b-444a-984c-02652fe8fa1c"
    public static let applicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
    public static let cloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7"
}

import Foundation

/// The incident playbooks of the runbook: the portal path and the Microsoft Graph PowerShell commands for each
/// incident the emergency accounts exist for. Commands are the documented ones (Learn): `Update-MgDomain
/// -AuthenticationType Managed` ("Migrate from federation to cloud authentication"), `Update-MgIdentity
/// ConditionalAccessPolicy -State` ("Conditional Access: Graph API"), `Revoke-MgUserSignInSession` ("Revoke user
/// access in an emergency").
extension Runbook {
    static func retrieval(tenant: String, threshold: Int) -> [Step] {
        [
            Step(text: "Get the approval of one of the authorisers listed above and note who approved, when and why.",
                 portal: nil, command: nil),
            Step(text: "\(threshold) custodians meet with their share sheets; each types their own sheet, nobody else sees it. "
                     + "The combination is recorded in the custody ledger.",
                 portal: nil,
                 command: "breakglass custody combine sheet-A.txt sheet-B.txt --ledger custody.db --actor \"<your name>\" --out password.txt"),
            Step(text: "On a clean device, open a private browser window and sign in as the emergency account with the "
                     + "password and its security key. Delete password.txt afterwards.",
                 portal: "https://entra.microsoft.com (tenant \(tenant))", command: nil),
        ]
    }

    static func playbooks(tenant: String, upns: [String], federatedDomains: [String], threshold: Int) -> [Playbook] {
        let account = upns.first ?? "<emergency account>"
        let connect = "Connect-MgGraph -TenantId \(tenant) -Scopes"
        let domains = federatedDomains.isEmpty ? ["<federated domain>"] : federatedDomains
        return [
            Playbook(
                id: "federation", title: "Federation (AD FS) outage",
                symptoms: "Users of the federated domains (\(federatedDomains.isEmpty ? "none today" : federatedDomains.joined(separator: ", "))) "
                    + "are sent to AD FS and cannot sign in; cloud-only accounts on \(tenant) still can.",
                scenario: "federation-outage",
                steps: retrieval(tenant: tenant, threshold: threshold) + [
                    Step(text: "Confirm the outage: a federated user's sign-in fails at the AD FS page, and the "
                             + "federation servers or their certificates are unreachable or expired.",
                         portal: "Entra admin center > Identity > Monitoring & health > Sign-in logs (filter: status Failure)",
                         command: nil),
                    Step(text: "Switch each federated domain to cloud authentication. Users sign in with their "
                             + "synchronized password hashes; without password hash synchronization they need a password reset.",
                         portal: "Entra admin center > Identity > Hybrid management > Microsoft Entra Connect > Connect Sync",
                         command: (["\(connect) Domain-InternalFederation.ReadWrite.All"]
                             + domains.map { "Update-MgDomain -DomainId \($0) -AuthenticationType Managed" })
                             .joined(separator: "\n")),
                    Step(text: "Check that a federated user now signs in; switch back to federation when AD FS is healthy.",
                         portal: nil, command: nil),
                ]),
            Playbook(
                id: "conditional-access", title: "Conditional Access lock-out",
                symptoms: "Administrators are refused with AADSTS53003 (blocked by Conditional Access) or AADSTS53000 "
                    + "(device not compliant) after a policy change; the emergency accounts are excluded and get in.",
                scenario: "normal",
                steps: retrieval(tenant: tenant, threshold: threshold) + [
                    Step(text: "Find the policy in the failed sign-ins of an administrator (Conditional Access tab), "
                             + "or the newest change in the audit log.",
                         portal: "Entra admin center > Identity > Monitoring & health > Sign-in logs > the sign-in > Conditional Access",
                         command: "\(connect) Policy.Read.All\nGet-MgIdentityConditionalAccessPolicy | Sort-Object ModifiedDateTime -Descending | Select-Object -First 5 Id, DisplayName, State, ModifiedDateTime"),
                    Step(text: "Switch the policy to report-only (or off); do not delete it, so it can be fixed and replayed.",
                         portal: "Entra admin center > Protection > Conditional Access > Policies > the policy > Enable policy: Report-only",
                         command: "\(connect) Policy.ReadWrite.ConditionalAccess\nUpdate-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId <policy id> -State enabledForReportingButNotEnforced"),
                    Step(text: "Before switching it back on, check the corrected policy with breakglass: the gate fails "
                             + "when it would reach an emergency account or lock out every administrator.",
                         portal: nil,
                         command: "breakglass gate --tenant \(tenant) --config breakglass.yml --policies fixed-policy.json"),
                ]),
            Playbook(
                id: "mfa", title: "MFA outage",
                symptoms: "MFA prompts do not arrive or fail (Authenticator push, SMS, voice), for everyone or for the "
                    + "administrators; Microsoft's mandatory MFA for the admin portals cannot be excluded.",
                scenario: "phone-mfa-outage",
                steps: retrieval(tenant: tenant, threshold: threshold) + [
                    Step(text: "Sign in with the security key: FIDO2 keys and certificates do not depend on the phone "
                             + "MFA service. If no MFA works at all, the admin portals stay closed; use Microsoft Graph "
                             + "from PowerShell, which the table above shows per account.",
                         portal: "https://entra.microsoft.com",
                         command: "\(connect) ServiceHealth.Read.All\nGet-MgServiceAnnouncementHealthOverview | Where-Object Status -ne serviceOperational"),
                    Step(text: "If a configuration change caused it (a method switched off in the authentication "
                             + "methods policy), switch the method back on.",
                         portal: "Entra admin center > Protection > Authentication methods > Policies",
                         command: "\(connect) Policy.ReadWrite.AuthenticationMethod\nUpdate-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId MicrosoftAuthenticator -BodyParameter @{ \"@odata.type\" = \"#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration\"; state = \"enabled\" }"),
                ]),
            Playbook(
                id: "compromise", title: "Compromised or deleted administrator accounts",
                symptoms: "Administrator accounts were taken over, disabled or deleted; an attacker may be changing "
                    + "roles, methods, policies or app credentials.",
                scenario: "normal",
                steps: retrieval(tenant: tenant, threshold: threshold) + [
                    Step(text: "List who holds Global Administrator now and compare with the expected list.",
                         portal: "Entra admin center > Identity > Roles & admins > Global Administrator",
                         command: "\(connect) RoleManagement.Read.Directory\nGet-MgRoleManagementDirectoryRoleAssignment -Filter \"roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'\" -ExpandProperty Principal"),
                    Step(text: "For each compromised account: revoke its sessions, disable it, remove its role "
                             + "assignments, and reset its password and methods.",
                         portal: "Entra admin center > Identity > Users > the user > Revoke sessions; Edit properties > Account enabled: off",
                         command: "\(connect) User.RevokeSessions.All,User.ReadWrite.All,RoleManagement.ReadWrite.Directory\nRevoke-MgUserSignInSession -UserId <user id>\nUpdate-MgUser -UserId <user id> -AccountEnabled:$false\nRemove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId <assignment id>"),
                    Step(text: "Restore deleted administrators from the recycle bin, then review what changed: new "
                             + "app credentials, Conditional Access policies, authentication methods and the "
                             + "exclusion group. \(account) and the other emergency accounts must still be excluded.",
                         portal: "Entra admin center > Identity > Users > Deleted users; Monitoring & health > Audit logs",
                         command: "breakglass logs scan AuditLogs.json --config breakglass.yml --since 7d"),
                ]),
        ]
    }

    static func afterwards(tenant: String, upns: [String], threshold: Int) -> [Step] {
        let account = upns.first ?? "<emergency account>"
        return [
            Step(text: "Sign out, close the private window and destroy password.txt. Write down what was done, by "
                     + "whom, and when, for the incident record.", portal: nil, command: nil),
            Step(text: "Rotate the password of every emergency account that was used — two people, never one: a "
                     + "plan, \(threshold) custodian approvals, then apply. New share sheets replace the old ones.",
                 portal: nil,
                 command: "breakglass rotate plan --tenant \(tenant) --config breakglass.yml --account \(account) --out rotate.json\n"
                     + "breakglass rotate approve rotate.json --key <custodian>.key   # each of \(threshold) custodians\n"
                     + "breakglass rotate apply rotate.json --config breakglass.yml"),
            Step(text: "Audit the tenant: the password must now be younger than the last sign-in (BG060), and "
                     + "nothing else may have changed.",
                 portal: nil, command: "breakglass audit --tenant \(tenant) --config breakglass.yml"),
            Step(text: "Print a new runbook if anything changed, and file this one.",
                 portal: nil, command: "breakglass runbook --tenant \(tenant) --config breakglass.yml --format html --output runbook.html"),
        ]
    }
}

// Placeholder until the generated demo tenant lands.
enum DemoTenantFiles {
    static let files: [String: String] = [
        "organization.json": #"{"value":[{"id":"00000000-0000-0000-0000-00000000c0de","displayName":"Contoso","verifiedDomains":[{"name":"contoso.onmicrosoft.com","isInitial":true}]}]}"#,
        "domains.json": #"{"value":[{"id":"contoso.onmicrosoft.com","authenticationType":"Managed","isInitial":true,"passwordValidityPeriodInDays":2147483647}]}"#,
        "users.json": #"{"value":[{"id":"11111111-0000-0000-0000-000000000001","userPrincipalName":"bg-01@contoso.onmicrosoft.com","userType":"Member","accountEnabled":true,"assignedLicenses":[]}]}"#,
        "groups.json": #"{"value":[]}"#,
        "role-definitions.json": #"{"value":[{"id":"62e90394-69f5-4237-9190-012177145e10","displayName":"Global Administrator","templateId":"62e90394-69f5-4237-9190-012177145e10"}]}"#,
        "role-assignments.json": #"{"value":[{"id":"a1","principalId":"11111111-0000-0000-0000-000000000001","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/"}]}"#,
        "conditional-access-policies.json": #"{"value":[]}"#,
        "breakglass.yml": "emergencyAccounts:\n  - id: 11111111-0000-0000-0000-000000000001\n",
    ]
}

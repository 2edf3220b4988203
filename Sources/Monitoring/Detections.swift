import Foundation

extension Detection {
    static let signInTables = ["SigninLogs", "AADNonInteractiveUserSignInLogs"]

    /// Every detection for the input's accounts and exclusion groups, in a fixed order. The exclusion-group detection
    /// needs at least one group; everything else needs at least one account.
    public static func all(for input: MonitoringInput) throws -> [Detection] {
        guard !input.accounts.isEmpty else { throw MonitoringError.noAccounts }
        var detections = [signIn(input), failedSignIn(input), credentialChange(input), membershipChange(input)]
        if !input.exclusionGroups.isEmpty { detections.append(exclusionGroupChange(input)) }
        detections += [policyChange(input), accountDisabledOrDeleted(input)]
        return detections
    }

    static let signInColumns = """
        | project TimeGenerated, SignInTable, AccountObjectId, AccountUPN, ResultType, ResultDescription, IPAddress,
            Location, AppDisplayName, ClientAppUsed, ConditionalAccessStatus, AuthenticationRequirement, CorrelationId, Id
        """
    static let initiator = """
        | extend InitiatedByObjectId = tostring(InitiatedBy.user.id), InitiatedByUPN = tostring(InitiatedBy.user.userPrincipalName),
            InitiatedByApp = tostring(InitiatedBy.app.displayName), IPAddress = tostring(InitiatedBy.user.ipAddress)
        """
    static let accountEntities = Entities(objectID: "AccountObjectId", userPrincipalName: "AccountUPN", ipAddress: "IPAddress")

    static func signInPipeline(_ input: MonitoringInput, failedOnly: Bool) -> [String] {
        var lines = ["| where " + KQL.accountMatch(input, idExpression: "UserId", upnExpression: "UserPrincipalName",
                                                   indent: "  ").joined(separator: "\n")]
        if failedOnly { lines.append("| where ResultType != \"0\"") }
        lines.append("| extend AccountObjectId = UserId, AccountUPN = UserPrincipalName, SignInTable = Type")
        lines.append(signInColumns)
        return lines
    }

    /// `mv-apply` over the targets, keeping the rows whose target user is an emergency account.
    static func targetAccount(_ input: MonitoringInput) -> [String] {
        let match = KQL.accountMatch(input, idExpression: "tostring(Target.id)",
                                     upnExpression: "tostring(Target.userPrincipalName)", indent: "      ")
        return [
            "| mv-apply Target = TargetResources on (",
            "    where tostring(Target.type) =~ \"User\" and (" + match.joined(separator: "\n") + ")",
            "    | extend AccountObjectId = tostring(Target.id), AccountUPN = tostring(Target.userPrincipalName)",
            "  )",
        ]
    }

    static let auditColumns = """
        | project TimeGenerated, OperationName, Category, Result, AccountObjectId, AccountUPN, InitiatedByObjectId,
            InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id
        """

    static func signIn(_ input: MonitoringInput) -> Detection {
        Detection(
            kind: .signIn, title: "Emergency access account sign-in",
            detects: """
                Any sign-in of an emergency access account, successful or not, interactive (SigninLogs) or not \
                (AADNonInteractiveUserSignInLogs), matched by immutable object id. Each one is either an emergency or \
                an abuse: page someone, and rotate the password afterwards.
                """,
            azureSeverity: 0, sentinelSeverity: "High", tables: signInTables,
            tactics: ["InitialAccess"], techniques: ["T1078.004"],
            source: "union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs",
            pipeline: signInPipeline(input, failedOnly: false), entities: accountEntities)
    }

    static func failedSignIn(_ input: MonitoringInput) -> Detection {
        Detection(
            kind: .failedSignIn, title: "Emergency access account failed sign-in",
            detects: """
                Failed sign-ins of an emergency access account (ResultType other than 0) in either sign-in table: \
                someone trying its password, or an emergency going wrong (a policy or a lost credential blocking it).
                """,
            azureSeverity: 1, sentinelSeverity: "High", tables: signInTables,
            tactics: ["CredentialAccess", "InitialAccess"], techniques: ["T1110", "T1078.004"],
            source: "union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs",
            pipeline: signInPipeline(input, failedOnly: true), entities: accountEntities)
    }

    static func credentialChange(_ input: MonitoringInput) -> Detection {
        Detection(
            kind: .credentialChange, title: "Emergency access account credentials changed",
            detects: """
                Authentication methods or the password of an emergency access account registered, changed, reset or \
                deleted (security info, FIDO2 keys, passkeys, passwords): a new method is a way in; a planned rotation \
                shows here too.
                """,
            azureSeverity: 1, sentinelSeverity: "High", tables: ["AuditLogs"],
            tactics: ["Persistence", "CredentialAccess"], techniques: ["T1098", "T1556.006"],
            source: "AuditLogs",
            pipeline: [
                "| where OperationName has_any (\"password\", \"credential\") or OperationName contains \"security info\"",
                "    or OperationName contains \"security key\" or OperationName contains \"strong authentication\"",
                "    or (OperationName == \"Update user\" and tostring(TargetResources) has_any (\"PasswordProfile\", \"StrongAuthenticationMethod\"))",
            ] + targetAccount(input) + [initiator, auditColumns],
            entities: accountEntities)
    }

    static func membershipChange(_ input: MonitoringInput) -> Detection {
        Detection(
            kind: .membershipChange, title: "Emergency access account role or group membership changed",
            detects: """
                An emergency access account added to or removed from a directory role (active or eligible) or a group, \
                or made an owner: losing Global Administrator breaks it; a new group can bring it under a policy.
                """,
            azureSeverity: 1, sentinelSeverity: "High", tables: ["AuditLogs"],
            tactics: ["Persistence", "PrivilegeEscalation"], techniques: ["T1098.003"],
            source: "AuditLogs",
            pipeline: ["| where Category in (\"RoleManagement\", \"GroupManagement\") and OperationName has_any (\"member\", \"owner\")"]
                + targetAccount(input) + [initiator, auditColumns],
            entities: accountEntities)
    }

    static func exclusionGroupChange(_ input: MonitoringInput) -> Detection {
        var filter: [String] = []
        for (offset, group) in input.exclusionGroups.enumerated() {
            let test = "tostring(TargetResources) contains \(KQL.string(group.id))"
            let comment = group.displayName.map { " // \(KQL.comment($0))" } ?? ""
            filter.append((offset == 0 ? "| where " : "    or ") + test + comment)
        }
        return Detection(
            kind: .exclusionGroupChange, title: "Emergency access exclusion group changed",
            detects: """
                A member or owner added to or removed from the group that Conditional Access policies exclude, or the \
                group changed or deleted: anyone added bypasses Conditional Access; an emergency account removed is \
                locked out with everyone else.
                """,
            azureSeverity: 1, sentinelSeverity: "High", tables: ["AuditLogs"],
            tactics: ["Persistence", "DefenseEvasion"], techniques: ["T1098", "T1556.009"],
            source: "AuditLogs",
            pipeline: ["| where Category =~ \"GroupManagement\""] + filter + [
                "| mv-apply Target = TargetResources on (",
                "    summarize AccountObjectId = take_anyif(tostring(Target.id), tostring(Target.type) =~ \"User\"),",
                "        AccountUPN = take_anyif(tostring(Target.userPrincipalName), tostring(Target.type) =~ \"User\")",
                "  )",
                initiator, auditColumns,
            ],
            entities: accountEntities)
    }

    static func policyChange(_ input: MonitoringInput) -> Detection {
        var mentions: [String] = []
        let values: [(String, String?)] =
            input.accounts.map { ($0.objectID ?? $0.userPrincipalName ?? "", $0.label) }
            + input.exclusionGroups.map { ($0.id, $0.displayName) }
        for (offset, value) in values.enumerated() {
            let test = "tostring(TargetResources) contains \(KQL.string(value.0))"
            let comment = value.1.map { " // \(KQL.comment($0))" } ?? ""
            mentions.append((offset == 0 ? "| extend MentionsEmergencyAccess = " : "    or ") + test + comment)
        }
        return Detection(
            kind: .policyChange, title: "Conditional Access policy changed",
            detects: """
                A Conditional Access policy added, updated or deleted (audit category Policy): the change that stops \
                excluding an emergency account locks it out with everyone else. MentionsEmergencyAccess tells whether \
                the policy names an emergency account or the exclusion group.
                """,
            azureSeverity: 2, sentinelSeverity: "Medium", tables: ["AuditLogs"],
            tactics: ["DefenseEvasion"], techniques: ["T1562", "T1556.009"],
            source: "AuditLogs",
            pipeline: [
                "| where Category =~ \"Policy\" and (LoggedByService =~ \"Conditional Access\" or OperationName has \"conditional access\")",
                "| extend PolicyId = tostring(TargetResources[0].id), PolicyName = tostring(TargetResources[0].displayName)",
            ] + mentions + [
                initiator,
                """
                | project TimeGenerated, OperationName, Result, PolicyId, PolicyName, MentionsEmergencyAccess,
                    InitiatedByObjectId, InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id
                """,
            ],
            entities: Entities(objectID: "InitiatedByObjectId", userPrincipalName: "InitiatedByUPN", ipAddress: "IPAddress"))
    }

    static func accountDisabledOrDeleted(_ input: MonitoringInput) -> Detection {
        Detection(
            kind: .accountDisabledOrDeleted, title: "Emergency access account disabled or deleted",
            detects: """
                An emergency access account disabled, deleted (soft or hard) or updated with a new accountEnabled: \
                the account cannot do its one job any more.
                """,
            azureSeverity: 1, sentinelSeverity: "High", tables: ["AuditLogs"],
            tactics: ["Impact"], techniques: ["T1531"],
            source: "AuditLogs",
            pipeline: ["| where OperationName in (\"Disable account\", \"Delete user\", \"Hard Delete user\", \"Update user\")"]
                + targetAccount(input) + [
                    "| where OperationName != \"Update user\" or tostring(TargetResources) has \"AccountEnabled\"",
                    initiator, auditColumns,
                ],
            entities: accountEntities)
    }
}

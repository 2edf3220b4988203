// breakglass: Azure Monitor log search alerts on the emergency access accounts of Fabrikam
// (f0000000-0000-4000-8000-0000000fab01).
// Deploy: az deployment group create -g <resource group> -f breakglass-alerts.bicep -p workspaceId=<workspace resource id>
// Written by `breakglass export bicep`; regenerate it rather than edit it.

@description('Resource id of the Log Analytics workspace that receives the Entra sign-in and audit logs.')
param workspaceId string

@description('Region of the workspace: the alert rules are created there.')
param location string = resourceGroup().location

@description('Name of the action group to create.')
param actionGroupName string = 'ag-breakglass'

@description('Short name of the action group, shown in e-mail and SMS (at most 12 characters).')
@maxLength(12)
param actionGroupShortName string = 'breakglass'

// webhook-1 (webhook) receives the common alert schema. Its HMAC secret (environment variable BG_WEBHOOK_SECRET) is
// not in this template: Azure Monitor does not sign webhook calls, so keep the URL itself secret or verify calls in a
// relay.
// pagerduty-1 (pagerduty) receives the common alert schema. Use the URL of a PagerDuty integration for Azure Monitor:
// the Events API v2 endpoint expects its own format.
resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'Global'
  properties: {
    groupShortName: actionGroupShortName
    enabled: true
    emailReceivers: [
      {
        name: 'email-1'
        emailAddress: 'secops@fabrikam.com'
        useCommonAlertSchema: true
      }
    ]
    webhookReceivers: [
      {
        name: 'webhook-1'
        serviceUri: 'https://hooks.example.net/bg'
        useCommonAlertSchema: true
      }
      {
        name: 'pagerduty-1'
        serviceUri: 'https://events.pagerduty.com/integration/KEY/enqueue'
        useCommonAlertSchema: true
      }
    ]
  }
}

// Emergency access account sign-in: Any sign-in of an emergency access account, successful or not, interactive
// (SigninLogs) or not (AADNonInteractiveUserSignInLogs), matched by immutable object id. Each one is either an
// emergency or an abuse: page someone, and rotate the password afterwards.
resource signInRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-signin'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Emergency access account sign-in'
    description: 'Any sign-in of an emergency access account, successful or not, interactive (SigninLogs) or not (AADNonInteractiveUserSignInLogs), matched by immutable object id. Each one is either an emergency or an abuse: page someone, and rotate the password afterwards.'
    severity: 0
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs
| where UserId in (
    "b9000001-0000-4000-8000-000000000001", // bg-01@fabrikam.onmicrosoft.com
    "b9000001-0000-4000-8000-000000000002"  // bg-02@fabrikam.onmicrosoft.com
  )
| extend AccountObjectId = UserId, AccountUPN = UserPrincipalName, SignInTable = Type
| project TimeGenerated, SignInTable, AccountObjectId, AccountUPN, ResultType, ResultDescription, IPAddress,
    Location, AppDisplayName, ClientAppUsed, ConditionalAccessStatus, AuthenticationRequirement, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'signin'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

// Emergency access account failed sign-in: Failed sign-ins of an emergency access account (ResultType other than 0) in
// either sign-in table: someone trying its password, or an emergency going wrong (a policy or a lost credential
// blocking it).
resource failedSignInRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-failed-signin'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Emergency access account failed sign-in'
    description: 'Failed sign-ins of an emergency access account (ResultType other than 0) in either sign-in table: someone trying its password, or an emergency going wrong (a policy or a lost credential blocking it).'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs
| where UserId in (
    "b9000001-0000-4000-8000-000000000001", // bg-01@fabrikam.onmicrosoft.com
    "b9000001-0000-4000-8000-000000000002"  // bg-02@fabrikam.onmicrosoft.com
  )
| where ResultType != "0"
| extend AccountObjectId = UserId, AccountUPN = UserPrincipalName, SignInTable = Type
| project TimeGenerated, SignInTable, AccountObjectId, AccountUPN, ResultType, ResultDescription, IPAddress,
    Location, AppDisplayName, ClientAppUsed, ConditionalAccessStatus, AuthenticationRequirement, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'failed-signin'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

// Emergency access account credentials changed: Authentication methods or the password of an emergency access account
// registered, changed, reset or deleted (security info, FIDO2 keys, passkeys, passwords): a new method is a way in; a
// planned rotation shows here too.
resource credentialChangeRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-credential-change'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Emergency access account credentials changed'
    description: 'Authentication methods or the password of an emergency access account registered, changed, reset or deleted (security info, FIDO2 keys, passkeys, passwords): a new method is a way in; a planned rotation shows here too.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
AuditLogs
| where OperationName has_any ("password", "credential") or OperationName contains "security info"
    or OperationName contains "security key" or OperationName contains "strong authentication"
    or (OperationName == "Update user" and tostring(TargetResources) has_any ("PasswordProfile", "StrongAuthenticationMethod"))
| mv-apply Target = TargetResources on (
    where tostring(Target.type) =~ "User" and (tostring(Target.id) in (
        "b9000001-0000-4000-8000-000000000001", // bg-01@fabrikam.onmicrosoft.com
        "b9000001-0000-4000-8000-000000000002"  // bg-02@fabrikam.onmicrosoft.com
      ))
    | extend AccountObjectId = tostring(Target.id), AccountUPN = tostring(Target.userPrincipalName)
  )
| extend InitiatedByObjectId = tostring(InitiatedBy.user.id), InitiatedByUPN = tostring(InitiatedBy.user.userPrincipalName),
    InitiatedByApp = tostring(InitiatedBy.app.displayName), IPAddress = tostring(InitiatedBy.user.ipAddress)
| project TimeGenerated, OperationName, Category, Result, AccountObjectId, AccountUPN, InitiatedByObjectId,
    InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'credential-change'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

// Emergency access account role or group membership changed: An emergency access account added to or removed from a
// directory role (active or eligible) or a group, or made an owner: losing Global Administrator breaks it; a new group
// can bring it under a policy.
resource membershipChangeRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-membership-change'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Emergency access account role or group membership changed'
    description: 'An emergency access account added to or removed from a directory role (active or eligible) or a group, or made an owner: losing Global Administrator breaks it; a new group can bring it under a policy.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
AuditLogs
| where Category in ("RoleManagement", "GroupManagement") and OperationName has_any ("member", "owner")
| mv-apply Target = TargetResources on (
    where tostring(Target.type) =~ "User" and (tostring(Target.id) in (
        "b9000001-0000-4000-8000-000000000001", // bg-01@fabrikam.onmicrosoft.com
        "b9000001-0000-4000-8000-000000000002"  // bg-02@fabrikam.onmicrosoft.com
      ))
    | extend AccountObjectId = tostring(Target.id), AccountUPN = tostring(Target.userPrincipalName)
  )
| extend InitiatedByObjectId = tostring(InitiatedBy.user.id), InitiatedByUPN = tostring(InitiatedBy.user.userPrincipalName),
    InitiatedByApp = tostring(InitiatedBy.app.displayName), IPAddress = tostring(InitiatedBy.user.ipAddress)
| project TimeGenerated, OperationName, Category, Result, AccountObjectId, AccountUPN, InitiatedByObjectId,
    InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'membership-change'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

// Emergency access exclusion group changed: A member or owner added to or removed from the group that Conditional
// Access policies exclude, or the group changed or deleted: anyone added bypasses Conditional Access; an emergency
// account removed is locked out with everyone else.
resource exclusionGroupChangeRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-exclusion-group-change'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Emergency access exclusion group changed'
    description: 'A member or owner added to or removed from the group that Conditional Access policies exclude, or the group changed or deleted: anyone added bypasses Conditional Access; an emergency account removed is locked out with everyone else.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
AuditLogs
| where Category =~ "GroupManagement"
| where tostring(TargetResources) contains "e0000000-0000-4000-8000-0000000e0c10" // EA-Exclude
| mv-apply Target = TargetResources on (
    summarize AccountObjectId = take_anyif(tostring(Target.id), tostring(Target.type) =~ "User"),
        AccountUPN = take_anyif(tostring(Target.userPrincipalName), tostring(Target.type) =~ "User")
  )
| extend InitiatedByObjectId = tostring(InitiatedBy.user.id), InitiatedByUPN = tostring(InitiatedBy.user.userPrincipalName),
    InitiatedByApp = tostring(InitiatedBy.app.displayName), IPAddress = tostring(InitiatedBy.user.ipAddress)
| project TimeGenerated, OperationName, Category, Result, AccountObjectId, AccountUPN, InitiatedByObjectId,
    InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'exclusion-group-change'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

// Conditional Access policy changed: A Conditional Access policy added, updated or deleted (audit category Policy):
// the change that stops excluding an emergency account locks it out with everyone else. MentionsEmergencyAccess tells
// whether the policy names an emergency account or the exclusion group.
resource policyChangeRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-ca-policy-change'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Conditional Access policy changed'
    description: 'A Conditional Access policy added, updated or deleted (audit category Policy): the change that stops excluding an emergency account locks it out with everyone else. MentionsEmergencyAccess tells whether the policy names an emergency account or the exclusion group.'
    severity: 2
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
AuditLogs
| where Category =~ "Policy" and (LoggedByService =~ "Conditional Access" or OperationName has "conditional access")
| extend PolicyId = tostring(TargetResources[0].id), PolicyName = tostring(TargetResources[0].displayName)
| extend MentionsEmergencyAccess = tostring(TargetResources) contains "b9000001-0000-4000-8000-000000000001" // bg-01@fabrikam.onmicrosoft.com
    or tostring(TargetResources) contains "b9000001-0000-4000-8000-000000000002" // bg-02@fabrikam.onmicrosoft.com
    or tostring(TargetResources) contains "e0000000-0000-4000-8000-0000000e0c10" // EA-Exclude
| extend InitiatedByObjectId = tostring(InitiatedBy.user.id), InitiatedByUPN = tostring(InitiatedBy.user.userPrincipalName),
    InitiatedByApp = tostring(InitiatedBy.app.displayName), IPAddress = tostring(InitiatedBy.user.ipAddress)
| project TimeGenerated, OperationName, Result, PolicyId, PolicyName, MentionsEmergencyAccess,
    InitiatedByObjectId, InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'ca-policy-change'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

// Emergency access account disabled or deleted: An emergency access account disabled, deleted (soft or hard) or
// updated with a new accountEnabled: the account cannot do its one job any more.
resource accountDisabledOrDeletedRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'breakglass-account-disabled-deleted'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Emergency access account disabled or deleted'
    description: 'An emergency access account disabled, deleted (soft or hard) or updated with a new accountEnabled: the account cannot do its one job any more.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
AuditLogs
| where OperationName in ("Disable account", "Delete user", "Hard Delete user", "Update user")
| mv-apply Target = TargetResources on (
    where tostring(Target.type) =~ "User" and (tostring(Target.id) in (
        "b9000001-0000-4000-8000-000000000001", // bg-01@fabrikam.onmicrosoft.com
        "b9000001-0000-4000-8000-000000000002"  // bg-02@fabrikam.onmicrosoft.com
      ))
    | extend AccountObjectId = tostring(Target.id), AccountUPN = tostring(Target.userPrincipalName)
  )
| where OperationName != "Update user" or tostring(TargetResources) has "AccountEnabled"
| extend InitiatedByObjectId = tostring(InitiatedBy.user.id), InitiatedByUPN = tostring(InitiatedBy.user.userPrincipalName),
    InitiatedByApp = tostring(InitiatedBy.app.displayName), IPAddress = tostring(InitiatedBy.user.ipAddress)
| project TimeGenerated, OperationName, Category, Result, AccountObjectId, AccountUPN, InitiatedByObjectId,
    InitiatedByUPN, InitiatedByApp, IPAddress, TargetResources, CorrelationId, Id'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        'breakglass.detection': 'account-disabled-deleted'
        'breakglass.tenant': 'f0000000-0000-4000-8000-0000000fab01'
      }
    }
  }
}

output actionGroupId string = actionGroup.id

// breakglass: the Entra diagnostic setting of Fabrikam (f0000000-0000-4000-8000-0000000fab01) that sends interactive
// and non-interactive sign-in logs and audit logs to the workspace the alerts read.
// Deploy: az deployment tenant create --location <region> -f diagnostic-setting.bicep -p workspaceId=<workspace resource id>
// Written by `breakglass export bicep`; regenerate it rather than edit it.
targetScope = 'tenant'

@description('Resource id of the Log Analytics workspace (the same as for breakglass-alerts.bicep).')
param workspaceId string

@description('Name of the diagnostic setting.')
param settingName string = 'breakglass-entra-logs'

resource entraLogs 'microsoft.aadiam/diagnosticSettings@2017-04-01' = {
  name: settingName
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'SignInLogs'
        enabled: true
        retentionPolicy: {
          days: 0
          enabled: false
        }
      }
      {
        category: 'NonInteractiveUserSignInLogs'
        enabled: true
        retentionPolicy: {
          days: 0
          enabled: false
        }
      }
      {
        category: 'AuditLogs'
        enabled: true
        retentionPolicy: {
          days: 0
          enabled: false
        }
      }
    ]
  }
}

import ArgumentParser
import Foundation

/// Help topics for the files people write or download for breakglass. Each topic is a command whose help is the
/// topic, so `breakglass formats snapshot`, `breakglass help formats snapshot` and `breakglass formats snapshot --help`
/// all show it, and shell completion offers the topic names.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "Help topics: the files breakglass reads (snapshot, config, policies, whatif-batch, logs).",
        discussion: """
            Example: breakglass formats policies
            """,
        subcommands: [Snapshot.self, Config.self, Policies.self, WhatIfBatch.self, Logs.self]
    )

    func run() throws {
        var lines = ["Topics (breakglass formats TOPIC, or breakglass help formats TOPIC):"]
        for topic in Self.configuration.subcommands {
            let name = topic.configuration.commandName ?? ""
            lines.append("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0))\(topic.configuration.abstract)")
        }
        Terminal.write(lines.joined(separator: "\n"))
    }

    /// A topic prints its own discussion: the text is written once, for `--help` and for the command alike.
    protocol Topic: ParsableCommand {}

    struct Snapshot: Topic {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "The snapshot folder: Microsoft Graph responses, one file per resource.",
            discussion: """
                A folder of Graph responses exactly as Graph returns them, pages merged
                into one {"value": [...]} list. Read by --snapshot DIR on audit, simulate,
                whatif, gate, runbook, export, logs scan and emulate.

                Required:
                  organization.json         GET /organization
                  domains.json              GET /domains
                  users.json                GET /users?$select=id,displayName,
                                            userPrincipalName,userType,accountEnabled,
                                            onPremisesSyncEnabled,signInActivity,...
                  groups.json               GET /groups?$select=id,displayName,...
                  role-definitions.json     GET /roleManagement/directory/roleDefinitions
                  role-assignments.json     GET /roleManagement/directory/roleAssignments
                  conditional-access-policies.json
                                            GET /identity/conditionalAccess/policies
                Optional (checks that need a missing one say "unknown", never "pass"):
                  group-members/{groupId}.json       GET /groups/{id}/members?$select=id
                  authentication-methods/{userId}.json
                                            GET /users/{id}/authentication/methods
                  role-assignment-schedule-instances.json, role-eligibility-schedules.json
                                            PIM (Entra ID P2)
                  named-locations.json, authentication-strengths.json,
                  security-defaults.json    Conditional Access and policy settings
                  sign-ins.json, directory-audits.json
                                            audit logs of the emergency accounts
                  diagnostic-settings.json, alert-rules.json
                                            Azure Resource Manager (monitoring checks)
                  group-owners/{groupId}.json          GET /groups/{id}/owners (exclusion and
                                            role-assignable groups)
                  administrative-units.json GET /directory/administrativeUnits
                  administrative-unit-members/{unitId}.json
                                            GET /directory/administrativeUnits/{id}/members
                  service-principals.json, applications.json
                                            GET /servicePrincipals, GET /applications
                  service-principal-owners/{id}.json, application-owners/{id}.json
                                            owners of apps holding a tier-0 permission
                  graph-service-principal.json, graph-app-role-assignments.json
                                            Microsoft Graph's service principal and the
                                            application permissions granted on it
                  authentication-methods-policy.json
                                            GET /policies/authenticationMethodsPolicy
                  manifest.json             not Graph: tenantId, cloud, capturedAt and
                                            each file's status (ok, forbidden, notLicensed)

                Files may be UTF-8 (with or without BOM) or UTF-16; @odata.* annotations
                and unknown properties are ignored; a bare array or a single object is
                accepted. A malformed file stops the run with exit 3, naming the file and
                the JSON path. Time-based checks measure against manifest.json's capturedAt.

                Try: breakglass snapshot --demo --out contoso-snapshot
                Example: breakglass formats snapshot > snapshot-format.txt
                """
        )
    }

    struct Config: Topic {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "breakglass.yml: the emergency accounts, guidance, custody, monitoring, runbook.",
            discussion: """
                Read from --config FILE, else ./breakglass.yml, else built-in defaults.
                Unknown keys and wrong types exit 2 naming the key and line
                (breakglass.yml:3: unknown key 'guidance.maxGlobalAdmin'). Secrets are never
                in this file: it names environment variables or files that hold them.

                  tenant: contoso.onmicrosoft.com     # id or initial domain
                  cloud: global                       # global, usgov, usgovhigh, dod, china
                  emergencyAccounts:                  # object id (preferred) or UPN
                    - id: 6f1c0e62-...
                    - userPrincipalName: bg-02@contoso.onmicrosoft.com
                  exclusionGroup: 2802b872-...        # the group every policy excludes
                  guidance:
                    minAccounts: 2
                    maxGlobalAdmins: 8
                    requirePhishingResistantMfa: true # false: accounts excluded from MFA
                    maxPasswordAgeDays: 90
                    rotationGraceHours: 24
                    drillIntervalDays: 90
                    maxRoutineSignIns: 2
                    allowedExclusions: []             # others policies may exclude (BG036)
                  custody:
                    threshold: 2                      # k of n custodians
                    custodians: [alice@contoso.com, bob@contoso.com, carol@contoso.com]
                    ledger: custody.db                # drills recorded here count (BG062, BG063, watch)
                  monitoring:
                    notify:
                      - type: webhook                 # webhook, teams, slack, pagerduty, email
                        url: https://hooks.example.net/bg
                        secretEnv: BG_WEBHOOK_SECRET
                  runbook:
                    file: runbook.html                # relative to breakglass.yml
                    authorizers: ["CISO"]

                Credentials for live reads come from the environment: AZURE_TENANT_ID,
                AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH,
                or a ready token in BREAKGLASS_GRAPH_TOKEN.

                Try: breakglass audit --snapshot contoso-snapshot --config breakglass.yml
                Example: breakglass formats config > config-format.txt
                """
        )
    }

    struct Policies: Topic {
        static let configuration = CommandConfiguration(
            commandName: "policies",
            abstract: "Policy files for gate and simulate --policy: Conditional Access as code.",
            discussion: """
                Conditional Access policies as they will be deployed, in the shape of
                Microsoft Graph's conditionalAccessPolicy (what GET
                /identity/conditionalAccess/policies/ID returns and POST accepts):
                one policy per file, or a list of them under "value", UTF-8 or UTF-16.
                A folder given to --policies is read whole (every *.json, sorted).

                  {
                    "id": "9f2b6c4e-...",
                    "displayName": "CA010 Require compliant device",
                    "state": "enabled",
                    "conditions": {
                      "users": {"includeUsers": ["All"],
                                "excludeGroups": ["<exclusion group id>"]},
                      "applications": {"includeApplications": ["All"]},
                      "clientAppTypes": ["all"]
                    },
                    "grantControls": {"operator": "OR",
                                      "builtInControls": ["compliantDevice"]}
                  }

                A policy with the id of one in the tenant replaces it; any other is added.
                state is enabled, disabled or enabledForReportingButNotEnforced.

                gate applies the files to the snapshot and exits 1 when a changed policy
                would apply to an emergency account (BG030, BG031) or a failure scenario
                becomes unrecoverable (BG070). A file that is not such JSON exits 3
                naming the file.

                Try: breakglass gate --snapshot snap --config breakglass.yml --policies policies/
                Example: breakglass formats policies > policies-format.txt
                """
        )
    }

    struct WhatIfBatch: Topic {
        static let configuration = CommandConfiguration(
            commandName: "whatif-batch",
            abstract: "whatif --batch FILE: one sign-in per line (JSON Lines).",
            discussion: """
                One JSON object per line; every field but user is optional and takes the
                same values as the whatif flag of the same name:

                  {"user": "bg-01@contoso.onmicrosoft.com", "resource": "azure-portal",
                   "clientApp": "browser", "platform": "windows", "ip": "203.0.113.7",
                   "country": "US", "userRisk": "none", "signInRisk": "none",
                   "insiderRisk": "none", "device": ["compliant"],
                   "deviceProperties": {"trustType": "AzureAD", "isCompliant": true},
                   "capabilities": ["mfa"]}

                user is an object id or UPN; resource an application id or an alias
                (azure-portal, azure-management, m365-admin-center, graph, ...).
                Answers are one JSON line per input line, in order; a line that cannot
                be read answers {"line": N, "error": "..."} and the rest go on. Blank
                lines are skipped. --batch - reads standard input.

                Try: breakglass whatif --demo --batch sign-ins.jsonl
                Example: breakglass formats whatif-batch > whatif-batch-format.txt
                """
        )
    }

    struct Logs: Topic {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Log files for logs scan: Graph, Log Analytics and admin center downloads.",
            discussion: """
                logs scan works out each file's format from its content:
                  - Microsoft Graph signIns and directoryAudits JSON: a {"value": [...]}
                    page, a bare array, or JSON Lines (one record per line);
                  - Log Analytics exports: JSON (az monitor log-analytics query) or the
                    portal's CSV (TimeGenerated, UserId, ...);
                  - the Entra admin center's CSV downloads of sign-ins ("Date (UTC)",
                    "User ID", "Status", ...) and audit logs (ActorObjectId,
                    Target1ObjectId, ...).
                UTF-8, UTF-8 with BOM, or UTF-16 (Excel's "Unicode Text", tab-separated).
                Files are streamed; a malformed or truncated record is reported on
                standard error with its line number and skipped.

                Try: breakglass logs scan SignInLogs.csv AuditLogs.json --config breakglass.yml --since 7d
                Example: breakglass formats logs > logs-format.txt
                """
        )
    }
}

extension FormatsCommand.Topic {
    func run() throws {
        Terminal.write(Self.configuration.discussion)
    }
}

import AccessPolicy
import EntraModel
import Foundation
import Monitoring
import Posture

/// Where and how the monitoring steps deploy, and the optional Key Vault copy of each password.
public struct ProvisionOptions: Sendable {
    /// The Log Analytics workspace (ARM resource id); without it no monitoring step is planned.
    public var workspaceID: String?
    public var subscriptionID: String?
    public var resourceGroup: String?
    public var location: String
    /// `https://NAME.vault.azure.net`: each generated password is also stored there as a new secret version.
    public var keyVault: String?
    /// Days until the Key Vault secret version expires (`attributes.exp`).
    public var keyVaultExpiryDays: Int
    public var groupName: String
    /// The display name of the restricted-management administrative unit the plan creates when none holds the accounts.
    public var administrativeUnitName: String
    public var now: Date

    public init(workspaceID: String? = nil, subscriptionID: String? = nil, resourceGroup: String? = nil,
                location: String = "westeurope", keyVault: String? = nil, keyVaultExpiryDays: Int = 180,
                groupName: String = ProvisionPlanner.defaultGroupName,
                administrativeUnitName: String = ProvisionPlanner.defaultAdministrativeUnitName, now: Date = Date()) {
        self.workspaceID = workspaceID
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.location = location
        self.keyVault = keyVault
        self.keyVaultExpiryDays = keyVaultExpiryDays
        self.groupName = groupName
        self.administrativeUnitName = administrativeUnitName
        self.now = now
    }
}

/// Works out what is missing for the configured design and writes it as plan steps: cloud-only accounts on the
/// initial domain, a role-assignable group holding only them, permanent active Global Administrator, the group
/// excluded from every policy the evaluator says would otherwise reach them, and the monitoring `export arm` writes.
public enum ProvisionPlanner {
    public static let defaultGroupName = "Emergency access accounts (breakglass)"
    public static let defaultAdministrativeUnitName = "Emergency access (breakglass, restricted)"
    static let globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
    /// ARM deployments (Learn: Resources REST "Deployments - Create Or Update At Tenant Scope" / "… At Resource Group").
    static let deploymentAPIVersion = "2021-04-01"

    public static func plan(context: TenantContext, files: [String: Data], options: ProvisionOptions,
                            source: String) throws -> Plan {
        let snapshot = context.snapshot
        let configuration = context.configuration
        let custody = try shareRecipients(configuration)
        guard let initial = snapshot.domains.first(where: { $0.isInitial == true })?.id else {
            throw ProvisionError.cannotPlan("domains.json has no initial (*.onmicrosoft.com) domain")
        }
        let directory = context.directory

        // The accounts: declared by UPN (created when missing) or by id (must exist); else bg-01, bg-02, … .
        var upns: [String] = []
        for reference in configuration.emergencyAccounts {
            switch reference {
            case .userPrincipalName(let upn):
                upns.append(upn.lowercased())
            case .id(let id):
                guard let user = directory.user(id), let upn = user.userPrincipalName else {
                    throw ProvisionError.cannotPlan(
                        "emergencyAccounts: id \(id) is not in the tenant; declare accounts to create by userPrincipalName")
                }
                upns.append(upn.lowercased())
            }
        }
        var notes: [String] = []
        if upns.isEmpty {
            upns = (1...max(2, configuration.guidance.minAccounts)).map { "bg-" + String(format: "%02d", $0) + "@" + initial.lowercased() }
            notes.append("No emergencyAccounts in breakglass.yml: the plan creates \(upns.joined(separator: ", ")); "
                + "declare them there (userPrincipalName) so audits know them.")
        }
        for upn in upns where !upn.hasSuffix("@" + initial.lowercased()) {
            throw ProvisionError.cannotPlan("\(upn) is not on the initial domain \(initial) (BG012): declare the account there")
        }

        var steps: [PlanStep] = []
        var accountIDs: [String: String] = [:]  // upn → object id or placeholder
        var userReferences: [String: String] = [:]
        for (index, upn) in upns.enumerated() {
            let nickname = String(upn.split(separator: "@")[0])
            if let user = directory.user(idOrUPN: upn) {
                guard !user.isSynchronized else {
                    throw ProvisionError.cannotPlan("\(upn) exists but is synchronized from on-premises (BG011): choose another name")
                }
                guard !user.isGuest else { throw ProvisionError.cannotPlan("\(upn) exists but is a guest (BG013)") }
                accountIDs[upn] = user.id.lowercased()
                userReferences[upn] = user.id.lowercased()
                if !user.passwordNeverExpiresByPolicy {
                    steps.append(PlanStep(
                        id: "password-never-expires.\(nickname)", action: .setPasswordNeverExpires,
                        what: "Set \(upn)'s password never to expire",
                        why: "An emergency password must not expire unseen in a drawer (BG014).", fixes: ["BG014"],
                        precondition: "\(upn) exists (id \(user.id)) and is cloud-only",
                        request: PlanRequest(service: .graph, method: "PATCH", path: "/users/\(user.id)",
                                             body: .object(["passwordPolicies": .string("DisablePasswordExpiration")])),
                        touches: ["user:\(upn)"], parameters: ["upn": upn, "userID": user.id]))
                }
                if user.accountEnabled == false { notes.append("\(upn) is disabled (BG010): enable it in the admin center.") }
                if !(user.assignedLicenses ?? []).isEmpty { notes.append("\(upn) holds a licence (BG015): remove it.") }
            } else {
                let reference = PlanPlaceholder.user(upn)
                accountIDs[upn] = reference
                userReferences[upn] = reference
                // Learn: user-post-users. No licence, so no usageLocation; the password is made at apply.
                steps.append(PlanStep(
                    id: "create-user.\(nickname)", action: .createUser,
                    what: "Create the cloud-only account \(upn)",
                    why: "Emergency access needs at least \(configuration.guidance.minAccounts) cloud-only accounts on the initial domain that no federation or sync outage can take away.",
                    fixes: ["BG002", "BG010", "BG011", "BG012", "BG013", "BG014", "BG015"],
                    precondition: "no user \(upn) exists",
                    request: PlanRequest(service: .graph, method: "POST", path: "/users", body: .object([
                        "accountEnabled": .bool(true),
                        "displayName": .string(String(format: "Emergency access %02d", index + 1)),
                        "mailNickname": .string(nickname),
                        "userPrincipalName": .string(upn),
                        "passwordPolicies": .string("DisablePasswordExpiration"),
                        "passwordProfile": .object([
                            "forceChangePasswordNextSignIn": .bool(false),
                            "password": .string(PlanPlaceholder.password),
                        ]),
                    ])),
                    keyVault: keyVaultRequest(options, upn: upn),
                    touches: ["user:\(upn)"], parameters: ["upn": upn]))
            }
        }

        // The exclusion group.
        var subjects = Plan.Subjects(accounts: upns, groupName: configuration.exclusionGroup == nil ? options.groupName : nil,
                                     groupID: configuration.exclusionGroup, includesPolicies: true)
        let existingGroup = try TenantState.exclusionGroup(in: snapshot, subjects: subjects)
        if let id = configuration.exclusionGroup, existingGroup == nil {
            throw ProvisionError.cannotPlan("exclusionGroup \(id) is not in the tenant")
        }
        let groupReference: String
        var members: Set<String> = []
        if let group = existingGroup {
            guard group.isAssignableToRole == true, group.securityEnabled != false, !group.isDynamic, !group.isSynchronized else {
                throw ProvisionError.cannotPlan(
                    "the exclusion group '\(group.name)' is not a role-assignable, assigned, cloud security group (BG032): create a new one")
            }
            groupReference = group.id.lowercased()
            members = Set((snapshot.groupMembers[group.id.lowercased()] ?? []).map { $0.id.lowercased() })
            let others = members.subtracting(upns.compactMap { accountIDs[$0] })
            if !others.isEmpty {
                notes.append("The exclusion group holds \(others.count) member(s) besides the emergency accounts (BG033): remove them.")
            }
        } else {
            groupReference = PlanPlaceholder.group
            // Learn: group-post-groups; groups-concept (role-assignable: security, assigned membership, set at creation).
            steps.append(PlanStep(
                id: "create-group", action: .createGroup,
                what: "Create the role-assignable security group '\(options.groupName)'",
                why: "Policies exclude the accounts through one group; making it role-assignable means only Privileged Role Administrators and Global Administrators can change its members or owners (BG032).",
                fixes: ["BG032", "BG033"], precondition: "no group named '\(options.groupName)' exists",
                request: PlanRequest(service: .graph, method: "POST", path: "/groups", body: .object([
                    "displayName": .string(options.groupName),
                    "description": .string("Emergency access (break-glass) accounts, excluded from every Conditional Access policy. Managed by breakglass."),
                    "mailEnabled": .bool(false),
                    "mailNickname": .string("breakglass-exclusion"),
                    "securityEnabled": .bool(true),
                    "isAssignableToRole": .bool(true),
                    "groupTypes": .array([]),
                ])),
                touches: ["group"], parameters: ["groupName": options.groupName]))
        }
        for upn in upns {
            guard let account = accountIDs[upn], !members.contains(account) else { continue }
            // Learn: group-post-members.
            steps.append(PlanStep(
                id: "add-member.\(upn.split(separator: "@")[0])", action: .addMember,
                what: "Add \(upn) to the exclusion group",
                why: "Membership is what excludes the account from the policies (BG030, BG033).", fixes: ["BG033"],
                precondition: "the group exists and \(upn) is not a member",
                request: PlanRequest(service: .graph, method: "POST", path: "/groups/\(groupReference)/members/$ref",
                                     body: .object(["@odata.id": .string("\(PlanPlaceholder.graph)/v1.0/directoryObjects/\(account)")])),
                touches: ["group"], parameters: knownID(upn, account)))
        }

        // Permanent active Global Administrator at "/".
        let templates = Dictionary(snapshot.roleDefinitions.map { ($0.id.lowercased(), $0.template) }, uniquingKeysWith: { a, _ in a })
        let gaDefinition = snapshot.roleDefinitions.first { $0.template == globalAdministrator }?.id ?? globalAdministrator
        for upn in upns {
            guard let account = accountIDs[upn] else { continue }
            let holds = snapshot.roleAssignments.contains {
                $0.principalId.lowercased() == account && (templates[$0.roleDefinitionId.lowercased()] ?? $0.roleDefinitionId.lowercased()) == globalAdministrator
                    && ($0.directoryScopeId ?? "/") == "/"
            }
            if holds { continue }
            // Learn: rbacapplication-post-roleassignments (a direct assignment is permanent and active).
            steps.append(PlanStep(
                id: "assign-global-admin.\(upn.split(separator: "@")[0])", action: .assignRole,
                what: "Make \(upn) a permanent, active Global Administrator",
                why: "In an emergency there is no time or second person for a PIM activation (BG020, BG021).",
                fixes: ["BG020", "BG021"], precondition: "\(upn) does not hold Global Administrator at /",
                request: PlanRequest(service: .graph, method: "POST", path: "/roleManagement/directory/roleAssignments",
                                     body: .object([
                                        "principalId": .string(account), "roleDefinitionId": .string(gaDefinition),
                                        "directoryScopeId": .string("/"),
                                     ])),
                touches: ["roles:\(upn)"], parameters: knownID(upn, account)))
        }

        // The restricted-management administrative unit (BG016), planned now so the projection holds it; its steps
        // come after every other directory change (see administrativeUnitSteps).
        let unit = try administrativeUnitSteps(snapshot: snapshot, configuration: configuration, upns: upns,
                                               accountIDs: accountIDs, options: options, notes: &notes)
        subjects.administrativeUnitName = unit.subjects.name
        subjects.administrativeUnitID = unit.subjects.id

        // Every policy that would reach the accounts once they exist, decided by the evaluator on the tenant as the
        // plan leaves it (accounts in the group and the unit, Global Administrators).
        let projected = try projectedSnapshot(snapshot, upns: upns, accountIDs: accountIDs, groupReference: groupReference,
                                              groupName: options.groupName, gaDefinition: gaDefinition,
                                              unit: unit.reference.map { (reference: $0, name: options.administrativeUnitName) })
        let evaluator = Evaluator(directory: Directory(projected), now: context.now)
        let rawPolicies = try TenantState.rawPolicies(files)
        for policy in snapshot.policies {
            // A disabled policy is evaluated as if enabled: enabling it later must not lock the accounts out.
            var candidate = policy
            if candidate.state == PolicyState.disabled { candidate.state = PolicyState.enabled }
            let reaching = upns.filter { upn in
                accountIDs[upn].map { evaluator.mayApply(candidate, toUser: Self.evaluationID($0)).applies } ?? false
            }
            guard !reaching.isEmpty else { continue }
            guard let raw = rawPolicies.first(where: { if case .string(let id)? = $0["id"] { id.lowercased() == policy.id.lowercased() } else { false } }),
                case .object(let conditions)? = raw["conditions"], case .object(var users)? = conditions["users"]
            else { throw ProvisionError.cannotPlan("policy '\(policy.displayName)' has no conditions.users in conditional-access-policies.json") }
            var excluded: [JSONValue] = if case .array(let list)? = users["excludeGroups"] { list } else { [] }
            excluded.append(.string(groupReference))
            users["excludeGroups"] = .array(excluded)
            let reason = evaluator.mayApply(candidate, toUser: Self.evaluationID(accountIDs[reaching[0]] ?? "")).reasons.first ?? "in scope"
            // Learn: conditionalaccesspolicy-update. The whole users object is sent so no other user condition changes.
            steps.append(PlanStep(
                id: "exclude.\(policy.id.lowercased())", action: .excludeFromPolicy,
                what: "Exclude the group from '\(policy.displayName)' (\(policy.state))",
                why: "The policy would apply to \(reaching.joined(separator: ", ")) (\(reason))\(policy.state == PolicyState.disabled ? " the day it is enabled" : ""); an emergency account must be excluded from every policy (BG030\(policy.isReportOnly ? ", BG031" : "")).",
                fixes: policy.isReportOnly ? ["BG031"] : ["BG030", "BG034"],
                precondition: "the policy is unchanged since this plan was made",
                request: PlanRequest(service: .graph, method: "PATCH", path: "/identity/conditionalAccess/policies/\(policy.id)",
                                     body: .object(["conditions": .object(["users": .object(users)])])),
                touches: ["policy:\(policy.id.lowercased())"], parameters: ["policyID": policy.id]))
        }

        steps += unit.steps
        // An existing account already in a restricted-management unit cannot be changed from tenant scope: each such
        // change is bracketed by taking it out of the unit and putting it back.
        steps = RestrictedUnitSteps.bracket(steps, snapshot: snapshot).steps
        steps += try monitoringSteps(context: context, upns: upns, accountIDs: accountIDs, options: options)
        if context.configuration.guidance.requirePhishingResistantMfa {
            notes.append("Register a FIDO2 security key (passkey) for each account with its custodians present (BG040): an app cannot do it.")
        }
        notes.append("Time-based checks (BG062 drill, BG063 routine use) pass only after the accounts have been used as intended.")

        var state = try TenantState.items(snapshot: snapshot, files: files, subjects: subjects)
        state.sort { $0.key < $1.key }
        return Plan(
            format: Plan.format, kind: .provision, tenantID: snapshot.organization.id, tenantName: snapshot.organization.displayName,
            createdAt: PlanClock.text(options.now), source: source, subjects: subjects, stateHash: TenantState.hash(state),
            state: state, shares: custody, notes: notes, steps: steps, signatures: [])
    }

    /// A step's parameters: the UPN, and the object id when the account exists already.
    static func knownID(_ upn: String, _ account: String) -> [String: String] {
        account.hasPrefix("{{") ? ["upn": upn] : ["upn": upn, "userID": account]
    }

    static func shareRecipients(_ configuration: Configuration) throws -> Plan.ShareRecipients {
        let names = configuration.custody.custodianNames
        guard names.count >= 2, configuration.custody.threshold <= names.count else {
            throw ProvisionError.cannotPlan(
                "custody.custodians must name at least 2 custodians and no fewer than custody.threshold (\(configuration.custody.threshold)): every password is split between them")
        }
        return Plan.ShareRecipients(threshold: configuration.custody.threshold, custodians: names)
    }

    /// Key Vault "Set Secret" (Learn: rest/api/keyvault/secrets/set-secret, api-version 7.4): a new version with
    /// tags and an expiry. The value is the generated password, filled in at apply.
    static func keyVaultRequest(_ options: ProvisionOptions, upn: String) -> PlanRequest? {
        guard options.keyVault != nil else { return nil }
        let name = "breakglass-" + upn.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return PlanRequest(service: .keyVault, method: "PUT", path: "/secrets/\(name)", apiVersion: "7.4", body: .object([
            "value": .string(PlanPlaceholder.password),
            "contentType": .string("text/plain; charset=utf-8"),
            "attributes": .object(["enabled": .bool(true), "exp": .string("{{expires:\(options.keyVaultExpiryDays)d}}")]),
            "tags": .object(["purpose": .string("breakglass"), "account": .string(upn.lowercased()), "shareSet": .string("{{share-set}}")]),
        ]))
    }

    /// Placeholder ids become evaluable object ids in the projected tenant.
    static func evaluationID(_ reference: String) -> String {
        reference.hasPrefix("{{") ? "planned-" + reference.filter { $0.isLetter || $0.isNumber || $0 == "-" } : reference
    }

    /// The tenant as the plan leaves it, for the evaluator: new accounts, the group with every account, and the
    /// Global Administrator assignments.
    static func projectedSnapshot(_ snapshot: Snapshot, upns: [String], accountIDs: [String: String], groupReference: String,
                                  groupName: String, gaDefinition: String,
                                  unit: (reference: String, name: String)? = nil) throws -> Snapshot {
        var projected = snapshot
        let groupID = evaluationID(groupReference)
        if !projected.groups.contains(where: { $0.id.lowercased() == groupID }) {
            var group = Group(id: groupID, displayName: groupName)
            group.isAssignableToRole = true
            group.securityEnabled = true
            projected.groups.append(group)
        }
        var members = projected.groupMembers[groupID] ?? []
        var assignments: [[String: String]] = []
        for upn in upns {
            guard let reference = accountIDs[upn] else { continue }
            let id = evaluationID(reference)
            if !projected.users.contains(where: { $0.id.lowercased() == id }) {
                projected.users.append(User(id: id, displayName: upn, userPrincipalName: upn))
            }
            if !members.contains(where: { $0.id.lowercased() == id }) {
                members.append(DirectoryObjectReference(id: id, odataType: "#microsoft.graph.user"))
            }
            assignments.append(["id": "planned-\(id)", "principalId": id, "roleDefinitionId": gaDefinition, "directoryScopeId": "/"])
        }
        projected.groupMembers[groupID] = members
        if let unit {
            // The restricted-management unit holding every account (BG016).
            let unitID = evaluationID(unit.reference)
            if !(projected.administrativeUnits ?? []).contains(where: { $0.id.lowercased() == unitID }) {
                projected.administrativeUnits = (projected.administrativeUnits ?? [])
                    + [AdministrativeUnit(id: unitID, displayName: unit.name, isMemberManagementRestricted: true)]
            }
            var unitMembers = projected.administrativeUnitMembers[unitID] ?? []
            for upn in upns {
                guard let id = accountIDs[upn].map(evaluationID), !unitMembers.contains(where: { $0.id.lowercased() == id })
                else { continue }
                unitMembers.append(DirectoryObjectReference(id: id, odataType: "#microsoft.graph.user"))
            }
            projected.administrativeUnitMembers[unitID] = unitMembers
        }
        projected.roleAssignments += try JSONDecoder().decode([RoleAssignment].self, from: JSONEncoder().encode(assignments))
        return projected
    }

    /// The diagnostic setting and the alert rules of `export arm`, deployed as ARM deployments.
    static func monitoringSteps(context: TenantContext, upns: [String], accountIDs: [String: String],
                                options: ProvisionOptions) throws -> [PlanStep] {
        guard let workspace = options.workspaceID else { return [] }
        guard let subscription = options.subscriptionID, let resourceGroup = options.resourceGroup else {
            throw ProvisionError.cannotPlan("--workspace-id needs --subscription and --resource-group for the alert rules")
        }
        let accounts = upns.map { WatchedAccount(objectID: accountIDs[$0], userPrincipalName: $0) }
        var receivers: [Receiver] = []
        for notifier in context.configuration.monitoring.notify {
            guard let kind = Receiver.Kind(rawValue: notifier.type),
                let target = kind == .email ? (notifier.address ?? notifier.url) : notifier.url
            else { continue }
            receivers.append(Receiver(kind: kind, target: target, secretEnvironmentVariable: notifier.secretEnv))
        }
        let input = MonitoringInput(tenantID: context.snapshot.organization.id, tenantName: context.snapshot.organization.displayName,
                                    accounts: accounts, receivers: receivers)
        let templates = try ARMExport.files(input)
        func template(_ name: String) throws -> JSONValue {
            guard let text = templates[name], let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw ProvisionError.cannotPlan("export arm did not produce \(name)")
            }
            return value
        }
        let findings = Catalogue.run(in: context).filter { ["BG050", "BG051"].contains($0.checkID) }
        var steps: [PlanStep] = []
        if findings.contains(where: { $0.checkID == "BG050" && $0.status != .pass }) {
            steps.append(PlanStep(
                id: "deploy.diagnostic-setting", action: .deployDiagnosticSetting,
                what: "Send Entra sign-in and audit logs to the Log Analytics workspace",
                why: "Alerts on the emergency accounts can only read logs that reach the workspace (BG050).", fixes: ["BG050"],
                precondition: "none: deploying the same template again changes nothing",
                request: PlanRequest(service: .arm, method: "PUT", path: "/providers/Microsoft.Resources/deployments/breakglass-diagnostic-setting",
                                     apiVersion: deploymentAPIVersion, body: .object([
                                        "location": .string(options.location),
                                        "properties": .object([
                                            "mode": .string("Incremental"), "template": try template(ARMExport.diagnosticSettingFile),
                                            "parameters": .object(["workspaceId": .object(["value": .string(workspace)])]),
                                        ]),
                                     ])),
                touches: [], parameters: [:]))
        }
        let accountsCovered = !upns.contains { accountIDs[$0]?.hasPrefix("{{") == true }
            && !findings.contains { $0.checkID == "BG051" && $0.status != .pass }
        if !accountsCovered {
            steps.append(PlanStep(
                id: "deploy.alert-rules", action: .deployAlertRules,
                what: "Deploy the log search alert rules that watch every emergency account",
                why: "Every sign-in and change of an emergency account must alert someone (BG051).", fixes: ["BG051"],
                precondition: "none: deploying the same template again changes nothing",
                request: PlanRequest(service: .arm, method: "PUT",
                                     path: "/subscriptions/\(subscription)/resourcegroups/\(resourceGroup)/providers/Microsoft.Resources/deployments/breakglass-alerts",
                                     apiVersion: deploymentAPIVersion, body: .object([
                                        "properties": .object([
                                            "mode": .string("Incremental"), "template": try template(ARMExport.alertsFile),
                                            "parameters": .object([
                                                "workspaceId": .object(["value": .string(workspace)]),
                                                "location": .object(["value": .string(options.location)]),
                                            ]),
                                        ]),
                                     ])),
                touches: [], parameters: [:]))
        }
        return steps
    }
}

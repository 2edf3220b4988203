import Custody
import EntraModel
import Foundation
import Graph
import Posture

/// Everything an apply talks to.
public struct ApplyContext: Sendable {
    public var graph: GraphClient
    /// Azure Resource Manager, for the monitoring deployments.
    public var arm: GraphClient?
    /// The vault of the plan's Key Vault requests.
    public var keyVault: GraphClient?
    /// A fresh read of the tenant (a capture), to recompute the state the plan was made from.
    public var readTenant: @Sendable () async throws -> (snapshot: Snapshot, files: [String: Data])
    public var ledger: Ledger
    /// Who runs the apply, for the ledger.
    public var actor: String
    /// Share sheets go to `DIR/<custodian>/share-….txt` (folders 0700, sheets 0600).
    public var sharesDirectory: String
    public var progress: @Sendable (String) -> Void
    public var now: @Sendable () -> Date

    public init(graph: GraphClient, arm: GraphClient?, keyVault: GraphClient?,
                readTenant: @escaping @Sendable () async throws -> (snapshot: Snapshot, files: [String: Data]),
                ledger: Ledger, actor: String, sharesDirectory: String,
                progress: @escaping @Sendable (String) -> Void = { _ in }, now: @escaping @Sendable () -> Date = { Date() }) {
        self.graph = graph
        self.arm = arm
        self.keyVault = keyVault
        self.readTenant = readTenant
        self.ledger = ledger
        self.actor = actor
        self.sharesDirectory = sharesDirectory
        self.progress = progress
        self.now = now
    }
}

/// What an apply did.
public struct ApplyReport: Sendable {
    public var approvedBy: [String]
    public var applied: [String] = []
    public var skipped: [String] = []
    /// Share sets issued: the account, the set id and the sheet files.
    public var shareSets: [(account: String, setID: String, sheets: [String])] = []
    public var superseded: [String] = []
}

/// Applies an approved plan: checks the signatures and that the tenant is still the one planned, then runs each step
/// in order — looking first whether it is already done — journalling each result beside the plan and recording it
/// in the custody ledger. Safe to run again after a failure anywhere: it resumes and never creates a duplicate.
public struct ApplyEngine: Sendable {
    public let plan: Plan
    public let planPath: String
    public let custody: Configuration.Custody
    public let context: ApplyContext

    public init(plan: Plan, planPath: String, custody: Configuration.Custody, context: ApplyContext) {
        self.plan = plan
        self.planPath = planPath
        self.custody = custody
        self.context = context
    }

    var planLabel: String { "plan \(plan.hash.prefix(12))" }

    public func run() async throws -> ApplyReport {
        let hash = plan.hash
        let approvedBy: [String]
        do {
            approvedBy = try plan.verifyApprovals(custody)
        } catch {
            note(.planStep, "\(planLabel) (\(plan.kind.rawValue)) refused: \(error)")
            throw error
        }
        let journalPath = Journal.path(forPlanAt: planPath)
        var journal = try Journal.open(atPath: journalPath, planHash: hash)
        var report = ApplyReport(approvedBy: approvedBy)
        if plan.steps.allSatisfy({ [.done, .skipped].contains(journal.entry($0.id)?.status) }) {
            context.progress("Every step of this plan is already applied.")
            report.skipped = plan.steps.map(\.id)
            return report
        }

        context.progress("Reading the tenant to compare it with the plan…")
        let (snapshot, files) = try await context.readTenant()
        try checkState(snapshot: snapshot, files: files, journal: journal)
        try context.ledger.append(.planStep, actor: context.actor, setID: nil,
                                  outcome: "\(planLabel) (\(plan.kind.rawValue)) apply started; approved by \(approvedBy.joined(separator: ", "))")

        var outputs = journal.outputs
        outputs[PlanPlaceholder.graph] = Self.trimmed(context.graph.endpoints.graph)
        for (index, step) in plan.steps.enumerated() {
            let previous = journal.entry(step.id)
            if let previous, previous.status != .started {
                context.progress("[\(index + 1)/\(plan.steps.count)] \(step.what): already \(previous.status.rawValue)")
                continue
            }
            context.progress("[\(index + 1)/\(plan.steps.count)] \(step.what)")
            let result: StepResult
            do {
                result = try await perform(step, previous: previous, outputs: outputs, journal: &journal,
                                           journalPath: journalPath, report: &report)
            } catch {
                // An account taken out of its restricted-management unit for this change goes back in now.
                await restoreUnitMemberships(outputs: outputs, journal: &journal, journalPath: journalPath)
                throw error
            }
            outputs.merge(result.outputs) { _, new in new }
            journal.record(Journal.Entry(step: step.id, status: result.status, at: PlanClock.text(context.now()),
                                         outputs: result.outputs, shareSet: result.shareSet, passwordChangedBefore: nil,
                                         message: result.message))
            try journal.write(toPath: journalPath)
            if result.status == .done { report.applied.append(step.id) } else { report.skipped.append(step.id) }
            try context.ledger.append(.planStep, actor: context.actor, setID: result.shareSet.flatMap(ShareSetID.init),
                                      outcome: "\(planLabel) step \(step.id): \(result.message)")
        }
        try context.ledger.append(.planStep, actor: context.actor, setID: nil,
                                  outcome: "\(planLabel) applied: \(report.applied.count) step(s) applied, \(report.skipped.count) already as planned")
        return report
    }

    // MARK: State

    /// Compares the tenant now with the state the plan was made from. An item a started step touches may differ in
    /// exactly the way that step changes it; anything else that differs is named and the apply refused.
    func checkState(snapshot: Snapshot, files: [String: Data], journal: Journal) throws {
        let current = try TenantState.items(snapshot: snapshot, files: files, subjects: plan.subjects)
        let planned = Dictionary(plan.state.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Dictionary(current.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let started = Set(plan.steps.filter { journal.entry($0.id) != nil }.flatMap(\.touches))
        let groupID = journal.outputs[PlanPlaceholder.group]
            ?? (try? TenantState.exclusionGroup(in: snapshot, subjects: plan.subjects))?.id.lowercased()
        let rawPolicies = try TenantState.rawPolicies(files)
        var changes: [String] = []
        for key in Set(planned.keys).union(now.keys).sorted() {
            let before = planned[key]?.digest ?? StateItem.absent
            let after = now[key]?.digest ?? StateItem.absent
            if before == after { continue }
            if started.contains(key) {
                guard key.hasPrefix("policy:") else { continue }
                let id = String(key.dropFirst("policy:".count))
                if let groupID, let raw = rawPolicies.first(where: { if case .string(let value)? = $0["id"] { value.lowercased() == id } else { false } }),
                    [false, true].contains(where: {
                        TenantState.digest(TenantState.withoutExclusion(raw, groupID: groupID, droppingEmpty: $0)) == before
                    }) {
                    continue
                }
            }
            let label = now[key]?.label ?? planned[key]?.label ?? key
            if before == StateItem.absent {
                changes.append("\(label) was added")
            } else if after == StateItem.absent {
                changes.append("\(label) was deleted")
            } else {
                changes.append("\(label) changed")
            }
        }
        guard changes.isEmpty else {
            note(.planStep, "\(planLabel) refused: the tenant changed since planning: \(changes.joined(separator: "; "))")
            throw ProvisionError.tenantChanged(changes)
        }
    }

    // MARK: Steps

    struct StepResult {
        var status: Journal.Status
        var outputs: [String: String] = [:]
        var shareSet: String?
        var message: String
    }

    func perform(_ step: PlanStep, previous: Journal.Entry?, outputs: [String: String], journal: inout Journal,
                 journalPath: String, report: inout ApplyReport) async throws -> StepResult {
        switch step.action {
        case .createUser:
            return try await createUser(step, previous: previous, outputs: outputs, journal: &journal,
                                        journalPath: journalPath, report: &report)
        case .setPassword:
            return try await setPassword(step, previous: previous, outputs: outputs, journal: &journal,
                                         journalPath: journalPath, report: &report)
        case .createGroup:
            let name = step.parameters["groupName"] ?? ""
            let found = try await objects("/groups", filter: "displayName eq '\(Self.quoted(name))'",
                                          select: ["id", "displayName", "isAssignableToRole"])
            return try await createOnce(step, named: name, noun: "group", found: found, placeholder: PlanPlaceholder.group,
                                        previous: previous, outputs: outputs, journal: &journal, journalPath: journalPath)
        case .addMember:
            let user = try resolved(PlanPlaceholder.user(step.parameters["upn"] ?? ""), outputs: outputs, step: step)
            let group = try resolvedPath(step.request.path, outputs: outputs, step: step)
                .split(separator: "/")[1]
            let members = try await objects("/groups/\(group)/members", filter: nil, select: ["id"])
            if members.contains(where: { $0["id"]?.stringValue?.lowercased() == user }) {
                return StepResult(status: .skipped, message: "\(step.parameters["upn"] ?? user) is already a member")
            }
            try started(step, journal: &journal, journalPath: journalPath)
            _ = try await send(step.request, outputs: outputs, step: step)
            return StepResult(status: .done, message: "added \(step.parameters["upn"] ?? user) to the group")
        case .assignRole:
            let user = try resolved(PlanPlaceholder.user(step.parameters["upn"] ?? ""), outputs: outputs, step: step)
            let role = step.request.body?["roleDefinitionId"]?.stringValue?.lowercased() ?? ""
            let assignments = try await objects("/roleManagement/directory/roleAssignments",
                                                filter: "principalId eq '\(user)'", select: [])
            if assignments.contains(where: {
                $0["roleDefinitionId"]?.stringValue?.lowercased() == role && ($0["directoryScopeId"]?.stringValue ?? "/") == "/"
            }) {
                return StepResult(status: .skipped, message: "\(step.parameters["upn"] ?? user) already holds the role at /")
            }
            try started(step, journal: &journal, journalPath: journalPath)
            _ = try await send(step.request, outputs: outputs, step: step)
            return StepResult(status: .done, message: "assigned Global Administrator to \(step.parameters["upn"] ?? user) at /")
        case .excludeFromPolicy:
            let group = try resolved(PlanPlaceholder.group, outputs: outputs, step: step, fallback: step.request.body)
            let policyID = step.parameters["policyID"] ?? ""
            let policies = try await objects("/identity/conditionalAccess/policies", filter: nil, select: [])
            guard let policy = policies.first(where: { $0["id"]?.stringValue?.lowercased() == policyID.lowercased() }) else {
                throw ProvisionError.unsafe(step: step.id, reason: "policy \(policyID) no longer exists")
            }
            let excluded = policy["conditions"]?["users"]?["excludeGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if excluded.contains(where: { $0.lowercased() == group }) {
                return StepResult(status: .skipped, message: "policy \(policyID) already excludes the group")
            }
            try started(step, journal: &journal, journalPath: journalPath)
            _ = try await send(step.request, outputs: outputs, step: step)
            return StepResult(status: .done, message: "policy \(policyID) now excludes group \(group)")
        case .createAdministrativeUnit:
            return try await createAdministrativeUnit(step, previous: previous, outputs: outputs, journal: &journal, journalPath: journalPath)
        case .addAdministrativeUnitMember:
            return try await addAdministrativeUnitMember(step, outputs: outputs, journal: &journal, journalPath: journalPath)
        case .removeAdministrativeUnitMember:
            return try await removeAdministrativeUnitMember(step, outputs: outputs, journal: &journal, journalPath: journalPath)
        case .setPasswordNeverExpires, .deployDiagnosticSetting, .deployAlertRules:
            // PATCH and PUT of a whole deployment set state: sending them again is harmless.
            try started(step, journal: &journal, journalPath: journalPath)
            _ = try await send(step.request, outputs: outputs, step: step)
            return StepResult(status: .done, message: "\(step.request.summary) succeeded")
        }
    }

    func started(_ step: PlanStep, journal: inout Journal, journalPath: String, shareSet: String? = nil,
                 passwordChangedBefore: String? = nil) throws {
        journal.record(Journal.Entry(step: step.id, status: .started, at: PlanClock.text(context.now()), outputs: [:],
                                     shareSet: shareSet, passwordChangedBefore: passwordChangedBefore, message: nil))
        try journal.write(toPath: journalPath)
    }

    // MARK: Passwords

    /// Creates the account with a new password. The sheets are written (and the Key Vault copy stored) before the
    /// request, so a password Graph accepted is never lost; a resumed run tells from the tenant whether it was.
    func createUser(_ step: PlanStep, previous: Journal.Entry?, outputs: [String: String], journal: inout Journal,
                    journalPath: String, report: inout ApplyReport) async throws -> StepResult {
        let upn = step.parameters["upn"] ?? ""
        let found = try await objects("/users", filter: "userPrincipalName eq '\(Self.quoted(upn))'",
                                      select: ["id", "userPrincipalName"])
        if let user = found.first, let id = user["id"]?.stringValue?.lowercased() {
            guard let previous else {
                throw ProvisionError.unsafe(step: step.id, reason: "\(upn) appeared in the tenant but this plan did not create it")
            }
            if let set = previous.shareSet {
                try record(.split, set: set, "account \(id) (\(upn)): initial password set (resumed); sheets of set \(set)")
            }
            return StepResult(status: .done, outputs: [PlanPlaceholder.user(upn): id], shareSet: previous.shareSet,
                              message: "\(upn) found (id \(id)): created by the interrupted run with set \(previous.shareSet ?? "?")")
        }
        if let set = previous?.shareSet {
            try supersede(set, account: upn, reason: "the interrupted run never set this password", report: &report)
        }
        let (password, sheets) = try issue(for: upn, report: &report)
        try started(step, journal: &journal, journalPath: journalPath, shareSet: sheets.setID)
        try await storeInKeyVault(step, password: password, setID: sheets.setID, outputs: outputs)
        let response = try await send(step.request, outputs: outputs, step: step, password: password)
        guard let id = Self.field("id", in: response.body)?.lowercased() else {
            throw ProvisionError.stepFailed(step: step.id, reason: "Graph's answer has no id")
        }
        try record(.split, set: sheets.setID,
                   "account \(id) (\(upn)): initial password set; \(plan.shares.threshold)-of-\(plan.shares.custodians.count) sheets for \(plan.shares.custodians.joined(separator: ", "))")
        return StepResult(status: .done, outputs: [PlanPlaceholder.user(upn): id], shareSet: sheets.setID,
                          message: "created \(upn) (id \(id)); password split as set \(sheets.setID)")
    }

    /// Sets a new password. Whether an interrupted request ran is told by `lastPasswordChangeDateTime` moving.
    func setPassword(_ step: PlanStep, previous: Journal.Entry?, outputs: [String: String], journal: inout Journal,
                     journalPath: String, report: inout ApplyReport) async throws -> StepResult {
        let upn = step.parameters["upn"] ?? ""
        let id = step.parameters["userID"] ?? ""
        let changedNow = try await lastPasswordChange(id, step: step)
        if let previous, let set = previous.shareSet {
            if changedNow != previous.passwordChangedBefore {
                try finishRotation(id: id, upn: upn, set: set, report: &report)
                return StepResult(status: .done, shareSet: set, message: "password of \(upn) was changed by the interrupted run (set \(set))")
            }
            try supersede(set, account: id, reason: "the interrupted run never set this password", report: &report)
        }
        let (password, sheets) = try issue(for: upn, report: &report)
        try started(step, journal: &journal, journalPath: journalPath, shareSet: sheets.setID, passwordChangedBefore: changedNow)
        try await storeInKeyVault(step, password: password, setID: sheets.setID, outputs: outputs)
        _ = try await send(step.request, outputs: outputs, step: step, password: password)
        try finishRotation(id: id, upn: upn, set: sheets.setID, report: &report)
        return StepResult(status: .done, shareSet: sheets.setID, message: "password of \(upn) changed; split as set \(sheets.setID)")
    }

    func finishRotation(id: String, upn: String, set: String, report: inout ApplyReport) throws {
        try record(.rotation, set: set,
                   "account \(id) (\(upn)): password changed; \(plan.shares.threshold)-of-\(plan.shares.custodians.count) sheets for \(plan.shares.custodians.joined(separator: ", "))")
        for old in try activeSets(account: id) where old != set {
            try supersede(old, account: id, reason: "replaced by set \(set)", report: &report)
        }
    }

    func lastPasswordChange(_ id: String, step: PlanStep) async throws -> String {
        let found = try await objects("/users", filter: "id eq '\(Self.quoted(id))'", select: ["id", "lastPasswordChangeDateTime"])
        guard let user = found.first else { throw ProvisionError.unsafe(step: step.id, reason: "user \(id) no longer exists") }
        return user["lastPasswordChangeDateTime"]?.stringValue ?? "never"
    }

    /// A new password from the Custody generator, split at once into the custodians' sheets.
    func issue(for account: String, report: inout ApplyReport) throws -> (Secret, (setID: String, paths: [String])) {
        let password = try PasswordGenerator.password().secret
        let shares = try Shamir.split(password, threshold: plan.shares.threshold, shares: plan.shares.custodians.count)
        let now = context.now()
        var paths: [String] = []
        do {
            for (share, custodian) in zip(shares, plan.shares.custodians) {
                let folder = URL(fileURLWithPath: context.sharesDirectory).appendingPathComponent(Self.folderName(custodian)).path
                try SecretFile.createDirectory(atPath: folder)
                paths.append(try ShareSheet(share: share, custodian: custodian, createdAt: now).write(into: folder))
            }
        } catch {
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        let setID = shares[0].setID.description
        report.shareSets.append((account, setID, paths))
        return (password, (setID, paths))
    }

    func storeInKeyVault(_ step: PlanStep, password: Secret, setID: String, outputs: [String: String]) async throws {
        guard let request = step.keyVault else { return }
        guard context.keyVault != nil else {
            throw ProvisionError.unsafe(step: step.id, reason: "the plan stores the password in Key Vault: give --key-vault with its URL")
        }
        var extra = outputs
        extra["{{share-set}}"] = setID
        _ = try await send(request, outputs: extra, step: step, password: password)
    }

    func supersede(_ set: String, account: String, reason: String, report: inout ApplyReport) throws {
        try record(.supersede, set: set, "account \(account): set \(set) superseded: \(reason)")
        report.superseded.append(set)
    }

    /// Sets issued for the account (split or rotation entries naming it) that no supersede entry closed.
    func activeSets(account id: String) throws -> [String] {
        let entries = try context.ledger.entries()
        let closed = Set(entries.filter { $0.action == .supersede }.compactMap(\.setID))
        return entries.filter { [.split, .rotation].contains($0.action) && $0.outcome.hasPrefix("account \(id) ") }
            .compactMap(\.setID).filter { !closed.contains($0) }
    }

    func record(_ action: LedgerAction, set: String, _ outcome: String) throws {
        try context.ledger.append(action, actor: context.actor, setID: ShareSetID(set), outcome: outcome)
    }

    func note(_ action: LedgerAction, _ outcome: String) {
        _ = try? context.ledger.append(action, actor: context.actor, setID: nil, outcome: outcome)
    }

    // MARK: Requests

    /// Sends a plan request with its placeholders filled in; the password only ever goes into the body.
    func send(_ request: PlanRequest, outputs: [String: String], step: PlanStep, password: Secret? = nil)
        async throws -> GraphResponse {
        let client: GraphClient
        let version: String
        switch request.service {
        case .graph: (client, version) = (context.graph, "v1.0")
        case .arm:
            guard let arm = context.arm else {
                throw ProvisionError.unsafe(step: step.id, reason: "the step deploys to Azure Resource Manager: give --arm-endpoint or use client credentials")
            }
            (client, version) = (arm, "")
        case .keyVault:
            guard let vault = context.keyVault else { throw ProvisionError.unsafe(step: step.id, reason: "no --key-vault given") }
            (client, version) = (vault, "")
        }
        let path = try resolvedPath(request.path, outputs: outputs, step: step)
        var body: Data?
        if let template = request.body {
            let value = try Self.fill(template, outputs: outputs, password: password, now: context.now(), step: step)
            body = try Plan.canonicalEncoder.encode(value)
        }
        do {
            return try await client.write(request.method, path, version: version,
                                          query: GraphQuery(apiVersion: request.apiVersion), body: body)
        } catch let error as GraphError {
            throw ProvisionError.stepFailed(step: step.id, reason: "\(error)")
        }
    }

    func resolvedPath(_ path: String, outputs: [String: String], step: PlanStep) throws -> String {
        var text = path
        for (key, value) in outputs { text = text.replacingOccurrences(of: key, with: value) }
        guard !text.contains("{{") else {
            throw ProvisionError.unsafe(step: step.id, reason: "\(path) refers to an object an earlier step did not create")
        }
        return text
    }

    func resolved(_ placeholder: String, outputs: [String: String], step: PlanStep, fallback: JSONValue? = nil) throws -> String {
        if let value = outputs[placeholder] { return value.lowercased() }
        // An existing group is named by id in the request itself.
        if placeholder == PlanPlaceholder.group, let groups = fallback?["conditions"]?["users"]?["excludeGroups"]?.arrayValue,
            let last = groups.last?.stringValue, !last.hasPrefix("{{") {
            return last.lowercased()
        }
        if placeholder.hasPrefix("{{user:"), let id = step.parameters["userID"] { return id.lowercased() }
        if !placeholder.hasPrefix("{{") { return placeholder }
        throw ProvisionError.unsafe(step: step.id, reason: "\(placeholder) was not created by an earlier step")
    }

    static func fill(_ value: JSONValue, outputs: [String: String], password: Secret?, now: Date, step: PlanStep) throws -> JSONValue {
        switch value {
        case .string(let text):
            if text == PlanPlaceholder.password {
                guard let password else { throw ProvisionError.unsafe(step: step.id, reason: "no password for \(text)") }
                return .string(password.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
            }
            if let match = text.wholeMatch(of: /\{\{expires:(\d+)d\}\}/), let days = Double(match.output.1) {
                return .number((now.timeIntervalSince1970 + days * 86_400).rounded())
            }
            var filled = text
            for (key, replacement) in outputs { filled = filled.replacingOccurrences(of: key, with: replacement) }
            guard !filled.contains("{{") else {
                throw ProvisionError.unsafe(step: step.id, reason: "the request refers to an object an earlier step did not create")
            }
            return .string(filled)
        case .array(let items): return .array(try items.map { try fill($0, outputs: outputs, password: password, now: now, step: step) })
        case .object(let members):
            return .object(try members.mapValues { try fill($0, outputs: outputs, password: password, now: now, step: step) })
        default: return value
        }
    }

    /// A list read for a probe, as JSON objects.
    func objects(_ path: String, filter: String?, select: [String]) async throws -> [JSONValue] {
        do {
            let data = try await context.graph.list(path, query: GraphQuery(select: select, filter: filter))
            let value = try JSONDecoder().decode(JSONValue.self, from: data)
            return value["value"]?.arrayValue ?? []
        } catch let error as GraphError {
            throw ProvisionError.stepFailed(step: "read \(path)", reason: "\(error)")
        }
    }

    static func field(_ name: String, in body: Data) -> String? {
        (try? JSONDecoder().decode(JSONValue.self, from: body))?[name]?.stringValue
    }

    static func quoted(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }

    static func trimmed(_ url: URL) -> String {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func folderName(_ custodian: String) -> String {
        String(custodian.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" || $0 == "@" ? $0 : "_" })
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

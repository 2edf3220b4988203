import EntraModel
import Foundation

/// What a capture reports as it goes (for a progress display).
public enum CaptureEvent: Sendable {
    case started(file: String)
    case items(file: String, count: Int)
    case finished(file: String, status: String)
}

/// Reads a tenant through Graph into the files of a snapshot folder (spec/snapshot.md), in memory.
/// Licence- and permission-limited optional files are recorded in manifest.json; anything else that fails fails
/// the capture, so nothing partial is ever written.
public struct SnapshotCapture: Sendable {
    public let client: GraphClient
    /// Azure Resource Manager (diagnostic settings); nil leaves the ARM files out.
    public let arm: GraphClient?
    public let cloud: String
    public let capturedBy: String
    let now: @Sendable () -> Date
    let progress: @Sendable (CaptureEvent) -> Void

    public init(client: GraphClient, arm: GraphClient? = nil, cloud: String, capturedBy: String,
                now: @escaping @Sendable () -> Date = { Date() },
                progress: @escaping @Sendable (CaptureEvent) -> Void = { _ in }) {
        self.client = client
        self.arm = arm
        self.cloud = cloud
        self.capturedBy = capturedBy
        self.now = now
        self.progress = progress
    }

    static let userSelect = [
        "id", "displayName", "userPrincipalName", "userType", "accountEnabled", "onPremisesSyncEnabled",
        "onPremisesImmutableId", "passwordPolicies", "lastPasswordChangeDateTime", "createdDateTime", "signInActivity",
        "assignedLicenses", "externalUserState", "creationType", "authorizationInfo",
    ]
    static let groupSelect = [
        "id", "displayName", "groupTypes", "membershipRule", "membershipRuleProcessingState", "isAssignableToRole",
        "securityEnabled", "onPremisesSyncEnabled",
    ]

    /// One top-level file: its request and whether it is a list.
    struct Job: Sendable {
        var file: SnapshotFile
        var path: String
        var query = GraphQuery()
        var isList = true
    }

    static let directoryJobs: [Job] = [
        Job(file: .organization, path: "/organization"),
        Job(file: .domains, path: "/domains"),
        Job(file: .users, path: "/users", query: GraphQuery(select: userSelect, top: 999)),
        Job(file: .groups, path: "/groups", query: GraphQuery(select: groupSelect, top: 999)),
        Job(file: .roleDefinitions, path: "/roleManagement/directory/roleDefinitions"),
        Job(file: .roleAssignments, path: "/roleManagement/directory/roleAssignments"),
        Job(file: .roleAssignmentScheduleInstances, path: "/roleManagement/directory/roleAssignmentScheduleInstances"),
        Job(file: .roleEligibilitySchedules, path: "/roleManagement/directory/roleEligibilitySchedules"),
        Job(file: .policies, path: "/identity/conditionalAccess/policies"),
        Job(file: .namedLocations, path: "/identity/conditionalAccess/namedLocations"),
        Job(file: .authenticationStrengths, path: "/policies/authenticationStrengthPolicies"),
        Job(file: .securityDefaults, path: "/policies/identitySecurityDefaultsEnforcementPolicy", isList: false),
    ] + tierZeroJobs

    /// Captures the tenant. `extraGroups` are groups the configuration names (the exclusion group);
    /// `emergencyAccounts` picks the accounts (declared or discovered) from the directory read so far.
    public func run(extraGroups: [String] = [],
                    emergencyAccounts: @Sendable (Snapshot) throws -> [String]) async throws -> [String: Data] {
        let started = now()
        var files: [String: Data] = [:]
        var statuses: [String: Manifest.FileEntry] = [:]

        let results = try await client.concurrentMap(Self.directoryJobs) { job in (job.file, try await fetch(job)) }
        for (file, outcome) in results { record(outcome, as: file.rawValue, files: &files, statuses: &statuses) }

        if let strengths = files[SnapshotFile.authenticationStrengths.rawValue] {
            files[SnapshotFile.authenticationStrengths.rawValue] = try await withCombinationConfigurations(strengths)
        }
        let directory = try SnapshotReader().read(from: MemorySource(files))
        for (id, outcome) in try await groupMembers(of: Self.referencedGroups(directory, extra: extraGroups), directory) {
            let name = SnapshotFile.groupMembers.rawValue
            record(outcome, as: Self.isData(outcome) ? "\(name)/\(id).json" : name, files: &files, statuses: &statuses)
        }

        for (name, outcome) in try await tierZeroOwnersAndMembers(directory, extraGroups: extraGroups) {
            record(outcome, as: name, files: &files, statuses: &statuses)
        }

        let accounts = try emergencyAccounts(try SnapshotReader().read(from: MemorySource(files)))
        let methods = try await client.concurrentMap(accounts) { id in
            (id, try await optional(.authenticationMethods, path: "/users/\(id)/authentication/methods"))
        }
        for (id, outcome) in methods {
            let name = SnapshotFile.authenticationMethods.rawValue
            record(outcome, as: Self.isData(outcome) ? "\(name)/\(id).json" : name, files: &files, statuses: &statuses)
        }
        let filter = accounts.isEmpty ? nil : accounts.map { "userId eq '\($0)'" }.joined(separator: " or ")
        if let filter {
            record(try await optional(.signIns, path: "/auditLogs/signIns", query: GraphQuery(filter: filter)),
                   as: SnapshotFile.signIns.rawValue, files: &files, statuses: &statuses)
        }
        record(try await directoryAudits(accounts: accounts, groups: extraGroups),
               as: SnapshotFile.directoryAudits.rawValue, files: &files, statuses: &statuses)
        if let arm {
            let query = GraphQuery(apiVersion: "2017-04-01-preview")
            record(try await optional(.diagnosticSettings, path: "/providers/microsoft.aadiam/diagnosticSettings",
                                      version: "", query: query, client: arm),
                   as: SnapshotFile.diagnosticSettings.rawValue, files: &files, statuses: &statuses)
            record(try await alertRules(arm), as: SnapshotFile.alertRules.rawValue, files: &files, statuses: &statuses)
        }

        let tenantID = directory.organization.id
        let manifest = Manifest(tenantId: tenantID, cloud: cloud, capturedAt: started, capturedBy: capturedBy,
                                files: statuses, graphEndpoint: GraphEndpoints.trimmed(client.endpoints.graph),
                                graphEndpointIsMicrosoft: client.endpoints.isMicrosoftGraph)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        files[SnapshotFile.manifest.rawValue] = try encoder.encode(manifest)
        return files
    }

    /// Audit records of what the emergency accounts did and what was done to them (and to the exclusion group):
    /// one filtered request each, merged without duplicates, newest first — not the whole tenant's audit log.
    func directoryAudits(accounts: [String], groups: [String]) async throws -> Outcome {
        let filters = accounts.map { "initiatedBy/user/id eq '\($0)'" }
            + (accounts + groups).map { "targetResources/any(t: t/id eq '\($0)')" }
        guard !filters.isEmpty else { return .data(Data(#"{"value":[]}"#.utf8)) }
        var records: [String: [String: Any]] = [:]
        for filter in filters {
            let outcome = try await optional(.directoryAudits, path: "/auditLogs/directoryAudits", query: GraphQuery(filter: filter))
            guard case .data(let page) = outcome else { return outcome }
            for record in Self.values(page) {
                records[record["id"] as? String ?? UUID().uuidString] = record
            }
        }
        let sorted = records.values.sorted {
            ($0["activityDateTime"] as? String ?? "") > ($1["activityDateTime"] as? String ?? "")
        }
        return .data(try JSONSerialization.data(withJSONObject: ["value": sorted], options: [.sortedKeys]))
    }

    /// Custom authentication strengths with their `combinationConfigurations` (FIDO2 key-model restrictions), a
    /// relationship that the list leaves out: `GET /policies/authenticationStrengthPolicies/{id}/combinationConfigurations`
    /// per custom strength (Learn, "List combinationConfigurations"; Policy.Read.All), stored in the policy object as
    /// `$expand` would.
    func withCombinationConfigurations(_ data: Data) async throws -> Data {
        guard var document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let policies = document["value"] as? [[String: Any]]
        else { return data }
        let custom = policies.compactMap { policy -> String? in
            guard (policy["policyType"] as? String)?.caseInsensitiveCompare("builtIn") != .orderedSame else { return nil }
            return policy["id"] as? String
        }
        guard !custom.isEmpty else { return data }
        let configurations = try await client.concurrentMap(custom) { id in
            (id, try await client.list("/policies/authenticationStrengthPolicies/\(id)/combinationConfigurations"))
        }
        var byID: [String: [[String: Any]]] = [:]
        for (id, page) in configurations { byID[id] = Self.values(page) }
        document["value"] = policies.map { policy -> [String: Any] in
            guard let id = policy["id"] as? String, let list = byID[id] else { return policy }
            var policy = policy
            policy["combinationConfigurations"] = list
            return policy
        }
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }

    /// The scheduled query rules (log alerts) of every subscription the credentials can read, in one `value` list:
    /// BG051 looks for the rules that watch the emergency accounts wherever they were deployed.
    func alertRules(_ arm: GraphClient) async throws -> Outcome {
        let subscriptions = try await optional(.alertRules, path: "/subscriptions", version: "",
                                               query: GraphQuery(apiVersion: "2022-12-01"), client: arm)
        guard case .data(let data) = subscriptions else { return subscriptions }
        let ids = Self.values(data).compactMap { $0["subscriptionId"] as? String }.sorted()
        var rules: [Any] = []
        for id in ids {
            let outcome = try await optional(
                .alertRules, path: "/subscriptions/\(id)/providers/Microsoft.Insights/scheduledQueryRules", version: "",
                query: GraphQuery(apiVersion: "2023-12-01"), client: arm)
            // A subscription whose rules the credentials cannot read is skipped; the others still count.
            if case .data(let page) = outcome { rules += Self.values(page) }
        }
        return .data(try JSONSerialization.data(withJSONObject: ["value": rules], options: [.sortedKeys]))
    }

    static func values(_ data: Data) -> [[String: Any]] {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["value"] as? [[String: Any]] ?? []
    }

    enum Outcome: Sendable {
        case data(Data)
        case unavailable(Manifest.FileEntry)
    }

    static func isData(_ outcome: Outcome) -> Bool {
        if case .data = outcome { return true }
        return false
    }

    func record(_ outcome: Outcome, as name: String, files: inout [String: Data], statuses: inout [String: Manifest.FileEntry]) {
        switch outcome {
        case .data(let data):
            files[name] = data
            if !name.contains("/") { statuses[name] = Manifest.FileEntry(status: "ok") }
            progress(.finished(file: name, status: "ok"))
        case .unavailable(let entry):
            statuses[name] = entry
            progress(.finished(file: name, status: entry.status))
        }
    }

    func fetch(_ job: Job) async throws -> Outcome {
        if job.file == .users {
            var query = job.query
            for _ in 0..<2 {
                do {
                    return .data(try await list(job.file, job.path, query))
                } catch let error as GraphError where Self.refusal(error)?.status == "notLicensed" {
                    // Without Entra ID P1 Graph refuses signInActivity: read the users without it (graph.md §1).
                    query.select.removeAll { $0 == "signInActivity" }
                } catch GraphError.http(_, 400, _, let message?) where message.contains("authorizationInfo") {
                    // Learn documents authorizationInfo (certificate user ids) on the beta user resource; a v1.0
                    // that does not know the property refuses the whole request: read the users without it.
                    query.select.removeAll { $0 == "authorizationInfo" }
                }
            }
            return .data(try await list(job.file, job.path, query))
        }
        guard !job.file.isRequired else {
            return .data(job.isList ? try await list(job.file, job.path, job.query) : try await client.object(job.path))
        }
        return try await optional(job.file, path: job.path, query: job.query, isList: job.isList)
    }

    func list(_ file: SnapshotFile, _ path: String, _ query: GraphQuery, version: String = "v1.0",
              client: GraphClient? = nil) async throws -> Data {
        progress(.started(file: file.rawValue))
        let progress = self.progress
        return try await (client ?? self.client).list(path, version: version, query: query) { count in
            progress(.items(file: file.rawValue, count: count))
        }
    }

    /// An optional file: a licence or permission refusal (or a 404) is recorded instead of failing the capture.
    func optional(_ file: SnapshotFile, path: String, version: String = "v1.0", query: GraphQuery = GraphQuery(),
                  isList: Bool = true, client: GraphClient? = nil) async throws -> Outcome {
        do {
            return .data(isList ? try await list(file, path, query, version: version, client: client)
                                : try await (client ?? self.client).object(path, version: version, query: query))
        } catch let error as GraphError {
            guard let entry = Self.refusal(error) else { throw error }
            return .unavailable(entry)
        }
    }

    /// How a refused request goes in the manifest: `notLicensed`, `forbidden`, `error` (404), or nil (a failure).
    public static func refusal(_ error: GraphError) -> Manifest.FileEntry? {
        let licence = ["Authentication_RequestFromNonPremiumTenantOrB2CTenant", "AadPremiumLicenseRequired"]
        switch error {
        case .forbidden(_, let code, _, _) where code.map(licence.contains) == true,
             .http(_, 400, let code, _) where code.map(licence.contains) == true:
            return Manifest.FileEntry(status: "notLicensed", message: error.description)
        case .forbidden, .http(_, 401, _, _):
            return Manifest.FileEntry(status: "forbidden", message: error.description)
        case .http(_, 404, _, _):
            return Manifest.FileEntry(status: "error", message: error.description)
        default:
            return nil
        }
    }
}

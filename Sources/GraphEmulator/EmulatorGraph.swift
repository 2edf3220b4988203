import EntraModel
import Foundation

extension GraphEmulator {
    /// Top-level Graph paths and the snapshot file each serves.
    static let listRoutes: [String: SnapshotFile] = [
        "/organization": .organization, "/domains": .domains, "/users": .users, "/groups": .groups,
        "/rolemanagement/directory/roledefinitions": .roleDefinitions,
        "/rolemanagement/directory/roleassignments": .roleAssignments,
        "/rolemanagement/directory/roleassignmentscheduleinstances": .roleAssignmentScheduleInstances,
        "/rolemanagement/directory/roleeligibilityschedules": .roleEligibilitySchedules,
        "/identity/conditionalaccess/policies": .policies,
        "/identity/conditionalaccess/namedlocations": .namedLocations,
        "/policies/authenticationstrengthpolicies": .authenticationStrengths,
        "/auditlogs/signins": .signIns, "/auditlogs/directoryaudits": .directoryAudits,
        "/providers/microsoft.aadiam/diagnosticsettings": .diagnosticSettings,
    ]

    func serve(resource: String, request: EmulatorRequest, overlays: [String: JSONList] = [:]) -> EmulatorResponse {
        let lower = resource.lowercased()
        func list(_ name: String) -> [[String: Any]]? { overlays[name]?.items ?? store.lists[name] }
        func exists(_ id: String, in file: SnapshotFile) -> Bool {
            list(file.rawValue)?.contains { ($0["id"] as? String)?.lowercased() == id } ?? false
        }
        func page(_ all: [[String: Any]], file: String, request: EmulatorRequest, isChanged: Bool = false) -> EmulatorResponse {
            self.page(all, file: file, request: request, isChanged: overlays[file] != nil)
        }
        let parts = lower.split(separator: "/").map(String.init)
        if lower == "/policies/identitysecuritydefaultsenforcementpolicy" {
            let name = SnapshotFile.securityDefaults.rawValue
            if let refusal = refusal(for: name) { return refusal }
            guard let object = store.objects[name] ?? list(name)?.first else { return notFound(resource) }
            return .json(200, object)
        }
        if let file = Self.listRoutes[lower] {
            if let refusal = refusal(for: file.rawValue) { return refusal }
            if file == .users, request.query["$select"]?.contains("signInActivity") == true,
               let refusal = refusal(for: SnapshotFile.signIns.rawValue) {
                return refusal
            }
            guard let items = list(file.rawValue) else { return notFound(resource) }
            if file == .authenticationStrengths {
                // combinationConfigurations is a relationship: Graph's list leaves it out (the snapshot keeps it in
                // the policy object, as `$expand` would); it is served under its own path below.
                let listed = items.map { $0.filter { $0.key != "combinationConfigurations" } }
                return page(listed, file: lower, request: request)
            }
            return page(items, file: file.rawValue, request: request)
        }
        // ARM: one emulated subscription holding the snapshot's scheduled query rules.
        if lower == "/subscriptions" {
            guard list(SnapshotFile.alertRules.rawValue) != nil else { return page([], file: lower, request: request) }
            let subscription: [String: Any] = [
                "id": "/subscriptions/\(Self.subscriptionID)", "subscriptionId": Self.subscriptionID,
                "displayName": "Emulated subscription", "state": "Enabled",
            ]
            return page([subscription], file: lower, request: request)
        }
        if parts.count == 5, parts[0] == "subscriptions", parts[2] == "providers", parts[3] == "microsoft.insights",
           parts[4] == "scheduledqueryrules" {
            let name = SnapshotFile.alertRules.rawValue
            if let refusal = refusal(for: name) { return refusal }
            guard parts[1] == Self.subscriptionID, let items = list(name) else { return notFound(resource) }
            return page(items, file: name, request: request)
        }
        if parts.count == 3, parts[0] == "groups", parts[2] == "members" {
            let key = "\(SnapshotFile.groupMembers.rawValue)/\(parts[1])"
            guard let items = list(key) ?? (exists(parts[1], in: .groups) ? [] : nil) else {
                return notFound(resource)
            }
            return page(items, file: key, request: request)
        }
        // A custom strength's combinationConfigurations: the list the snapshot stores inside the policy object.
        if parts.count == 4, parts[0] == "policies", parts[1] == "authenticationstrengthpolicies",
           parts[3] == "combinationconfigurations" {
            let name = SnapshotFile.authenticationStrengths.rawValue
            if let refusal = refusal(for: name) { return refusal }
            guard let policy = store.lists[name]?.first(where: { ($0["id"] as? String)?.lowercased() == parts[2] }) else {
                return notFound(resource)
            }
            return page(policy["combinationConfigurations"] as? [[String: Any]] ?? [], file: lower, request: request)
        }
        if parts.count == 4, parts[0] == "users", parts[2] == "authentication", parts[3] == "methods" {
            if let refusal = refusal(for: SnapshotFile.authenticationMethods.rawValue) { return refusal }
            let key = "\(SnapshotFile.authenticationMethods.rawValue)/\(parts[1])"
            guard let items = list(key) ?? (exists(parts[1], in: .users) ? [] : nil) else {
                return notFound(resource)
            }
            return page(items, file: key, request: request)
        }
        return .graphError(400, "BadRequest", "Resource not found for the segment '\(parts.last ?? "")'.")
    }

    static let subscriptionID = "00000000-0000-4000-8000-00000000a1e7"

    func notFound(_ resource: String) -> EmulatorResponse {
        .graphError(404, "Request_ResourceNotFound", "Resource '\(resource)' does not exist.")
    }

    /// How Graph refuses a file the tenant lacks the licence or permission for (graph.md §1).
    func refusal(for file: String) -> EmulatorResponse? {
        let status = options.unlicensedFiles.contains(file) ? "notLicensed" : store.statuses[file]
        switch status {
        case "notLicensed":
            if file == SnapshotFile.roleAssignmentScheduleInstances.rawValue
                || file == SnapshotFile.roleEligibilitySchedules.rawValue {
                return .graphError(400, "AadPremiumLicenseRequired",
                                   "The tenant needs an AAD Premium 2 license.")
            }
            return .graphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                               "Neither tenant is B2C or tenant doesn't have premium license")
        case "forbidden":
            return .graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
        case "error":
            return .graphError(500, "InternalServerError", "The snapshot records this file as not captured.")
        default:
            return nil
        }
    }

    /// `$filter`, `$select`, `$top` and `$skiptoken` over a list.
    func page(_ all: [[String: Any]], file: String, request: EmulatorRequest, isChanged: Bool = false) -> EmulatorResponse {
        var indices = Array(all.indices)
        if let filter = request.query["$filter"] {
            guard let clauses = Self.clauses(filter) else {
                return .graphError(400, "BadRequest", "Invalid filter clause: the emulator understands `field eq 'value'` joined by `or`.")
            }
            indices = indices.filter { index in
                clauses.contains { $0.matches(all[index]) }
            }
        }
        let size = min(request.query["$top"].flatMap(Int.init) ?? options.pageSize, options.pageSize)
        let offset = max(0, request.query["$skiptoken"].flatMap(Int.init) ?? 0)
        let end = min(indices.count, offset + max(1, size))
        let slice = offset < end ? Array(indices[offset..<end]) : []
        var nextLink: String?
        if end < indices.count {
            var query = request.query
            query["$skiptoken"] = String(end)
            nextLink = request.baseURL + request.path + "?" + Self.encode(query)
        }
        let context = "\(request.baseURL)/v1.0/$metadata"
        let keep = request.query["$select"].map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } + ["id"])
        }
        let allKept = keep.map { keep in (store.keys[file] ?? []).allSatisfy { keep.contains($0) || $0.hasPrefix("@odata.") } } ?? true
        if allKept, !isChanged, let encoded = store.encoded[file], encoded.count == all.count {
            // Every key survives $select: join the items' JSON encoded at load time.
            var body = Data(#"{"@odata.context":"#.utf8) + Self.jsonString(context)
            if let nextLink { body += Data(#","@odata.nextLink":"#.utf8) + Self.jsonString(nextLink) }
            body += Data(#","value":["#.utf8)
            for (position, index) in slice.enumerated() {
                if position > 0 { body.append(UInt8(ascii: ",")) }
                body += encoded[index]
            }
            body += Data("]}".utf8)
            return EmulatorResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
        }
        var items = slice.map { all[$0] }
        if let keep {
            items = items.map { item in item.filter { keep.contains($0.key) || $0.key.hasPrefix("@odata.") } }
        }
        var body: [String: Any] = ["@odata.context": context, "value": items]
        if let nextLink { body["@odata.nextLink"] = nextLink }
        return .json(200, body)
    }

    static func jsonString(_ text: String) -> Data {
        (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
            ?? Data("\"\"".utf8)
    }

    /// `path eq 'value'`, or with `collection`, the lambda `collection/any(t: t/path eq 'value')`.
    struct Clause {
        var path: [String]
        var value: String
        var collection: [String]? = nil

        func matches(_ item: [String: Any]) -> Bool {
            func equal(_ object: [String: Any]) -> Bool {
                GraphEmulator.value(at: path, in: object).map { $0.caseInsensitiveCompare(value) == .orderedSame } ?? false
            }
            guard let collection else { return equal(item) }
            var current: Any? = item
            for key in collection { current = (current as? [String: Any])?[key] }
            return (current as? [[String: Any]])?.contains(where: equal) ?? false
        }
    }

    /// `userId eq 'a' or userId eq 'b'` → clauses; nil for anything else.
    static func clauses(_ filter: String) -> [Clause]? {
        var clauses: [Clause] = []
        for part in filter.components(separatedBy: " or ") {
            if let lambda = Self.lambda(part.trimmingCharacters(in: .whitespaces)) {
                clauses.append(lambda)
                continue
            }
            let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2).map(String.init)
            guard words.count == 3, words[1] == "eq", words[2].hasPrefix("'"), words[2].hasSuffix("'"), words[2].count >= 2 else {
                return nil
            }
            let value = String(words[2].dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            clauses.append(Clause(path: words[0].split(separator: "/").map(String.init), value: value))
        }
        return clauses
    }

    /// `targetResources/any(t: t/id eq 'x')`.
    static func lambda(_ text: String) -> Clause? {
        guard let match = text.wholeMatch(of: /(\S+)\/any\((\w+):\s*(\w+)\/(\S+)\s+eq\s+'(.*)'\)/),
              match.output.2 == match.output.3
        else { return nil }
        return Clause(path: match.output.4.split(separator: "/").map(String.init),
                      value: String(match.output.5).replacingOccurrences(of: "''", with: "'"),
                      collection: match.output.1.split(separator: "/").map(String.init))
    }

    static func value(at path: [String], in item: [String: Any]) -> String? {
        var current: Any? = item
        for key in path { current = (current as? [String: Any])?[key] }
        if let text = current as? String { return text }
        return nil
    }

    static func encode(_ query: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~$,")
        return query.sorted { $0.key < $1.key }.map {
            "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.key)="
                + ($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)
        }.joined(separator: "&")
    }
}

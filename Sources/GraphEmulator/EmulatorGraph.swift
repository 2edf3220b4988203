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
        "/serviceprincipals": .servicePrincipals, "/applications": .applications,
        "/directory/administrativeunits": .administrativeUnits,
    ]

    /// Single objects and the file each serves.
    static let objectRoutes: [String: SnapshotFile] = [
        "/policies/identitysecuritydefaultsenforcementpolicy": .securityDefaults,
        "/policies/authenticationmethodspolicy": .authenticationMethodsPolicy,
    ]

    /// `/{parent}/{id}/{relation}` lists held in a snapshot folder: the folder and the list file of the parents.
    static let folderRoutes: [String: (folder: SnapshotFile, parents: SnapshotFile)] = [
        "groups/members": (.groupMembers, .groups),
        "groups/owners": (.groupOwners, .groups),
        "serviceprincipals/owners": (.servicePrincipalOwners, .servicePrincipals),
        "applications/owners": (.applicationOwners, .applications),
        "administrativeunits/members": (.administrativeUnitMembers, .administrativeUnits),
    ]

    func serve(resource: String, request: EmulatorRequest, overlays: [String: JSONList] = [:]) -> EmulatorResponse {
        let lower = resource.lowercased()
        // Written objects (overlays) first, then the timeline's records over the snapshot's.
        func listed(_ name: String) -> (items: [[String: Any]], changed: Bool)? {
            if let overlay = overlays[name] { return (overlay.items, true) }
            return self.list(name)
        }
        func list(_ name: String) -> [[String: Any]]? { listed(name)?.items }
        func exists(_ id: String, in file: SnapshotFile) -> Bool {
            list(file.rawValue)?.contains { ($0["id"] as? String)?.lowercased() == id } ?? false
        }
        func page(_ all: [[String: Any]], file: String, request: EmulatorRequest, fast: Bool = true) -> EmulatorResponse {
            self.page(all, file: file, request: request, fast: fast && overlays[file] == nil)
        }
        let parts = lower.split(separator: "/").map(String.init)
        if let file = Self.objectRoutes[lower] {
            let name = file.rawValue
            if let refusal = refusal(for: name) { return refusal }
            guard let object = store.objects[name] ?? list(name)?.first else { return notFound(resource) }
            return .json(200, object)
        }
        if let graphResponse = serveGraphServicePrincipal(lower, resource: resource, request: request) {
            return graphResponse
        }
        if let file = Self.listRoutes[lower] {
            if let refusal = refusal(for: file.rawValue) { return refusal }
            if file == .users, request.query["$select"]?.contains("signInActivity") == true,
               let refusal = refusal(for: SnapshotFile.signIns.rawValue) {
                return refusal
            }
            guard var (items, changed) = listed(file.rawValue) else { return notFound(resource) }
            if file == .authenticationStrengths {
                // combinationConfigurations is a relationship: Graph's list leaves it out (the snapshot keeps it in
                // the policy object, as `$expand` would); it is served under its own path below.
                let listed = items.map { $0.filter { $0.key != "combinationConfigurations" } }
                return page(listed, file: lower, request: request)
            }
            if file == .signIns {
                // v1.0 lists interactive sign-ins only; beta too, unless the filter asks for signInEventTypes (Learn,
                // "signIn resource type" (beta)).
                let asksForTypes = request.path.lowercased().hasPrefix("/beta/")
                    && (request.query["$filter"] ?? "").lowercased().contains("signineventtypes")
                if !asksForTypes {
                    let all = items.count
                    items = items.filter { Self.eventTypes($0).contains("interactiveUser") }
                    changed = changed || items.count != all
                }
            }
            return page(items, file: file.rawValue, request: request, fast: !changed)
        }
        if parts.count == 2, parts[0] == "users" {
            // GET /users/{id or UPN}
            guard let users = list(SnapshotFile.users.rawValue),
                  let user = users.first(where: { item in
                      [item["id"], item["userPrincipalName"]].compactMap { ($0 as? String)?.lowercased() }.contains(parts[1])
                  }) else {
                return notFound(resource)
            }
            let keep = request.query["$select"].map {
                Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } + ["id"])
            }
            var object = user
            if let keep { object = user.filter { keep.contains($0.key) } }
            object["@odata.context"] = "\(request.baseURL)/v1.0/$metadata#users/$entity"
            return .json(200, object)
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
        // `/directory/administrativeUnits/{id}/members` is the same shape one level down.
        let relation = parts.first == "directory" ? Array(parts.dropFirst()) : parts
        if relation.count == 3, let route = Self.folderRoutes["\(relation[0])/\(relation[2])"] {
            if let refusal = refusal(for: route.folder.rawValue) { return refusal }
            let key = "\(route.folder.rawValue)/\(relation[1])"
            guard let items = list(key) ?? (exists(relation[1], in: route.parents) ? [] : nil) else {
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

    /// `/servicePrincipals(appId='{Microsoft Graph}')` and its `/appRoleAssignedTo` (also by the object id).
    func serveGraphServicePrincipal(_ lower: String, resource: String, request: EmulatorRequest) -> EmulatorResponse? {
        let decoded = lower.removingPercentEncoding ?? lower
        let object = SnapshotFile.graphServicePrincipal.rawValue
        let graphID = (store.objects[object]?["id"] as? String)?.lowercased()
        let byAppID = "/serviceprincipals(appid='\(WellKnownApplication.microsoftGraph)')"
        let byID = graphID.map { "/serviceprincipals/\($0)" }
        if decoded == byAppID || (byID != nil && decoded == byID) {
            if let refusal = refusal(for: object) { return refusal }
            guard let item = store.objects[object] else { return notFound(resource) }
            return .json(200, item)
        }
        if decoded == byAppID + "/approleassignedto" || (byID != nil && decoded == (byID ?? "") + "/approleassignedto") {
            let name = SnapshotFile.graphAppRoleAssignments.rawValue
            if let refusal = refusal(for: name) { return refusal }
            guard let items = store.lists[name] else { return notFound(resource) }
            return page(items, file: name, request: request)
        }
        return nil
    }

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

    /// A sign-in's `signInEventTypes` (beta), or what v1.0's `isInteractive` implies.
    static func eventTypes(_ item: [String: Any]) -> [String] {
        if let types = item["signInEventTypes"] as? [String], !types.isEmpty { return types }
        return [(item["isInteractive"] as? Bool) == false ? "nonInteractiveUser" : "interactiveUser"]
    }

    /// `$filter`, `$select`, `$top` and `$skiptoken` over a list; `fast` serves the bytes encoded at load when
    /// `$select` keeps every key (not for a list the timeline changed).
    func page(_ all: [[String: Any]], file: String, request: EmulatorRequest, fast: Bool = true) -> EmulatorResponse {
        var indices = Array(all.indices)
        if let filter = request.query["$filter"] {
            guard let parsed = EmulatorFilter.parse(filter) else {
                return .graphError(400, "BadRequest", "Invalid filter clause: the emulator understands comparisons (eq, ne, ge, gt, le, lt), and, or, parentheses and any() lambdas.")
            }
            indices = indices.filter { index in
                parsed.matches(all[index]) { item, path in
                    path == ["signInEventTypes"] ? Self.eventTypes(item) : nil
                }
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
        if fast, allKept, let encoded = store.encoded[file], encoded.count == all.count {
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

    static func encode(_ query: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~$,")
        return query.sorted { $0.key < $1.key }.map {
            "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.key)="
                + ($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)
        }.joined(separator: "&")
    }
}

import EntraModel
import Foundation

extension SnapshotCapture {
    /// Groups whose members the checks need: those Conditional Access policies include or exclude, those holding a
    /// role (directly or through PIM), and those the configuration names.
    static func referencedGroups(_ snapshot: Snapshot, extra: [String]) -> [String] {
        let groupIDs = Set(snapshot.groups.map { $0.id.lowercased() })
        var referenced: [String] = []
        func add(_ id: String) {
            let id = id.lowercased()
            if groupIDs.contains(id), !referenced.contains(id) { referenced.append(id) }
        }
        for policy in snapshot.policies {
            policy.conditions.users.includeGroups.forEach(add)
            policy.conditions.users.excludeGroups.forEach(add)
        }
        snapshot.roleAssignments.forEach { add($0.principalId) }
        snapshot.roleAssignmentScheduleInstances?.forEach { add($0.principalId) }
        snapshot.roleEligibilitySchedules?.forEach { add($0.principalId) }
        extra.forEach(add)
        // The authentication methods policy enables methods for groups (BG043).
        for configuration in snapshot.authenticationMethodsPolicy?.authenticationMethodConfigurations ?? [] {
            (configuration.includeTargets + configuration.excludeTargets).map(\.id).forEach(add)
        }
        return referenced
    }

    /// Direct members of `groups` and, level by level, of the groups nested in them.
    func groupMembers(of groups: [String], _ snapshot: Snapshot) async throws -> [(String, Outcome)] {
        let groupIDs = Set(snapshot.groups.map { $0.id.lowercased() })
        var seen = Set(groups)
        var level = groups
        var results: [(String, Outcome)] = []
        while !level.isEmpty {
            let fetched = try await client.concurrentMap(level) { id in
                (id, try await optional(.groupMembers, path: "/groups/\(id)/members",
                                        query: GraphQuery(select: ["id"], top: 999)))
            }
            var next: [String] = []
            for (id, outcome) in fetched {
                results.append((id, outcome))
                guard case .data(let data) = outcome else { continue }
                for member in Self.memberIDs(data) where !seen.contains(member.id) {
                    let isGroup = member.odataType?.lowercased() == "#microsoft.graph.group" || groupIDs.contains(member.id)
                    if isGroup {
                        seen.insert(member.id)
                        next.append(member.id)
                    }
                }
            }
            level = next
        }
        return results
    }

    static func memberIDs(_ data: Data) -> [(id: String, odataType: String?)] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let value = object["value"] as? [[String: Any]] else { return [] }
        return value.compactMap { item in
            (item["id"] as? String).map { ($0.lowercased(), item["@odata.type"] as? String) }
        }
    }
}

import EntraModel
import Foundation
@testable import Posture
import Testing

/// The demo tenant (DemoTenant/) decodes with the snapshot reader, is internally consistent, and the embedded copy
/// (Sources/Posture/Demo/DemoTenantFiles.swift) matches the folder.
@Suite struct DemoTenantFileTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = root.appendingPathComponent("DemoTenant")
    static let capturedAt = GraphDate.parse("2026-11-20T09:00:00Z")!
    static let globalAdministrator = WellKnownRole.globalAdministrator

    @Test func readsTheFolder() throws {
        let snapshot = try SnapshotReader().read(Self.folder)
        #expect(snapshot.users.count >= 35)
        #expect(snapshot.policies.count >= 12)
        #expect(snapshot.groups.count >= 15)
        #expect(snapshot.capturedAt == Self.capturedAt)
        #expect(snapshot.manifest?.cloud == "global")
        #expect(snapshot.organization.displayName == "Contoso Ltd")
        #expect(snapshot.initialDomain == "contoso.onmicrosoft.com")
        #expect(snapshot.unavailable.isEmpty, "every optional file is present: \(snapshot.unavailable)")
        #expect(snapshot.roleAssignmentScheduleInstances?.isEmpty == false)
        #expect(snapshot.roleEligibilitySchedules?.isEmpty == false)
        #expect(snapshot.namedLocations?.count == 4)
        #expect(snapshot.authenticationStrengths?.count == 4)
        #expect(snapshot.securityDefaults?.isEnabled == false)
        #expect(snapshot.signIns?.isEmpty == false)
        #expect(snapshot.directoryAudits?.isEmpty == false)
        #expect(snapshot.diagnosticSettings?.count == 2)
        #expect(snapshot.alertRules?.count == 3)
        // Graph's nulls and empty lists are "not configured": no policy has a condition the evaluator does not model.
        for policy in snapshot.policies {
            #expect(policy.conditions.unmodeled.isEmpty, "\(policy.displayName): \(policy.conditions.unmodeled)")
        }
        #expect(snapshot.namedLocations?.contains { $0.kind == .country } == true)
        #expect(snapshot.namedLocations?.flatMap(\.ipRanges).contains { $0.contains(":") } == true)
    }

    @Test func emergencyAccounts() throws {
        let snapshot = try SnapshotReader().read(Self.folder)
        let directory = Directory(snapshot)
        let bg01 = try #require(directory.user(idOrUPN: "bg-01@contoso.onmicrosoft.com"))
        let bg02 = try #require(directory.user(idOrUPN: "BG-02@contoso.onmicrosoft.com"))
        for account in [bg01, bg02] {
            #expect(account.accountEnabled == true)
            #expect(!account.isSynchronized)
            #expect(!account.isGuest)
            #expect(snapshot.authenticationMethods[account.id]?.contains { $0.isPhishingResistant } == true)
            let roles = directory.activeRoles(of: account.id, at: Self.capturedAt)
            #expect(roles.contains { $0.roleTemplateID == Self.globalAdministrator && $0.isPermanent && $0.path == .direct })
            #expect(directory.eligibleRoles(of: account.id, at: Self.capturedAt)?.isEmpty == true)
        }
        // The planted mistakes of DemoTenant/README.md.
        #expect(bg01.passwordNeverExpiresByPolicy && !bg02.passwordNeverExpiresByPolicy)
        #expect(snapshot.domains.first { $0.id == "contoso.onmicrosoft.com" }?.passwordsNeverExpire == true)
        #expect(snapshot.authenticationMethods[bg02.id]?.contains { $0.isPersonal } == true)
        #expect(snapshot.authenticationMethods[bg01.id]?.contains { $0.isPersonal } == false)
        let exclusionGroup = try #require(snapshot.groups.first { $0.displayName == "CA-Exclude-EmergencyAccess" })
        #expect(exclusionGroup.isAssignableToRole == true && !exclusionGroup.isDynamic && !exclusionGroup.isSynchronized)
        let excluded = directory.transitiveUsers(ofGroup: exclusionGroup.id)
        #expect(excluded.unknownGroups.isEmpty)
        #expect(excluded.users.contains(bg01.id) && !excluded.users.contains(bg02.id))
        #expect(excluded.users.count == 2)
        #expect(snapshot.signIns?.allSatisfy { $0.userId == bg02.id } == true)
        let globalAdministrators = directory.activeHolders(ofRole: Self.globalAdministrator, at: Self.capturedAt)
        #expect(globalAdministrators.count == 4)
        #expect(snapshot.policies.filter(\.isReportOnly).count == 1)
        #expect(snapshot.policies.contains { $0.state == PolicyState.disabled })
    }

    @Test func referencesResolve() throws {
        let snapshot = try SnapshotReader().read(Self.folder)
        let directory = Directory(snapshot)
        let special: Set<String> = ["All", "None", "GuestsOrExternalUsers"]
        let locations = Set((snapshot.namedLocations ?? []).map(\.id))
        let strengths = Set((snapshot.authenticationStrengths ?? []).map(\.id))
        for policy in snapshot.policies {
            let users = policy.conditions.users
            for id in users.includeUsers + users.excludeUsers where !special.contains(id) {
                #expect(directory.user(id) != nil, "\(policy.displayName): user \(id)")
            }
            for id in users.includeGroups + users.excludeGroups {
                #expect(directory.group(id) != nil && directory.hasMembers(ofGroup: id), "\(policy.displayName): group \(id)")
            }
            for id in users.includeRoles + users.excludeRoles {
                #expect(directory.role(id) != nil, "\(policy.displayName): role \(id)")
            }
            let named = (policy.conditions.locations?.includeLocations ?? []) + (policy.conditions.locations?.excludeLocations ?? [])
            for id in named where id != "All" && id != "AllTrusted" {
                #expect(locations.contains(id), "\(policy.displayName): location \(id)")
            }
            if let strength = policy.grantControls?.authenticationStrength {
                #expect(strengths.contains(strength.id), "\(policy.displayName): strength \(strength.id)")
            }
        }
        for (group, members) in snapshot.groupMembers {
            #expect(directory.group(group) != nil, "members of unknown group \(group)")
            for member in members {
                switch member.kind {
                case .user: #expect(directory.user(member.id) != nil, "group \(group): user \(member.id)")
                case .group: #expect(directory.group(member.id) != nil, "group \(group): group \(member.id)")
                default: Issue.record("group \(group): member \(member.id) has no @odata.type")
                }
            }
        }
        let principals = snapshot.roleAssignments.map(\.principalId)
            + (snapshot.roleAssignmentScheduleInstances ?? []).map(\.principalId)
            + (snapshot.roleEligibilitySchedules ?? []).map(\.principalId)
        for id in principals {
            #expect(directory.user(id) != nil || directory.hasMembers(ofGroup: id), "role principal \(id)")
        }
        for assignment in snapshot.roleAssignments {
            #expect(directory.role(assignment.roleDefinitionId) != nil, "role \(assignment.roleDefinitionId)")
        }
        for id in snapshot.authenticationMethods.keys {
            #expect(directory.user(id) != nil, "methods of unknown user \(id)")
        }
    }

    @Test func embeddedCopyMatchesTheFolder() throws {
        var onDisk: [String: String] = [:]
        let enumerator = try #require(FileManager.default.enumerator(at: Self.folder, includingPropertiesForKeys: nil))
        for case let url as URL in enumerator {
            let name = url.lastPathComponent
            guard name.hasSuffix(".json") || name == "breakglass.yml" else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(Self.folder.standardizedFileURL.path.count + 1))
            onDisk[relative] = try String(contentsOf: url, encoding: .utf8)
        }
        #expect(Set(onDisk.keys) == Set(DemoTenantFiles.files.keys),
                "run scripts/embed-demo-tenant.sh: DemoTenantFiles.swift lists other files than DemoTenant/")
        // JSON is embedded compact (as Graph sends it): compare the documents, key order aside; the YAML exactly.
        func canonical(_ text: String) throws -> Data {
            try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(text.utf8)),
                                       options: [.sortedKeys])
        }
        for (path, text) in onDisk {
            let embedded = try #require(DemoTenantFiles.files[path], "run scripts/embed-demo-tenant.sh: \(path) is missing")
            if path.hasSuffix(".json") {
                #expect(try canonical(embedded) == canonical(text), "run scripts/embed-demo-tenant.sh: \(path) differs")
                #expect(!embedded.contains("\n"), "\(path) should be embedded compact")
            } else {
                #expect(embedded == text, "run scripts/embed-demo-tenant.sh: \(path) differs")
            }
        }
        let memory = MemorySource(DemoTenantFiles.files.mapValues { Data($0.utf8) })
        let embedded = try SnapshotReader().read(from: memory)
        let folder = try SnapshotReader().read(Self.folder)
        #expect(embedded.users == folder.users)
        #expect(embedded.policies == folder.policies)
        #expect(embedded.groupMembers == folder.groupMembers)
        #expect(embedded.authenticationMethods == folder.authenticationMethods)
        #expect(embedded.unavailable.isEmpty)
    }
}

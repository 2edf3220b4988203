import Bench
import Foundation
import Testing

@testable import EntraModel
@testable import Paths
@testable import Posture

/// The tier-0 analysis on fixture tenants and on tenants changed one fact at a time (issue 15).
@Suite("Who can take over or lock out the emergency accounts")
struct TierZeroAnalysisTests {
    static let bg01 = "b9000001-0000-4000-8000-000000000001"
    static let bg02 = "b9000001-0000-4000-8000-000000000002"
    static let alice = "a1000000-0000-4000-8000-00000000a11c"
    static let bob = "a1000000-0000-4000-8000-000000000b0b"
    static let carol = "a1000000-0000-4000-8000-0000000ca201"
    static let provisioning = "c0000000-0000-4000-8000-00000000b001"
    static let unit = "d0000000-0000-4000-8000-0000000ea0a1"
    static let graphSP = "c0000000-0000-4000-8000-00000000a001"

    static func analysis(_ snapshot: Snapshot, exclusionGroups: [String] = ["e0000000-0000-4000-8000-0000000e0c10"],
                         disabled: Set<String> = []) -> TierZeroAnalysis {
        TierZeroAnalysis(directory: Directory(snapshot), emergencyAccounts: [bg01, bg02], exclusionGroups: exclusionGroups,
                         now: snapshot.capturedAt ?? Date(), disabled: disabled)
    }

    static func grant(_ permission: String, to principal: String, id: String = "ara-test") -> AppRoleAssignment {
        let roleID = [
            "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
            "UserAuthenticationMethod.ReadWrite.All": "50483e42-d915-4231-9639-7fdb7fd190e5",
            "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
            "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
        ][permission] ?? "00000000-0000-0000-0000-000000000000"
        return AppRoleAssignment(id: id, appRoleId: roleID, principalId: principal, resourceId: graphSP)
    }

    @Test("Good tenant: a Global Administrator and a declared app take over, a PIM-eligible Security Administrator locks out")
    func goodTenant() throws {
        let analysis = Self.analysis(try Fixture.snapshot("good"))
        #expect(analysis.limitations.isEmpty, "\(analysis.limitations)")
        #expect(Set(analysis.takeOverPrincipals.map(\.id)) == [Self.alice, Self.provisioning])
        #expect(analysis.accounts.map(\.restrictedUnits) == [[Self.unit], [Self.unit]])

        let alice = try #require(analysis.path(of: Self.alice, .takeOver))
        #expect(alice.accounts.count == 2)
        #expect(alice.hops.map(\.relation) == [.activeRole, .grants])
        #expect(alice.hops[0].evidence == Evidence(file: "role-assignments.json", objectID: "ra3", detail: "Global Administrator"))

        let app = try #require(analysis.path(of: Self.provisioning, .takeOver))
        #expect(app.principal.kind == .servicePrincipal)
        #expect(app.hops.map(\.relation) == [.appPermission, .grants])
        #expect(app.hops[0].evidence.file == "graph-app-role-assignments.json")
        #expect(app.hops[0].evidence.objectID == "ara-prov-1")
        #expect(app.hops[0].to.name == "Microsoft Graph RoleManagement.ReadWrite.Directory")

        let bob = try #require(analysis.path(of: Self.bob, .lockOut))
        #expect(bob.hops.first?.relation == .eligibleRole)
        #expect(bob.hops.first?.evidence.file == "role-eligibility-schedules.json")
        #expect(bob.hops.last?.to.id == "lock-out:\(Self.bg01)")
        #expect(analysis.tierZero == [Self.bg01, Self.bg02, Self.alice, Self.provisioning])
    }

    @Test("Bad tenant: Application.ReadWrite.All reaches take-over through any application; an owner through the registration")
    func badTenant() throws {
        let context = try Fixture.context("bad")
        let analysis = context.tierZero
        let automation = try #require(analysis.path(of: "c0000000-0000-4000-8000-00000000d002", .takeOver))
        #expect(automation.hops.map(\.relation) == [.appPermission, .grants, .anyApplication, .appPermission, .grants])
        #expect(automation.hops[2].to.name == "Legacy HR Sync")
        #expect(automation.hops[2].evidence.file == "service-principals.json")

        let carol = try #require(analysis.path(of: Self.carol, .takeOver))
        #expect(carol.hops.map(\.relation) == [.owner, .registration, .appPermission, .grants])
        #expect(carol.hops[0].evidence.file == "application-owners/c1000000-0000-4000-8000-00000000d001.json")
        #expect(!analysis.tierZero.contains(Self.carol))

        let bot = try #require(analysis.path(of: "c0000000-0000-4000-8000-00000000d003", .lockOut))
        #expect(bot.hops.last?.why.contains("Policy.ReadWrite.ConditionalAccess") == true)
        #expect(analysis.path(of: "c0000000-0000-4000-8000-00000000d003", .takeOver) == nil)
    }

    @Test("A restricted-management unit blocks tenant-wide Privileged Authentication Administrators and app permissions, not a role scoped to it nor a Global Administrator")
    func restrictedManagementUnit() throws {
        var snapshot = try Fixture.snapshot("good")
        let paa = WellKnownRole.privilegedAuthenticationAdministrator
        snapshot.roleAssignments += [
            RoleAssignment(id: "ra-paa-tenant", principalId: Self.bob, roleDefinitionId: paa, directoryScopeId: "/"),
            RoleAssignment(id: "ra-paa-unit", principalId: Self.carol, roleDefinitionId: paa,
                           directoryScopeId: "/administrativeUnits/\(Self.unit)"),
        ]
        snapshot.graphAppRoleAssignments?.append(Self.grant("UserAuthenticationMethod.ReadWrite.All", to: "c0000000-0000-4000-8000-00000000b002"))
        let restricted = Self.analysis(snapshot)
        #expect(restricted.path(of: Self.bob, .takeOver) == nil)
        #expect(restricted.path(of: "c0000000-0000-4000-8000-00000000b002", .takeOver) == nil)
        let scoped = try #require(restricted.path(of: Self.carol, .takeOver))
        #expect(scoped.hops[0].evidence.detail?.contains("/administrativeUnits/") == true)
        #expect(restricted.path(of: Self.alice, .takeOver) != nil)

        // Without the unit, the tenant-wide role and the permission reach both accounts, and the unit scope reaches none.
        snapshot.administrativeUnits = []
        snapshot.administrativeUnitMembers = [:]
        let open = Self.analysis(snapshot)
        #expect(open.path(of: Self.bob, .takeOver)?.accounts.count == 2)
        #expect(open.path(of: "c0000000-0000-4000-8000-00000000b002", .takeOver) != nil)
        #expect(open.path(of: Self.carol, .takeOver) == nil)
    }

    @Test("Group writers reach an exclusion group only when it is not role-assignable; owners always")
    func exclusionGroupWriters() throws {
        var snapshot = try Fixture.snapshot("good")
        snapshot.graphAppRoleAssignments?.append(Self.grant("Group.ReadWrite.All", to: "c0000000-0000-4000-8000-00000000b002"))
        snapshot.groupOwners["e0000000-0000-4000-8000-0000000e0c10"] = [DirectoryObjectReference(id: Self.carol, odataType: "#microsoft.graph.user")]
        // Both accounts are excluded by CA001 through the group only (not by id): removing them matters.
        let assignable = Self.analysis(snapshot)
        #expect(assignable.path(of: "c0000000-0000-4000-8000-00000000b002", .lockOut) == nil)
        let owner = try #require(assignable.path(of: Self.carol, .lockOut))
        #expect(owner.hops.map(\.relation) == [.owner, .grants])
        #expect(owner.hops[1].evidence.file == "conditional-access-policies.json")

        let index = try #require(snapshot.groups.firstIndex { $0.id == "e0000000-0000-4000-8000-0000000e0c10" })
        snapshot.groups[index].isAssignableToRole = false
        let plain = Self.analysis(snapshot)
        let writer = try #require(plain.path(of: "c0000000-0000-4000-8000-00000000b002", .lockOut))
        #expect(writer.hops.map(\.to.id).contains("members:e0000000-0000-4000-8000-0000000e0c10"))
    }

    @Test("Members and owners of a role-assignable group holding a role reach it; disabled principals do not")
    func groupsAndDisabled() throws {
        var snapshot = try Fixture.snapshot("good")
        let group = Group(id: "e0000000-0000-4000-8000-0000000ad001", displayName: "SG-PRA")
        snapshot.groups.append(group)
        snapshot.groupMembers[group.id] = [DirectoryObjectReference(id: "c0000000-0000-4000-8000-00000000b002", odataType: "#microsoft.graph.servicePrincipal")]
        snapshot.groupOwners[group.id] = [DirectoryObjectReference(id: Self.carol, odataType: "#microsoft.graph.user")]
        snapshot.roleEligibilitySchedules?.append(RoleEligibilitySchedule(
            id: "e-group", principalId: group.id, roleDefinitionId: WellKnownRole.privilegedRoleAdministrator, directoryScopeId: "/"))
        let analysis = Self.analysis(snapshot)
        let member = try #require(analysis.path(of: "c0000000-0000-4000-8000-00000000b002", .takeOver))
        #expect(member.hops.map(\.relation) == [.member, .eligibleRole, .grants])
        let owner = try #require(analysis.path(of: Self.carol, .takeOver))
        #expect(owner.hops.map(\.relation) == [.owner, .eligibleRole, .grants])

        // The admin-compromise scenario: alice disabled; the app she owns still acts, she no longer does.
        let compromised = Self.analysis(snapshot, disabled: [Self.alice])
        #expect(compromised.path(of: Self.alice, .takeOver) == nil)
        #expect(compromised.path(of: Self.provisioning, .takeOver) != nil)
    }

    @Test("Missing files are named as limitations, never silently complete")
    func missingFiles() throws {
        var snapshot = try Fixture.snapshot("good")
        snapshot.servicePrincipals = nil
        snapshot.graphAppRoleAssignments = nil
        snapshot.unavailable["service-principals.json"] = Unavailable(file: "service-principals.json", status: "forbidden")
        snapshot.administrativeUnits = nil
        snapshot.groupOwners = [:]
        let analysis = Self.analysis(snapshot)
        let files = Set(analysis.limitations.map(\.file))
        #expect(files.contains("service-principals.json"))
        #expect(files.contains("graph-app-role-assignments.json"))
        #expect(files.contains("administrative-units.json"))
        #expect(files.contains("group-owners/e0000000-0000-4000-8000-0000000e0c10.json"))
        #expect(analysis.limitations.first { $0.file == "service-principals.json" }?.reason.contains("Application.Read.All") == true)
        #expect(analysis.accounts.allSatisfy { $0.restrictedUnits == nil })
    }

    @Test("Thousands of service principals: edges grow with the grants and owners, not with their square")
    func scales() throws {
        let files = SyntheticTenant(users: 3_000, groups: 60, policies: 12, servicePrincipals: 4_000).files()
        let snapshot = try SnapshotReader().read(from: MemorySource(files))
        let principals = try #require(snapshot.servicePrincipals).count
        let grants = try #require(snapshot.graphAppRoleAssignments).count
        let analysis = TierZeroAnalysis(directory: Directory(snapshot), emergencyAccounts: SyntheticTenant.emergencyAccountIDs(),
                                        exclusionGroups: [], now: snapshot.capturedAt ?? Date())
        #expect(principals == 4_001)
        // An all-pairs representation of "Application.ReadWrite.All controls every app" alone would need holders ×
        // principals edges; the analysis stays within a small multiple of the objects it reads.
        #expect(analysis.edgeCount <= 4 * (principals + grants + snapshot.roleAssignments.count + 100))
        let holders = try #require(snapshot.graphServicePrincipal?.appRoles.first { $0.value == "Application.ReadWrite.All" })
        let writer = snapshot.graphAppRoleAssignments?.first { $0.appRoleId == holders.id }
        if let writer, snapshot.servicePrincipals?.first(where: { $0.id == writer.principalId })?.accountEnabled != false {
            #expect(analysis.path(of: writer.principalId, .takeOver) != nil)
        }
    }
}

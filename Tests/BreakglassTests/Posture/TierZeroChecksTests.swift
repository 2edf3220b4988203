import Foundation
import Testing

@testable import EntraModel
@testable import Posture

/// BG016, BG023, BG024, BG037, BG042 and BG043, one fact changed at a time from the good fixture.
@Suite("The tier-0 checks")
struct TierZeroChecksTests {
    static let bg01 = "b9000001-0000-4000-8000-000000000001"
    static let bg02 = "b9000001-0000-4000-8000-000000000002"
    static let excl = "e0000000-0000-4000-8000-0000000e0c10"
    static let carol = "a1000000-0000-4000-8000-0000000ca201"

    static func context(_ change: (inout Snapshot) -> Void = { _ in }, configure: (inout Configuration) -> Void = { _ in })
        throws -> TenantContext {
        var snapshot = try Fixture.snapshot("good")
        change(&snapshot)
        var configuration = try Fixture.configuration("good")
        configure(&configuration)
        return TenantContext(snapshot: snapshot, configuration: configuration, now: snapshot.capturedAt ?? Date())
    }

    static func statuses(_ check: any Check, _ context: TenantContext) -> [Status] { check.run(in: context).map(\.status) }

    static func setFIDO2(_ snapshot: inout Snapshot, user: String, aaGuid: String?) {
        snapshot.authenticationMethods[user] = snapshot.authenticationMethods[user]?.map { method in
            var method = method
            if method.kind == "fido2" { method.aaGuid = aaGuid }
            return method
        }
    }

    @Test("BG037: an owner who is neither an emergency account nor a Global Administrator fails; a missing file is unknown")
    func exclusionGroupOwners() throws {
        #expect(Self.statuses(BG037ExclusionGroupOwners(), try Self.context()) == [.pass])
        let owned = try Self.context { $0.groupOwners[Self.excl]?.append(DirectoryObjectReference(id: Self.carol, odataType: "#microsoft.graph.user")) }
        let finding = try #require(BG037ExclusionGroupOwners().run(in: owned).first)
        #expect(finding.status == .fail)
        #expect(finding.message.contains("carol@fabrikam.com"))
        let missing = try #require(BG037ExclusionGroupOwners().run(in: try Self.context { $0.groupOwners = [:] }).first)
        #expect(missing.status == .unknown)
        #expect(missing.message.contains("group-owners/\(Self.excl).json") && missing.message.contains("GroupMember.Read.All"))
    }

    @Test("BG016: membership of a restricted-management unit, a regular one is not enough, unknown without the file")
    func restrictedUnit() throws {
        #expect(Self.statuses(BG016RestrictedManagementUnit(), try Self.context()) == [.pass, .pass])
        let regular = try Self.context { $0.administrativeUnits = $0.administrativeUnits?.map { var unit = $0; unit.isMemberManagementRestricted = nil; return unit } }
        #expect(Self.statuses(BG016RestrictedManagementUnit(), regular) == [.fail, .fail])
        let missing = try Self.context { $0.administrativeUnits = nil }
        let finding = try #require(BG016RestrictedManagementUnit().run(in: missing).first)
        #expect(finding.status == .unknown && finding.message.contains("AdministrativeUnit.Read.All"))
    }

    @Test("BG023: a declared app with tier-0 owners passes; undeclared, or owned by someone outside tier 0, fails")
    func privilegedApplications() throws {
        let good = try #require(BG023PrivilegedApplications().run(in: try Self.context()).first)
        #expect(good.status == .pass)
        #expect(good.subject.kind == .application)
        let undeclared = try Self.context(configure: { $0.guidance.allowedPrivilegedApps = [] })
        let failed = try #require(BG023PrivilegedApplications().run(in: undeclared).first)
        #expect(failed.status == .fail && failed.message.contains("RoleManagement.ReadWrite.Directory"))
        let owned = try Self.context { $0.applicationOwners["c1000000-0000-4000-8000-00000000b001"] = [DirectoryObjectReference(id: Self.carol, odataType: "#microsoft.graph.user")] }
        let ownedFinding = try #require(BG023PrivilegedApplications().run(in: owned).first)
        #expect(ownedFinding.status == .fail && ownedFinding.message.contains("carol@fabrikam.com"))
        let missing = try Self.context { $0.graphAppRoleAssignments = nil }
        #expect(Self.statuses(BG023PrivilegedApplications(), missing) == [.unknown])
        let unknownOwners = try Self.context { $0.servicePrincipalOwners = [:] }
        #expect(Self.statuses(BG023PrivilegedApplications(), unknownOwners) == [.unknown])
    }

    @Test("BG024: the number of take-over principals against guidance.maxTakeoverPrincipals")
    func takeoverPrincipals() throws {
        let good = try #require(BG024TakeoverPrincipals().run(in: try Self.context()).first)
        #expect(good.status == .pass && good.message.contains("2 principals"))
        let strict = try Self.context(configure: { $0.guidance.maxTakeoverPrincipals = 1 })
        #expect(Self.statuses(BG024TakeoverPrincipals(), strict) == [.fail])
        let partial = try Self.context { $0.applications = nil }
        let unknown = try #require(BG024TakeoverPrincipals().run(in: partial).first)
        #expect(unknown.status == .unknown && unknown.message.contains("applications.json"))
    }

    @Test("BG042: one FIDO2 model on both accounts warns; different models pass; no AAGUID is unknown")
    func sharedCredential() throws {
        #expect(Self.statuses(BG042SharedCredentialFailure(), try Self.context()) == [.pass])
        let same = try Self.context { Self.setFIDO2(&$0, user: Self.bg02, aaGuid: "EE882879-721C-4913-9775-3DFCCE97072A") }
        let warned = try #require(BG042SharedCredentialFailure().run(in: same).first)
        #expect(warned.status == .warn && warned.message.contains("ee882879-721c-4913-9775-3dfcce97072a"))
        let unknown = try Self.context {
            Self.setFIDO2(&$0, user: Self.bg01, aaGuid: nil)
            Self.setFIDO2(&$0, user: Self.bg02, aaGuid: nil)
        }
        #expect(Self.statuses(BG042SharedCredentialFailure(), unknown) == [.unknown])
        // A certificate from another issuer on one account breaks the single point of failure.
        let certificate = try Self.context {
            Self.setFIDO2(&$0, user: Self.bg02, aaGuid: "ee882879-721c-4913-9775-3dfcce97072a")
            let index = $0.users.firstIndex { $0.id == Self.bg02 } ?? 0
            $0.users[index].authorizationInfo = .init(certificateUserIds: ["X509:<I>CN=Other CA<SR>0a1b2c"])
        }
        #expect(Self.statuses(BG042SharedCredentialFailure(), certificate) == [.pass])
    }

    @Test("BG043: FIDO2 disabled tenant-wide, or a group of the account excluded, fails; unknown without the policy")
    func methodEnabled() throws {
        #expect(Self.statuses(BG043MethodEnabledInPolicy(), try Self.context()) == [.pass, .pass])
        func fido2(_ change: @escaping (inout AuthenticationMethodConfiguration) -> Void) throws -> TenantContext {
            try Self.context { snapshot in
                guard var policy = snapshot.authenticationMethodsPolicy else { return }
                for index in policy.authenticationMethodConfigurations.indices
                where policy.authenticationMethodConfigurations[index].id == "Fido2" {
                    change(&policy.authenticationMethodConfigurations[index])
                }
                snapshot.authenticationMethodsPolicy = policy
            }
        }
        let disabled = try #require(BG043MethodEnabledInPolicy().run(in: try fido2 { $0.state = "disabled" }).first)
        #expect(disabled.status == .fail && disabled.severity == .critical && disabled.message.contains("Fido2 is disabled"))
        let excluded = try fido2 { $0.excludeTargets = [.init(id: Self.excl)] }
        #expect(Self.statuses(BG043MethodEnabledInPolicy(), excluded) == [.fail, .fail])
        let notTargeted = try fido2 { $0.includeTargets = [.init(id: "e0000000-0000-4000-8000-00000057aff0")] }
        #expect(Self.statuses(BG043MethodEnabledInPolicy(), notTargeted) == [.fail, .fail])
        let missing = try Self.context { $0.authenticationMethodsPolicy = nil }
        let finding = try #require(BG043MethodEnabledInPolicy().run(in: missing).first)
        #expect(finding.status == .unknown && finding.message.contains("authentication-methods-policy.json"))
    }

    @Test("Configuration: allowedPrivilegedApps and maxTakeoverPrincipals are read strictly")
    func configuration() throws {
        let config = try Configuration.parse("guidance:\n  allowedPrivilegedApps: [a, b]\n  maxTakeoverPrincipals: 3\n")
        #expect(config.guidance.allowedPrivilegedApps == ["a", "b"] && config.guidance.maxTakeoverPrincipals == 3)
        #expect(Configuration().guidance.maxTakeoverPrincipals == 8)
        #expect(throws: ConfigurationError.wrongType(file: "breakglass.yml", key: "guidance.maxTakeoverPrincipals", line: 1,
                                                    expected: "a whole number")) {
            try Configuration.parse("guidance: {maxTakeoverPrincipals: many}")
        }
        #expect(throws: ConfigurationError.unknownKey(file: "breakglass.yml", key: "guidance.maxTakeOverPrincipals", line: 2)) {
            try Configuration.parse("guidance:\n  maxTakeOverPrincipals: 3\n")
        }
    }
}

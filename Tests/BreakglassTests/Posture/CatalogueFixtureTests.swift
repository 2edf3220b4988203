import EntraModel
import Foundation
import Testing

@testable import Posture

@Suite("Each check against a passing and a failing fixture tenant")
struct CatalogueFixtureTests {
    static let ids = Catalogue.metadata.map(\.id)

    @Test("passes on the good tenant", arguments: ids)
    func passesOnGoodTenant(id: String) throws {
        let context = try Fixture.context("good")
        let check = try #require(Catalogue.standard.first { $0.metadata.id == id })
        let findings = check.run(in: context)
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect([.pass, .notApplicable].contains(finding.status), "\(id): \(finding.status) — \(finding.message)")
        }
    }

    @Test("fails on the bad tenant", arguments: ids)
    func failsOnBadTenant(id: String) throws {
        let context = try Fixture.context("bad")
        let check = try #require(Catalogue.standard.first { $0.metadata.id == id })
        let statuses = check.run(in: context).map(\.status)
        #expect(statuses.contains(.fail) || statuses.contains(.warn), "\(id) gave \(statuses)")
    }

    @Test func catalogueHasStableUniqueIDsAndProse() {
        let ids = Self.ids
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for metadata in Catalogue.metadata {
            #expect(metadata.id.range(of: #"^BG\d{3}$"#, options: .regularExpression) != nil)
            #expect(metadata.rationale.count > 80, "\(metadata.id) rationale is too thin")
            #expect(!metadata.remediation.portal.isEmpty && !metadata.remediation.graph.isEmpty)
            #expect(!metadata.references.isEmpty)
        }
    }

    @Test func reportIsOrderedBySeverityThenCheckThenSubject() throws {
        let findings = Catalogue.run(in: try Fixture.context("bad"))
        for (a, b) in zip(findings, findings.dropFirst()) {
            #expect(a.severity >= b.severity)
            if a.severity == b.severity { #expect(a.checkID <= b.checkID) }
        }
    }

    @Test func missingOptionalFilesGiveUnknownNeverPass() throws {
        let folder = try Fixture.copy("good")
        for file in ["sign-ins.json", "diagnostic-settings.json", "alert-rules.json", "role-eligibility-schedules.json",
                     "security-defaults.json", "authentication-methods"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        }
        // Without sign-in activity in users.json either, the last sign-in is unknown.
        let snapshot = try SnapshotReader().read(folder)
        var users = snapshot
        users.users = snapshot.users.map { var user = $0; user.signInActivity = nil; return user }
        let context = TenantContext(snapshot: users, configuration: try Fixture.configuration("good"), now: snapshot.capturedAt ?? Date())
        for id in ["BG035", "BG040", "BG041", "BG050", "BG051", "BG060", "BG062", "BG063"] {
            let check = try #require(Catalogue.standard.first { $0.metadata.id == id })
            let findings = check.run(in: context)
            #expect(findings.allSatisfy { $0.status == .unknown }, "\(id): \(findings.map(\.status))")
            #expect(findings.allSatisfy { $0.message.contains(".json") || $0.message.contains("unknown") })
        }
    }

    @Test func notLicensedFileInManifestSaysWhy() throws {
        let folder = try Fixture.copy("good")
        let manifest = #"{"tenantId":"t","capturedAt":"2026-11-01T09:00:00Z","files":{"sign-ins.json":{"status":"notLicensed","message":"Authentication_RequestFromNonPremiumTenantOrB2CTenant"}}}"#
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("manifest.json"))
        let snapshot = try SnapshotReader().read(folder)
        #expect(snapshot.signIns == nil)
        var stripped = snapshot
        stripped.users = snapshot.users.map { var user = $0; user.signInActivity = nil; return user }
        let context = TenantContext(snapshot: stripped, configuration: try Fixture.configuration("good"), now: Date())
        let finding = try #require(BG063RoutineUse().run(in: context).first)
        #expect(finding.status == .unknown)
        #expect(finding.message.contains("licence"))
    }

    @Test("Discovery finds emergency accounts by name when none are declared")
    func discovery() throws {
        let context = try Fixture.context("good", configuration: Configuration())
        #expect(context.emergencyAccounts.map(\.name).contains("bg-01@fabrikam.onmicrosoft.com"))
        #expect(context.emergencyAccounts.allSatisfy { !$0.declared })
        let finding = try #require(BG001AccountsDeclared().run(in: context).first)
        #expect(finding.status == .warn)
        #expect(finding.message.contains("bg-02@fabrikam.onmicrosoft.com"))
    }

    @Test("BG012 grades the UPN's domain", arguments: [
        ("bg-01@fabrikam.onmicrosoft.com", Status.pass, Severity.critical),
        ("bg-01@fabrikam.com", .fail, .critical),
        ("bg-01@other.example", .warn, .medium),
    ])
    func upnDomain(upn: String, expected: Status, severity: Severity) throws {
        var snapshot = try Fixture.snapshot("good")
        snapshot.users[0].userPrincipalName = upn
        let context = TenantContext(snapshot: snapshot, configuration: try Fixture.configuration("good"), now: Date())
        let finding = try #require(BG012InitialDomain().run(in: context).first)
        #expect(finding.status == expected)
        #expect(finding.severity == severity)
    }

    @Test("BG060 rotation: within grace passes, after grace fails")
    func rotationGrace() throws {
        var snapshot = try Fixture.snapshot("good")
        let capture = try #require(snapshot.capturedAt)
        snapshot.users[0].lastPasswordChangeDateTime = capture.addingTimeInterval(-10 * 86_400)
        snapshot.users[0].signInActivity = .init(lastSuccessfulSignInDateTime: capture.addingTimeInterval(-3600))
        let configuration = try Fixture.configuration("good")
        let fresh = TenantContext(snapshot: snapshot, configuration: configuration, now: capture)
        #expect(BG060RotatedAfterUse().run(in: fresh).first?.status == .pass)
        let late = TenantContext(snapshot: snapshot, configuration: configuration, now: capture.addingTimeInterval(2 * 86_400))
        #expect(BG060RotatedAfterUse().run(in: late).first?.status == .fail)
    }
}

import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

/// `whatif` over a tenant holding a real, public baseline: the 52 policies of Microsoft's persona-based
/// "Conditional Access for Zero Trust" framework (Claus Jespersen), as exported to Graph JSON by Philipp Kohn
/// (Fixtures/baseline/README.md has the source, commit and licence, and what was changed).
///
/// Every expected answer below was worked out by hand from the policies' JSON, not by running the tool; the comment
/// of each case gives the reasoning. In the fixture every policy is `enabled`, except CA003 (report-only) and CA900
/// (disabled, and `includeUsers: None`). Six policies target only user actions and never apply to an ordinary
/// sign-in: CA004 (register device), CA102, CA201, CA301, CA401, CA501 (register security info).
///
/// Persona groups (ids as in the export): CA-BreakGlassAccounts is excluded from every policy. CA001 blocks everyone
/// except the persona groups Internals, Admins, Externals, GuestAdmins, Microsoft365ServiceAccounts,
/// AzureServiceAccounts, the groups BreakGlass, Global-Exclusions and af2ce85a (see README) and B2B-collaboration
/// guests and service providers. Each persona's policies exclude BreakGlass and the persona's `-Exclusions` group
/// (the on-premises service-account policies CA800-802 exclude only BreakGlass).
@Suite("Public baseline: Zero Trust persona policies")
struct PublicBaselineTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/baseline")

    /// Read and compiled once for all cases.
    static let evaluator = Result<Evaluator, any Error> {
        let snapshot = try SnapshotReader().read(fixture)
        return Evaluator(directory: Directory(snapshot), now: snapshot.capturedAt ?? Date())
    }

    @Test func fixtureReads() throws {
        let snapshot = try SnapshotReader().read(Self.fixture)
        #expect(snapshot.policies.count == 52)
        #expect(snapshot.capturedAt == GraphDate.parse("2026-11-01T09:00:00Z"))
        #expect(snapshot.users.count == 19)
        #expect(Set(snapshot.policies.map(\.id)).count == 52)
        #expect(snapshot.policies.filter(\.isEnabled).count == 50)
        // Every group a policy names has its members in the snapshot, so no verdict rests on unknown membership.
        let named = Set(snapshot.policies.flatMap {
            $0.conditions.users.includeGroups + $0.conditions.users.excludeGroups
        }.map { $0.lowercased() })
        #expect(named.count == 17)
        #expect(named.allSatisfy { snapshot.groupMembers[$0] != nil })
        #expect(Set(snapshot.groups.map { $0.id.lowercased() }).isSuperset(of: named))
    }

    @Test("hand-checked sign-in", arguments: BaselineCase.all)
    func handChecked(_ expected: BaselineCase) throws {
        let evaluation = try Self.evaluator.get().evaluate(expected.context)
        #expect(evaluation.notes.isEmpty, "\(evaluation.notes)")
        #expect(evaluation.decision == expected.decision, "\(evaluation.blockReasons)")
        let enforced = evaluation.policies.filter { $0.isEnforced && $0.applies.countsAsApplying }
        #expect(Set(enforced.map(\.policyID)) == expected.applying,
                "applying: \(enforced.map(\.displayName))")
        #expect(Set(evaluation.requiredControls) == expected.required)
        let reportOnly = evaluation.policies.filter { $0.state == PolicyState.reportOnly && $0.applies.countsAsApplying }
        #expect(Set(reportOnly.map(\.policyID)) == expected.reportOnly)
        let unknown = evaluation.policies.filter { $0.applies == .unknown }
        #expect(Set(unknown.map(\.policyID)) == expected.unknown)
        // A disabled policy never applies.
        #expect(evaluation.policies.filter { $0.state == PolicyState.disabled }.allSatisfy { $0.applies == .no })
    }

    /// The CLI gives the same answer as the library for one case (C19: the guest admin at the Azure portal).
    @Test func whatifCommandAgrees() throws {
        let result = try CLI.run([
            "whatif", "--snapshot", Self.fixture.path, "--user", "gina_tailspintoys.com#EXT#@contosobaseline.onmicrosoft.com",
            "--resource", "azure-portal", "--client-app", "browser", "--platform", "windows",
            "--capabilities", "mfa,termsOfUse", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["decision"] as? String == "block")
        #expect((object["requiredControls"] as? [String]) == [])
        let user = try #require(object["user"] as? [String: Any])
        #expect(user["id"] as? String == BaselineCase.gina)
        let policies = try #require(object["policies"] as? [[String: Any]])
        #expect(policies.count == 52)
        let applying = policies.filter { $0["state"] as? String == "enabled" && $0["applies"] as? Bool == true }
            .compactMap { $0["id"] as? String }
        #expect(Set(applying) == BaselineCase.ids(400, 404, 405, 500, 505, 506))
    }
}

struct BaselineCase: Sendable, CustomTestStringConvertible {
    var name: String
    var context: SignInContext
    var decision: Decision
    /// Ids of the enforced (enabled) policies that apply, or may apply.
    var applying: Set<String>
    var required: Set<String> = []
    /// Ids of the report-only policies that apply.
    var reportOnly: Set<String> = []
    /// Ids of the policies whose applicability is unknown.
    var unknown: Set<String> = []

    var testDescription: String { name }

    /// The fixture's policy id for policy CAnnn: `cannn000-0000-4000-8000-000000000000`.
    static func id(_ number: Int) -> String { "ca\(String(format: "%03d", number))000-0000-4000-8000-000000000000" }
    static func ids(_ numbers: Int...) -> Set<String> { Set(numbers.map(id)) }

    // Users (Fixtures/baseline/users.json) and the persona groups they are direct members of.
    static let bg01 = "b9000001-0000-4000-8000-000000000001"  // CA-BreakGlassAccounts; Global Administrator; password + FIDO2
    static let bg02 = "b9000001-0000-4000-8000-000000000002"  // CA-BreakGlassAccounts; Global Administrator; password + FIDO2
    static let adele = "a0000000-0000-4000-8000-00000000ad01"  // Admins; Global Administrator; password + Authenticator
    static let alex = "a0000000-0000-4000-8000-00000000ad02"  // Admins; Conditional Access Administrator
    static let ezra = "a0000000-0000-4000-8000-00000000ad03"  // Admins + Admins-Exclusions; Exchange Administrator
    static let isaiah = "a0000000-0000-4000-8000-0000000b0001"  // Internals
    static let irene = "a0000000-0000-4000-8000-0000000b0002"  // Internals + Internals-Exclusions
    static let ivan = "a0000000-0000-4000-8000-0000000b0003"  // Dept-Finance, which is a member of Internals
    static let emma = "a0000000-0000-4000-8000-0000000e0001"  // Externals
    static let eric = "a0000000-0000-4000-8000-0000000e0002"  // Externals + Externals-Exclusions
    static let grace = "a0000000-0000-4000-8000-0000000c0001"  // guest (userType Guest, #EXT#): b2bCollaborationGuest
    static let gary = "a0000000-0000-4000-8000-0000000c0002"  // guest; Guests-Exclusions
    static let gina = "a0000000-0000-4000-8000-0000000c0003"  // guest; GuestAdmins; Global Reader
    static let max = "a0000000-0000-4000-8000-0000000c0004"  // userType Member with #EXT#: b2bCollaborationMember
    static let svcM365 = "a0000000-0000-4000-8000-0000000f0001"  // Microsoft365ServiceAccounts
    static let svcAzure = "a0000000-0000-4000-8000-0000000f0002"  // AzureServiceAccounts
    static let svcOnPrem = "a0000000-0000-4000-8000-0000000f0003"  // OnPremisesServiceAccounts (ed9b541b)
    static let nora = "a0000000-0000-4000-8000-0000000d0001"  // no group
    static let gus = "a0000000-0000-4000-8000-0000000d0002"  // Global-Exclusions only

    static let yammer = "00000005-0000-0ff1-ce00-000000000000"  // targeted by CA002 by id
    static let hqIP = "203.0.113.10"  // Contoso HQ: trusted IP location (CA004 excludes it by id)
    static let azureEgressIP = "198.51.100.5"  // Contoso Azure egress: trusted IP location
    static let guestWiFiIP = "192.0.2.55"  // Guest Wi-Fi: IP location, not trusted
    static let blockedCountry = "KP"  // in "Blocked countries" (1cc46ea8…), CA003's only included location
    static let touGuests = "termsOfUse:0272f2a4-dba2-4135-8197-563b3a420d34"
    static let touGuestAdmins = "termsOfUse:6551cec0-1d10-422b-a9d0-9e447e0a8353"

    static let unregistered = Device.unregistered
    static let compliant = Device(isRegistered: true, isCompliant: true, isHybridJoined: false, properties: [:])
    static let hybridJoined = Device(isRegistered: true, isCompliant: false, isHybridJoined: true, properties: [:])
    static let compliantITDevice = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                                          properties: ["extensionAttribute1": "CONTOSO-IT"])

    static let all: [BaselineCase] = [
        // C01. Emergency account to the Microsoft 365 admin center, capabilities from its methods. Every policy but
        // CA900 lists CA-BreakGlassAccounts in excludeGroups; CA602 also lists it in includeGroups, and exclusion
        // wins; CA900 is disabled. Nothing applies.
        BaselineCase(name: "C01 emergency account, M365 admin center",
                     context: SignInContext(userID: bg01, resource: Resource.m365AdminCenter),
                     decision: .grant, applying: []),
        // C02. Emergency account with a legacy client (`other`) on Linux from a blocked country at high user and
        // sign-in risk: the exclusion covers CA105/204/304 (legacy), CA103/202/203 (risk), CA109/207/307 (platform)
        // and the report-only CA003 (location) alike.
        BaselineCase(name: "C02 emergency account, legacy client, Linux, blocked country, high risk",
                     context: SignInContext(userID: bg02, resource: Resource.exchangeOnline, clientApp: "other",
                                            platform: "linux", country: blockedCountry, userRisk: "high",
                                            signInRisk: "high"),
                     decision: .grant, applying: []),
        // C03. Admin (Admins), Azure portal, browser, Windows, unregistered device; methods give mfa. CA001 excludes
        // Admins. CA100 (All apps but Intune Enrollment) needs compliantDevice OR domainJoinedDevice: neither →
        // block. CA101 mfa: met. CA108 (session only) excludes devices with extensionAttribute1 -eq "CONTOSO-IT"; an
        // unregistered device has it null, -eq is false, so the device is not excluded and CA108 applies. Not:
        // CA103 (user risk none), CA105 (browser), CA106 (only Intune Enrollment), CA107 (iOS/Android), CA109
        // (Windows excluded).
        BaselineCase(name: "C03 admin, Azure portal, unmanaged Windows",
                     context: SignInContext(userID: adele, resource: Resource.azurePortal),
                     decision: .block, applying: ids(100, 101, 108)),
        // C04. Same admin on a compliant device whose extensionAttribute1 is CONTOSO-IT: CA108's filter matches, so
        // exclude mode takes CA108 off. CA100 is met by compliantDevice, CA101 by mfa.
        BaselineCase(name: "C04 admin, Azure portal, compliant IT device",
                     context: SignInContext(userID: adele, resource: Resource.azurePortal, device: compliantITDevice),
                     decision: .grantWithControls, applying: ids(100, 101), required: ["compliantDevice", "mfa"]),
        // C05. Same admin at medium user risk, Exchange Online from a desktop app on a compliant device whose
        // extensionAttribute1 is not given. CA103 (user risk high or medium) requires mfa AND passwordChange: both
        // available (a person can always change a password). CA108's filter reads extensionAttribute1, unknown on a
        // registered device → applies "unknown", counted as applying; session only, so no effect on the decision.
        BaselineCase(name: "C05 admin, medium user risk, compliant device without attributes",
                     context: SignInContext(userID: adele, resource: Resource.exchangeOnline,
                                            clientApp: "mobileAppsAndDesktopClients", userRisk: "medium",
                                            device: compliant),
                     decision: .grantWithControls, applying: ids(100, 101, 103, 108),
                     required: ["compliantDevice", "mfa", "passwordChange"], unknown: ids(108)),
        // C06. Admin on iOS with a desktop/mobile app to Exchange Online, unregistered, can do mfa and use an app
        // with app protection. CA109 includes all platforms but Windows → iOS blocked. Also applying: CA100 (not met),
        // CA101 (mfa), CA107 (iOS/Android, compliantApplication: met), CA108 (unregistered device).
        BaselineCase(name: "C06 admin, iOS app",
                     context: SignInContext(userID: alex, resource: Resource.exchangeOnline,
                                            clientApp: "mobileAppsAndDesktopClients", platform: "iOS",
                                            capabilities: [.mfa, .compliantApplication]),
                     decision: .block, applying: ids(100, 101, 107, 108, 109)),
        // C07. Admin in Admins-Exclusions, nothing at hand: every CA1xx excludes Admins-Exclusions; CA001 excludes
        // Admins, of which he is a member. Granted without any control.
        BaselineCase(name: "C07 admin in Admins-Exclusions",
                     context: SignInContext(userID: ezra, resource: Resource.azurePortal, capabilities: []),
                     decision: .grant, applying: []),
        // C08. Internal user, SharePoint in a browser on a hybrid-joined Windows device. CA200 (All apps but Intune
        // Enrollment) compliantDevice OR domainJoinedDevice: met by domainJoinedDevice. Not: CA202/203 (risk none),
        // CA204 (browser), CA205 (Intune Enrollment only), CA206 (iOS/Android), CA207 (Windows excluded); CA001
        // excludes Internals.
        BaselineCase(name: "C08 internal, SharePoint, hybrid-joined Windows",
                     context: SignInContext(userID: isaiah, resource: Resource.sharePointOnline,
                                            device: hybridJoined, capabilities: [.mfa, .domainJoinedDevice]),
                     decision: .grantWithControls, applying: ids(200), required: ["domainJoinedDevice"]),
        // C09. Internal user at high user and high sign-in risk, Teams desktop app on a compliant device. CA200:
        // compliantDevice. CA202 (user risk high): mfa AND passwordChange, both at hand. CA203 (sign-in risk high):
        // mfa.
        BaselineCase(name: "C09 internal, high user and sign-in risk",
                     context: SignInContext(userID: isaiah, resource: Resource.teams,
                                            clientApp: "mobileAppsAndDesktopClients", userRisk: "high",
                                            signInRisk: "high", device: compliant,
                                            capabilities: [.mfa, .compliantDevice, .passwordChange]),
                     decision: .grantWithControls, applying: ids(200, 202, 203),
                     required: ["compliantDevice", "mfa", "passwordChange"]),
        // C10. Internal through a nested group (Dept-Finance ∈ Internals), Outlook on Android, unregistered, with
        // app protection. Transitive membership includes him in CA2xx and excludes him from CA001. CA206 (Office365,
        // iOS/Android): Exchange Online is in Office365, compliantApplication met. CA200 has no compliant or joined
        // device → block. CA207 excludes Android.
        BaselineCase(name: "C10 internal via nested group, Android app, unregistered",
                     context: SignInContext(userID: ivan, resource: Resource.exchangeOnline,
                                            clientApp: "mobileAppsAndDesktopClients", platform: "android",
                                            capabilities: [.mfa, .compliantApplication]),
                     decision: .block, applying: ids(200, 206)),
        // C11. Same user from an unknown platform on a compliant device. CA207 includes `all` and excludes Android,
        // iOS, Windows and macOS; an unknown platform is covered by `all` and by no exclusion → block. CA200 is met.
        BaselineCase(name: "C11 internal, unknown platform",
                     context: SignInContext(userID: ivan, resource: Resource.azurePortal, platform: "unknown",
                                            device: compliant, capabilities: [.mfa, .compliantDevice]),
                     decision: .block, applying: ids(200, 207)),
        // C12. Internal in Internals-Exclusions with Exchange ActiveSync: excluded from CA200-207 (so also from the
        // legacy-authentication block CA204) and, as a member of Internals, from CA001. Granted.
        BaselineCase(name: "C12 internal in Internals-Exclusions, Exchange ActiveSync",
                     context: SignInContext(userID: irene, resource: Resource.exchangeOnline,
                                            clientApp: "exchangeActiveSync", capabilities: []),
                     decision: .grant, applying: []),
        // C13. External (Externals) in a browser on macOS, unregistered, mfa only. CA300 needs compliantDevice OR
        // domainJoinedDevice → block. Not: CA302/303 (risk), CA304 (browser), CA305 (Intune Enrollment), CA306
        // (iOS/Android), CA307 (macOS excluded).
        BaselineCase(name: "C13 external, macOS browser, unregistered",
                     context: SignInContext(userID: emma, resource: Resource.sharePointOnline, platform: "macOS",
                                            capabilities: [.mfa]),
                     decision: .block, applying: ids(300)),
        // C14. External with Exchange ActiveSync on a compliant Android phone. CA304 (exchangeActiveSync, other)
        // blocks. CA300 met by compliantDevice; CA306 (Office365 on iOS/Android) needs compliantApplication: missing.
        BaselineCase(name: "C14 external, Exchange ActiveSync on Android",
                     context: SignInContext(userID: emma, resource: Resource.exchangeOnline,
                                            clientApp: "exchangeActiveSync", platform: "android", device: compliant,
                                            capabilities: [.mfa, .compliantDevice]),
                     decision: .block, applying: ids(300, 304, 306)),
        // C15. External in Externals-Exclusions to Yammer (Viva Engage): no CA3xx, no CA001 (Externals), but the
        // global CA002 blocks Yammer and Sway by application id for everyone except BreakGlass and
        // Global-Exclusions. (Learn counts Viva Engage in the Office365 app group, which the evaluator's resource
        // table does not; it does not matter here: the Office365 policies CA206/CA306 are for iOS/Android only.)
        BaselineCase(name: "C15 external in Externals-Exclusions, Yammer",
                     context: SignInContext(userID: eric, resource: yammer,
                                            capabilities: [.mfa, .compliantDevice]),
                     decision: .block, applying: ids(2)),
        // C16. B2B guest, Teams in a browser. CA001 excludes b2bCollaborationGuest. CA400 (guests, All apps) mfa;
        // CA405 (guests, All apps) terms of use 0272f2a4…; both at hand. Not: CA402 (sign-in risk none), CA403
        // (browser), CA404 (MicrosoftAdminPortals only).
        BaselineCase(name: "C16 guest, Teams",
                     context: SignInContext(userID: grace, resource: Resource.teams,
                                            capabilities: [.mfa, .termsOfUse]),
                     decision: .grantWithControls, applying: ids(400, 405), required: ["mfa", touGuests]),
        // C17. Same guest to the Azure portal at medium sign-in risk: CA404 blocks MicrosoftAdminPortals (the Azure
        // portal is one); CA402 (sign-in risk high or medium) mfa also applies, as do CA400 and CA405.
        BaselineCase(name: "C17 guest, Azure portal, medium sign-in risk",
                     context: SignInContext(userID: grace, resource: Resource.azurePortal, signInRisk: "medium",
                                            capabilities: [.mfa, .termsOfUse]),
                     decision: .block, applying: ids(400, 402, 404, 405)),
        // C18. Guest in Guests-Exclusions: CA4xx exclude the group, CA001 excludes guests. Granted with nothing.
        BaselineCase(name: "C18 guest in Guests-Exclusions",
                     context: SignInContext(userID: gary, resource: Resource.teams, capabilities: []),
                     decision: .grant, applying: []),
        // C19. Guest admin (a B2B guest in GuestAdmins) to the Azure portal. Being a guest, the Guests persona applies
        // too (the fixture does not put her in Guests-Exclusions): CA404 blocks the admin portals. Applying: CA400
        // (mfa), CA404 (block), CA405 (ToU guests), CA500 (mfa), CA505 (ToU guest admins 6551cec0…), CA506 (session
        // only). Not CA504 (only application cc36962d…).
        BaselineCase(name: "C19 guest admin, Azure portal",
                     context: SignInContext(userID: gina, resource: Resource.azurePortal,
                                            capabilities: [.mfa, .termsOfUse]),
                     decision: .block, applying: ids(400, 404, 405, 500, 505, 506)),
        // C20. Same guest admin to Teams: no CA404; every requirement met, both terms of use required.
        BaselineCase(name: "C20 guest admin, Teams",
                     context: SignInContext(userID: gina, resource: Resource.teams, capabilities: [.mfa, .termsOfUse]),
                     decision: .grantWithControls, applying: ids(400, 405, 500, 505, 506),
                     required: ["mfa", touGuests, touGuestAdmins]),
        // C21. B2B collaboration *member* (userType Member, invited): CA001's guest exclusion names
        // b2bCollaborationGuest and serviceProvider only, and he is in no persona group → CA001 blocks. The guest
        // policies (CA4xx) include the same two types, so they do not apply.
        BaselineCase(name: "C21 B2B collaboration member in no persona",
                     context: SignInContext(userID: max, resource: Resource.teams, capabilities: [.mfa]),
                     decision: .block, applying: ids(1)),
        // C22. Microsoft 365 service account from the trusted HQ network to Exchange Online: CA600 (All locations
        // but AllTrusted) does not apply, CA601 is for legacy clients, CA602 for admin portals. Granted.
        BaselineCase(name: "C22 M365 service account, trusted network",
                     context: SignInContext(userID: svcM365, resource: Resource.exchangeOnline,
                                            clientApp: "mobileAppsAndDesktopClients", ipAddress: hqIP,
                                            capabilities: []),
                     decision: .grant, applying: []),
        // C23. Same account from the guest Wi-Fi (a named location, not trusted): CA600 blocks.
        BaselineCase(name: "C23 M365 service account, untrusted network",
                     context: SignInContext(userID: svcM365, resource: Resource.exchangeOnline,
                                            clientApp: "mobileAppsAndDesktopClients", ipAddress: guestWiFiIP,
                                            capabilities: []),
                     decision: .block, applying: ids(600)),
        // C24. Same account from HQ to the Microsoft 365 admin center: CA602 blocks MicrosoftAdminPortals.
        BaselineCase(name: "C24 M365 service account, admin portal",
                     context: SignInContext(userID: svcM365, resource: Resource.m365AdminCenter, ipAddress: hqIP,
                                            capabilities: []),
                     decision: .block, applying: ids(602)),
        // C25. Azure service account from the trusted Azure egress range to the Azure portal. CA700: trusted → no.
        // CA702 includes MicrosoftAdminPortals but excludes the Windows Azure Service Management API, which covers
        // the Azure portal → no. CA001 excludes AzureServiceAccounts. Granted.
        BaselineCase(name: "C25 Azure service account, Azure portal from trusted range",
                     context: SignInContext(userID: svcAzure, resource: Resource.azurePortal,
                                            ipAddress: azureEgressIP, capabilities: []),
                     decision: .grant, applying: []),
        // C26. Same account to the Microsoft 365 admin center: an admin portal outside the Azure management suite →
        // CA702 blocks.
        BaselineCase(name: "C26 Azure service account, M365 admin center",
                     context: SignInContext(userID: svcAzure, resource: Resource.m365AdminCenter,
                                            ipAddress: azureEgressIP, capabilities: []),
                     decision: .block, applying: ids(702)),
        // C27. On-premises service account (group ed9b541b, which CA800-802 include) from HQ to the Azure portal.
        // CA001 does not exclude ed9b541b (it excludes af2ce85a instead), so CA001 blocks. CA802 includes
        // MicrosoftAdminPortals and excludes Office365; the Azure portal is not in Office365 → CA802 blocks as well.
        // CA800 (untrusted locations) does not apply from HQ.
        BaselineCase(name: "C27 on-premises service account, Azure portal",
                     context: SignInContext(userID: svcOnPrem, resource: Resource.azurePortal, ipAddress: hqIP,
                                            capabilities: []),
                     decision: .block, applying: ids(1, 802)),
        // C28. User in no persona from a blocked country: CA001 blocks. CA003 (blocked countries) applies but is
        // report-only: listed, not enforced.
        BaselineCase(name: "C28 user in no persona, blocked country",
                     context: SignInContext(userID: nora, resource: Resource.sharePointOnline,
                                            country: blockedCountry, capabilities: [.mfa, .compliantDevice]),
                     decision: .block, applying: ids(1), reportOnly: ids(3)),
        // C29. Internal user from a blocked country on a compliant device: CA200 met; report-only CA003 applies but
        // does not change the decision.
        BaselineCase(name: "C29 internal, blocked country, report-only geo block",
                     context: SignInContext(userID: isaiah, resource: Resource.sharePointOnline,
                                            country: blockedCountry, device: compliant,
                                            capabilities: [.mfa, .compliantDevice]),
                     decision: .grantWithControls, applying: ids(200), required: ["compliantDevice"],
                     reportOnly: ids(3)),
        // C30. User in Global-Exclusions only, Yammer from a blocked country: CA001, CA002 and CA003 all exclude
        // Global-Exclusions, and no persona includes him. Granted; nothing applies, not even report-only.
        BaselineCase(name: "C30 Global-Exclusions user, Yammer from a blocked country",
                     context: SignInContext(userID: gus, resource: yammer, country: blockedCountry, capabilities: []),
                     decision: .grant, applying: []),
    ]
}

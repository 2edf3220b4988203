import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

@Suite("AccessPolicy applications, clients, platforms, locations, risk")
struct AccessPolicyConditionTests {
    typealias Applications = ConditionalAccessPolicy.Applications

    func applies(_ policy: ConditionalAccessPolicy, _ context: SignInContext = SignInContext(userID: "u1"),
                 tenant configure: (inout AccessTestTenant) -> Void = { _ in }) -> PolicyVerdict? {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["microsoftAuthenticator"])
        configure(&tenant)
        tenant.policies = [policy]
        return tenant.evaluator.evaluate(context).verdict(policy.displayName)
    }

    @Test("Resource groups and the Azure Service Management suite", arguments: [
        ("Office365", "exchange-online", true), ("Office365", "sharepoint-online", true), ("Office365", "teams", true),
        ("Office365", "m365-admin-center", true), ("Office365", "azure-portal", false), ("Office365", "graph", false),
        ("MicrosoftAdminPortals", "azure-portal", true), ("MicrosoftAdminPortals", "m365-admin-center", true),
        ("MicrosoftAdminPortals", "azure-management", false), ("MicrosoftAdminPortals", "exchange-online", false),
        (Resource.azureManagement, "azure-portal", true), (Resource.azureManagement, "azure-management", true),
        (Resource.azureManagement, "graph", false), ("All", "graph", true),
        (Resource.graph.uppercased(), "graph", true), ("None", "azure-portal", false),
    ])
    func applicationGroups(target: String, alias: String, expected: Bool) throws {
        let resource = try #require(Resource.id(forAlias: alias))
        let include = accessPolicy("P", applications: Applications(includeApplications: [target]))
        #expect(applies(include, SignInContext(userID: "u1", resource: resource))?.applies.countsAsApplying == expected)
        let exclude = accessPolicy("P", applications: Applications(includeApplications: ["All"],
                                                                   excludeApplications: [target]))
        let excluded = applies(exclude, SignInContext(userID: "u1", resource: resource))
        #expect(excluded?.applies.countsAsApplying == (target == "None" ? true : !expected))
    }

    @Test func userActionsAndAuthenticationContextsAreNotOrdinarySignIns() {
        let actions = accessPolicy("P", applications: Applications(includeApplications: [],
                                                                   includeUserActions: ["urn:user:registersecurityinfo"]))
        #expect(applies(actions)?.applies == Applicability.no)
        #expect(applies(actions)?.reasons.last?.contains("user actions") == true)
        let contexts = accessPolicy("P", applications: Applications(
            includeApplications: [], includeAuthenticationContextClassReferences: ["c1"]))
        #expect(applies(contexts)?.applies == Applicability.no)
    }

    @Test("Client app types", arguments: [
        ([String](), "other", true), (["all"], "exchangeActiveSync", true), (["browser"], "browser", true),
        (["browser", "mobileAppsAndDesktopClients"], "other", false), (["easSupported"], "exchangeActiveSync", true),
        (["exchangeActiveSync", "other"], "exchangeActiveSync", true), (["other"], "browser", false),
    ])
    func clientApps(types: [String], client: String, expected: Bool) {
        let policy = accessPolicy("P") { $0.clientAppTypes = types }
        #expect(applies(policy, SignInContext(userID: "u1", clientApp: client))?.applies.countsAsApplying == expected)
    }

    @Test("Platforms; unknown matches only all", arguments: [
        (["all"], [String](), "unknown", true), (["android", "iOS"], [], "unknown", false),
        (["iOS"], [], "ios", true), (["all"], ["windows"], "windows", false), (["all"], ["windows"], "unknown", true),
        ([], [], "linux", true), (["macOS"], [], "windows", false),
    ])
    func platforms(include: [String], exclude: [String], platform: String, expected: Bool) {
        let policy = accessPolicy("P") {
            $0.platforms = include.isEmpty ? nil : .init(includePlatforms: include, excludePlatforms: exclude)
        }
        #expect(applies(policy, SignInContext(userID: "u1", platform: platform))?.applies.countsAsApplying == expected)
    }

    static let locations = [
        NamedLocation(id: "loc-office", displayName: "Office", ipRanges: ["203.0.113.0/24", "2001:db8:1::/48"],
                      isTrusted: true),
        NamedLocation(id: "loc-vpn", displayName: "VPN", ipRanges: ["198.51.100.7/32"], isTrusted: false),
        NamedLocation(id: "loc-blocked", displayName: "Blocked countries", countries: ["KP", "ir"], includeUnknown: true),
    ]

    @Test("Locations", arguments: [
        // include, exclude, ip, country, expected applies
        (["All"], ["AllTrusted"], "203.0.113.9", nil, Applicability.no),
        (["All"], ["AllTrusted"], "2001:db8:1:ffff::1", nil, .no),
        (["All"], ["AllTrusted"], "2001:db8:2::1", nil, .yes),
        (["All"], ["AllTrusted"], nil, nil, .yes),
        (["All"], ["loc-vpn"], "198.51.100.7", nil, .no),
        (["All"], ["loc-vpn"], "198.51.100.8", nil, .yes),
        (["loc-blocked"], [], "192.0.2.1", "KP", .yes),
        (["loc-blocked"], [], "192.0.2.1", "IR", .yes),
        (["loc-blocked"], [], "192.0.2.1", "DE", .no),
        (["loc-blocked"], [], "192.0.2.1", nil, .yes),
        (["loc-blocked"], [], nil, nil, .no),
        (["AllTrusted"], [], "198.51.100.7", nil, .no),
        (["loc-deleted"], [], "192.0.2.1", nil, .unknown),
        // An exclusion that cannot be checked does not exclude, and leaves the policy applying `unknown`.
        (["All"], ["loc-deleted"], "192.0.2.1", nil, .unknown),
    ] as [([String], [String], String?, String?, Applicability)])
    func locations(include: [String], exclude: [String], ip: String?, country: String?, expected: Applicability) {
        let policy = accessPolicy("P") { $0.locations = .init(includeLocations: include, excludeLocations: exclude) }
        let verdict = applies(policy, SignInContext(userID: "u1", ipAddress: ip, country: country)) {
            $0.namedLocations = Self.locations
        }
        #expect(verdict?.applies == expected, "\(verdict?.reasons ?? [])")
        if include.contains("loc-deleted") || exclude.contains("loc-deleted") {
            #expect(verdict?.reasons.contains { $0.contains("loc-deleted cannot be checked (not a named location)") }
                == true)
        }
    }

    @Test func locationsWithoutTheNamedLocationsFileAreConservative() {
        let policy = accessPolicy("P") {
            $0.locations = .init(includeLocations: ["All"], excludeLocations: ["AllTrusted"])
        }
        let verdict = applies(policy, SignInContext(userID: "u1", ipAddress: "203.0.113.9")) { $0.namedLocations = nil }
        #expect(verdict?.applies == .unknown)
        #expect(verdict?.reasons.contains { $0.contains("named-locations.json is not in the snapshot") } == true)
    }

    @Test("Risk levels", arguments: [
        ([String](), "none", true), (["high"], "high", true), (["high", "medium"], "low", false), (["high"], "none", false),
    ])
    func risk(levels: [String], level: String, expected: Bool) {
        let user = accessPolicy("P") { $0.userRiskLevels = levels }
        #expect(applies(user, SignInContext(userID: "u1", userRisk: level))?.applies.countsAsApplying == expected)
        let signIn = accessPolicy("P") { $0.signInRiskLevels = levels }
        #expect(applies(signIn, SignInContext(userID: "u1", signInRisk: level))?.applies.countsAsApplying == expected)
    }

    @Test func unmodelledConditionsAreNamedAndTreatedAsMatching() throws {
        // A condition Graph adds later (here an invented one) is named and treated as matching.
        let policy = try decodedPolicy("""
            {"id": "p", "displayName": "Future condition", "state": "enabled",
             "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                            "agentRiskLevels": "high"},
             "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
            """)
        let verdict = applies(policy)
        #expect(verdict?.applies == .unknown)
        #expect(verdict?.reasons.contains("condition agentRiskLevels is not modelled: treated as matching") == true)
    }

    @Test func deviceCodeFlowPoliciesDoNotApplyToOrdinarySignIns() throws {
        let policy = try decodedPolicy("""
            {"id": "p", "displayName": "Block device code flow", "state": "enabled",
             "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                            "authenticationFlows": {"transferMethods": "deviceCodeFlow"}},
             "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
            """)
        #expect(applies(policy)?.applies == Applicability.no)
    }

    @Test func workloadIdentityPoliciesNeverApplyToUsers() throws {
        let policy = try decodedPolicy("""
            {"id": "p", "displayName": "Workload", "state": "enabled",
             "conditions": {"users": {"includeUsers": ["None"]}, "applications": {"includeApplications": ["All"]},
                            "clientApplications": {"includeServicePrincipals": ["ServicePrincipalsInMyTenant"]}},
             "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
            """)
        let verdict = applies(policy)
        #expect(verdict?.applies == Applicability.no)
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        let reach = tenant.evaluator.mayApply(policy, toUser: "u1")
        #expect(reach == PolicyReach(applies: false,
                                     reasons: ["targets workload identities (service principals), not users"]))
    }

    @Test func mayApplyNamesNarrowingConditions() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        let evaluator = tenant.evaluator
        let narrowed = accessPolicy("P", applications: .init(includeApplications: ["Office365"])) {
            $0.clientAppTypes = ["browser"]
            $0.locations = .init(includeLocations: ["All"], excludeLocations: ["AllTrusted"])
        }
        let reach = evaluator.mayApply(narrowed, toUser: "u1")
        #expect(reach.applies)
        #expect(reach.reasons == ["user included by All users", "only for resources: include Office365",
                                  "only for client apps browser", "only for some locations"])
        let none = accessPolicy("N", applications: .init(includeApplications: ["None"]))
        #expect(evaluator.mayApply(none, toUser: "u1").applies == false)
        let disabled = accessPolicy("D", state: PolicyState.disabled)
        #expect(evaluator.mayApply(disabled, toUser: "u1")
            == PolicyReach(applies: false, reasons: ["policy is disabled"]))
        let actions = accessPolicy("A", applications: .init(includeApplications: [],
                                                            includeUserActions: ["urn:user:registersecurityinfo"]))
        #expect(evaluator.mayApply(actions, toUser: "u1").applies)
    }
}

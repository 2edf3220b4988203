import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel
@testable import Lockout
@testable import Posture

/// The rules issue 9 found the evaluator getting wrong, each against the Learn page (or spec/evaluation.md section)
/// that states it. Every test here failed before its fix.
@Suite("Conditional Access rules as Entra ID documents them")
struct EntraRulesTests {
    static let phishingResistant = AuthenticationStrengthPolicy(
        id: AuthenticationStrengthPolicy.phishingResistantID, displayName: nil, policyType: "builtIn",
        allowedCombinations: [])
    static let passwordless = AuthenticationStrengthPolicy(
        id: AuthenticationStrengthPolicy.passwordlessID, displayName: nil, policyType: "builtIn", allowedCombinations: [])

    static func strengthPolicy(_ strength: AuthenticationStrengthPolicy) -> ConditionalAccessPolicy {
        var policy = accessPolicy("Strength")
        policy.grantControls = .init(builtInControls: [], authenticationStrength: strength)
        return policy
    }

    // 1. spec/evaluation.md "Sign-in context": explicit capabilities never take away what the device gives.
    @Test("Device flags add compliantDevice to explicit capabilities")
    func deviceFlagsAddToExplicitCapabilities() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["phone"])
        tenant.policies = [accessPolicy("Compliant", grant: ["compliantDevice"])]
        let device = Device(isRegistered: true, isCompliant: true, isHybridJoined: false, properties: [:])
        let evaluation = tenant.evaluator.evaluate(SignInContext(userID: "u1", device: device, capabilities: [.mfa]))
        #expect(evaluation.decision == .grantWithControls)
        #expect(evaluation.capabilities == [.mfa, .compliantDevice])
    }

    // 2. Learn, "Conditional Access: conditions — client apps": legacy clients cannot perform MFA or pass device state.
    @Test("Legacy clients cannot satisfy any grant control (Learn: Conditions, client apps)",
          arguments: ["exchangeActiveSync", "other"])
    func legacyClientsCannotSatisfyGrantControls(clientApp: String) {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.policies = [
            accessPolicy("MFA", grant: ["mfa"]),
            accessPolicy("Terms", grant: []) { _ in },
        ]
        tenant.policies[1].grantControls = .init(builtInControls: [], termsOfUse: ["tou-1"])
        let evaluation = tenant.evaluator.evaluate(
            SignInContext(userID: "u1", clientApp: clientApp, capabilities: [.mfa, .phishingResistantMfa, .termsOfUse]))
        #expect(evaluation.decision == .block)
        #expect(evaluation.verdict("MFA")?.satisfied == false)
        #expect(evaluation.verdict("Terms")?.satisfied == false)

        var sessionOnly = AccessTestTenant()
        sessionOnly.addUser("u1", methods: [])
        sessionOnly.policies = [accessPolicy("Session", grant: nil)]
        sessionOnly.policies[0].sessionControls = .object(["signInFrequency": .object(["isEnabled": .bool(true)])])
        #expect(sessionOnly.evaluator.evaluate(SignInContext(userID: "u1", clientApp: clientApp)).decision == .grant)
    }

    // 3. Learn, "Security defaults in Microsoft Entra ID": MFA for the listed administrator roles only; legacy auth
    // blocked for everyone.
    @Test("Security defaults require MFA of the roles Learn lists, not of every role holder")
    func securityDefaultsRoleList() {
        var tenant = AccessTestTenant()
        let globalReader = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
        let teamsAdministrator = "69091246-20e8-4a56-aa4d-066075b2a7a8"
        tenant.roleDefinitions += [
            RoleDefinition(id: globalReader, displayName: "Global Reader"),
            RoleDefinition(id: teamsAdministrator, displayName: "Teams Administrator"),
        ]
        tenant.addUser("reader", methods: [])
        tenant.addUser("teams", methods: [])
        tenant.assign(globalReader, to: "reader")
        tenant.assign(teamsAdministrator, to: "teams")
        tenant.securityDefaults = true
        let evaluator = tenant.evaluator
        #expect(evaluator.evaluate(SignInContext(userID: "reader", resource: Resource.graph)).decision == .grant)
        #expect(evaluator.evaluate(SignInContext(userID: "teams", resource: Resource.graph)).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "reader", resource: Resource.graph, clientApp: "other"))
            .decision == .block)
    }

    // 4. One rule for built-in and custom strengths: explicit capabilities are coarse; without them the registered
    // methods decide.
    @Test("Explicit capabilities decide custom and built-in strengths alike")
    func oneRuleForStrengths() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        let sms = AuthenticationStrengthPolicy(id: "sms", displayName: "SMS", allowedCombinations: ["password,sms"])
        tenant.policies = [Self.strengthPolicy(sms)]
        let evaluator = tenant.evaluator
        #expect(evaluator.evaluate(SignInContext(userID: "u1", capabilities: [.mfa])).decision == .grantWithControls)
        #expect(evaluator.evaluate(SignInContext(userID: "u1")).decision == .block, "registered: only fido2")

        var builtIn = AccessTestTenant()
        builtIn.addUser("u1", methods: ["phone"])
        builtIn.policies = [Self.strengthPolicy(Self.phishingResistant)]
        #expect(builtIn.evaluator.evaluate(SignInContext(userID: "u1")).decision == .block)
        #expect(builtIn.evaluator.evaluate(SignInContext(userID: "u1", capabilities: [.phishingResistantMfa]))
            .decision == .grantWithControls)
    }

    // 5. spec/evaluation.md "Failure scenarios": inside the trusted range (also /32, /31, /128), with a country.
    @Test("Scenarios sign in from inside the trusted range, with the tenant's country", arguments: [
        ("203.0.113.7/32", "203.0.113.7"), ("198.51.100.4/31", "198.51.100.4"), ("192.0.2.8/30", "192.0.2.9"),
        ("10.0.0.0/8", "10.0.0.1"), ("2001:db8::5/128", "2001:db8:0:0:0:0:0:5"),
    ])
    func scenarioAddressInsideTrustedRange(range: String, expected: String) throws {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.namedLocations = [NamedLocation(id: "office", displayName: "Office", ipRanges: [range], isTrusted: true)]
        var snapshot = tenant.snapshot
        snapshot.organization.countryLetterCode = "NL"
        let simulation = Simulation(evaluator: Evaluator(directory: Directory(snapshot), now: AccessTestTenant.now))
        let user = try #require(snapshot.users.first)
        let context = try #require(simulation.context(for: user, scenario: .normal, resource: .graph).0)
        #expect(context.ipAddress == expected)
        #expect(context.country == "NL")
        let ip = try #require(IPAddress(expected))
        #expect(try #require(CIDRRange(range)).contains(ip))
    }

    @Test("Without a trusted location a scenario still carries a country (US by default)")
    func scenarioCountryWithoutTrustedLocation() throws {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        let simulation = Simulation(evaluator: tenant.evaluator)
        let user = try #require(tenant.snapshot.users.first)
        let context = try #require(simulation.context(for: user, scenario: .normal, resource: .graph).0)
        #expect(context.country == "US")
        #expect(context.ipAddress == nil)
    }

    // 6. Learn, "Conditional Access: insider risk": a policy on elevated insider risk does not apply by default.
    @Test("Insider risk is a condition, default none")
    func insiderRisk() throws {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.policies = [try decodedPolicy("""
            {"id":"ir","displayName":"Insider","state":"enabled","conditions":{"users":{"includeUsers":["All"]},
            "applications":{"includeApplications":["All"]},"insiderRiskLevels":"elevated"},
            "grantControls":{"operator":"OR","builtInControls":["block"]}}
            """)]
        let evaluator = tenant.evaluator
        #expect(evaluator.evaluate(SignInContext(userID: "u1")).decision == .grant)
        #expect(evaluator.evaluate(SignInContext(userID: "u1", insiderRisk: "elevated")).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "u1", insiderRisk: "moderate")).decision == .grant)
    }

    // 7. Learn, "fido2CombinationConfiguration resource type": allowedAAGUIDs restrict which keys satisfy fido2.
    @Test("A FIDO2 key-model restriction is honoured against the registered key's AAGUID")
    func fido2KeyRestriction() {
        let allowed = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
        let strength = AuthenticationStrengthPolicy(
            id: "keys", displayName: "Approved keys", allowedCombinations: ["fido2"],
            combinationConfigurations: [.init(kind: "fido2CombinationConfiguration", appliesToCombinations: ["fido2"],
                                              allowedAAGUIDs: [allowed.uppercased()])])
        func decision(aaGuid: String?, capabilities: Set<Capability>? = nil) -> Decision {
            var tenant = AccessTestTenant()
            var key = AuthenticationMethod(kind: "fido2")
            key.aaGuid = aaGuid
            tenant.addUser("u1")
            tenant.methods["u1"] = [key]
            tenant.policies = [Self.strengthPolicy(strength)]
            return tenant.evaluator.evaluate(SignInContext(userID: "u1", capabilities: capabilities)).decision
        }
        #expect(decision(aaGuid: allowed) == .grantWithControls)
        #expect(decision(aaGuid: "ee882879-721c-4913-9775-3dfcce97072a") == .block)
        #expect(decision(aaGuid: nil) == .block)
        #expect(decision(aaGuid: "ee882879-721c-4913-9775-3dfcce97072a", capabilities: [.phishingResistantMfa])
            == .block, "explicit capabilities do not lift a key-model restriction")
    }

    // 8. spec/evaluation.md "Failure scenarios": in phone-mfa-outage only phone-independent methods count.
    @Test("Phone MFA outage: a FIDO2 key does not make phone-only strengths satisfiable")
    func phoneOutageCountsOnlyPhoneIndependentMethods() throws {
        var tenant = AccessTestTenant()
        tenant.addUser("bg", methods: ["fido2", "phone"])
        tenant.assign(AccessTestTenant.globalAdministrator, to: "bg")
        let phoneOnly = AuthenticationStrengthPolicy(id: "phone", displayName: "Phone",
                                                     allowedCombinations: ["password,sms", "password,voice"])
        tenant.policies = [Self.strengthPolicy(phoneOnly)]
        let simulation = Simulation(evaluator: tenant.evaluator)
        let user = try #require(tenant.snapshot.users.first)
        #expect(simulation.attempt(user, scenario: .normal, resource: .graph).succeeded)
        #expect(!simulation.attempt(user, scenario: .phoneMFAOutage, resource: .graph).succeeded)

        tenant.policies = [Self.strengthPolicy(Self.phishingResistant)]
        let strong = Simulation(evaluator: tenant.evaluator)
        #expect(strong.attempt(user, scenario: .phoneMFAOutage, resource: .azurePortal).succeeded)
        #expect(!strong.attempt(user, scenario: .mfaOutage, resource: .graph).succeeded)
    }

    // 9. Learn, "Conditional Access: filter for devices": extensionAttribute1-15 only for Intune-managed, compliant or
    // hybrid-joined devices.
    @Test("extensionAttributes are null on an unmanaged registered device")
    func extensionAttributesNeedAManagedDevice() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.policies = [accessPolicy("Block non-SAW", grant: ["block"]) { conditions in
            conditions.devices = .init(deviceFilter: .init(mode: "exclude", rule: "device.extensionAttribute1 -eq \"SAW\""))
        }]
        let unmanaged = Device(isRegistered: true, isCompliant: false, isHybridJoined: false,
                               properties: ["extensionAttribute1": "SAW"])
        var compliant = unmanaged
        compliant.isCompliant = true
        let evaluator = tenant.evaluator
        #expect(evaluator.evaluate(SignInContext(userID: "u1", device: unmanaged)).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "u1", device: compliant)).decision == .grant)
    }

    // 10. Learn, "authorizationInfo resource type": certificate-based authentication is bound through
    // certificateUserIds, not listed as a registered method.
    @Test("A certificate bound to the account is a sign-in method (single-factor unless the binding says otherwise)")
    func certificateUserIDs() throws {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: [])
        tenant.users[0].authorizationInfo = .init(certificateUserIds: ["X509:<PN>bg-01@contoso.onmicrosoft.com"])
        let directory = Directory(tenant.snapshot)
        let methods = try #require(directory.authenticationMethods(ofUser: "u1", at: AccessTestTenant.now))
        #expect(methods.map(\.kind) == ["x509Certificate"])
        #expect(methods.first?.certificateBinding == .unknown)
        #expect(methods.first?.strengthCombinations == ["x509CertificateSingleFactor"])
        let json = #"{"value":[{"id":"u1","authorizationInfo":{"certificateUserIds":["X509:<PN>a@b"]}}]}"#
        let decoded = try #require(FastUserDecoder.decode(Data(json.utf8)))
        #expect(decoded.first?.hasCertificateBinding == true)
    }

    // 11. Learn, "Conditional Access: users and groups": only built-in directory roles count.
    @Test("Custom roles neither include nor exclude")
    func customRolesDoNotCount() {
        var tenant = AccessTestTenant()
        let custom = "5d6b6bb7-de71-4623-b4af-96380a352509"
        var definition = RoleDefinition(id: custom, displayName: "Custom helpdesk")
        definition.isBuiltIn = false
        tenant.roleDefinitions.append(definition)
        tenant.addUser("u1", methods: [])
        tenant.assign(custom, to: "u1")
        tenant.policies = [
            accessPolicy("Include custom", users: .init(includeRoles: [custom]), grant: ["block"]),
            accessPolicy("Exclude custom", users: .init(includeUsers: ["All"], excludeRoles: [custom]), grant: ["block"]),
        ]
        let evaluation = tenant.evaluator.evaluate(SignInContext(userID: "u1"))
        #expect(evaluation.verdict("Include custom")?.applies == .no)
        #expect(evaluation.verdict("Exclude custom")?.applies == .yes)
        #expect(evaluation.verdict("Include custom")?.reasons.contains { $0.contains("custom role") } == true)
    }

    // 12. Learn, "Conditional Access: grant — require password change": MFA first.
    @Test("Password change needs MFA at hand")
    func passwordChangeNeedsMFA() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: [])
        tenant.policies = [accessPolicy("Change", grant: ["passwordChange"])]
        let evaluator = tenant.evaluator
        #expect(evaluator.evaluate(SignInContext(userID: "u1", capabilities: [.passwordChange])).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "u1")).decision == .block, "no MFA method registered")
        #expect(evaluator.evaluate(SignInContext(userID: "u1", capabilities: [.passwordChange, .mfa])).decision
            == .grantWithControls)
    }

    // 14. --as-of after a time-bound role instance ended; an expired Temporary Access Pass.
    @Test("An ended time-bound assignment does not come back as permanent")
    func endedInstanceIsNotPermanent() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: [])
        tenant.assign(AccessTestTenant.globalAdministrator, to: "u1")
        tenant.scheduleInstances = [RoleAssignmentScheduleInstance(
            id: "i1", principalId: "u1", roleDefinitionId: AccessTestTenant.globalAdministrator, directoryScopeId: "/",
            assignmentType: "Assigned", memberType: "Direct",
            startDateTime: AccessTestTenant.now.addingTimeInterval(-86_400 * 10),
            endDateTime: AccessTestTenant.now.addingTimeInterval(-86_400))]
        let directory = Directory(tenant.snapshot)
        #expect(directory.activeRoles(of: "u1", at: AccessTestTenant.now).isEmpty)
        #expect(directory.activeHolders(ofRole: AccessTestTenant.globalAdministrator, at: AccessTestTenant.now).isEmpty)
        #expect(directory.activeRoles(of: "u1", at: AccessTestTenant.now.addingTimeInterval(-86_400 * 2)).count == 1)
    }

    @Test("An expired or used Temporary Access Pass is not a method")
    func expiredTemporaryAccessPass() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1")
        var pass = AuthenticationMethod(kind: "temporaryAccessPass")
        pass.startDateTime = AccessTestTenant.now.addingTimeInterval(-7_200)
        pass.lifetimeInMinutes = 60
        tenant.methods["u1"] = [pass]
        tenant.policies = [accessPolicy("MFA", grant: ["mfa"])]
        #expect(tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision == .block)
        pass.lifetimeInMinutes = 600
        tenant.methods["u1"] = [pass]
        #expect(tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision == .grantWithControls)
        pass.isUsable = false
        pass.methodUsabilityReason = "OneTimeUsed"
        tenant.methods["u1"] = [pass]
        #expect(tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision == .block)
    }

    // 18. Learn, "Authentication strengths": Passwordless MFA is also met by Authenticator phone sign-in.
    @Test("Passwordless strength is met by Authenticator registered for phone sign-in (createdDateTime set)")
    func passwordlessByPhoneSignIn() {
        func decision(registeredForPhoneSignIn: Bool) -> Decision {
            var tenant = AccessTestTenant()
            var app = AuthenticationMethod(kind: "microsoftAuthenticator")
            app.createdDateTime = registeredForPhoneSignIn ? AccessTestTenant.now.addingTimeInterval(-86_400) : nil
            tenant.addUser("u1")
            tenant.methods["u1"] = [app]
            tenant.policies = [Self.strengthPolicy(Self.passwordless)]
            return tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision
        }
        #expect(decision(registeredForPhoneSignIn: true) == .grantWithControls)
        #expect(decision(registeredForPhoneSignIn: false) == .block)
    }

    // 19. spec/evaluation.md "Sign-in context": device properties are strings or booleans.
    @Test("Batch lines accept boolean device properties")
    func booleanDeviceProperties() throws {
        let line = #"{"user":"u1","deviceProperties":{"isCompliant":true,"trustType":"AzureAD"}}"#
        let request = try JSONDecoder().decode(SignInRequest.self, from: Data(line.utf8))
        #expect(request.deviceProperties == ["isCompliant": "True", "trustType": "AzureAD"])
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: [])
        let (context, _) = try request.resolve(in: Directory(tenant.snapshot))
        #expect(context.device.isRegistered && !context.device.isCompliant, "properties alone: registered, unmanaged")
    }

    @Test("whatif names what decided each control")
    func decidedBy() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.policies = [accessPolicy("MFA", grant: ["mfa"])]
        let verdict = tenant.evaluator.evaluate(SignInContext(userID: "u1")).verdict("MFA")
        #expect(verdict?.decidedBy == ["mfa: available, phishingResistantMfa (registered method fido2)"])
    }

    // Found by the differential test (Tests/BreakglassTests/Differential), beyond the issue's list.

    // 20. DESIGN.md "Honest results"; spec/evaluation.md: an exclusion that cannot be checked. A group whose members the
    // snapshot lacks, or a named location it lacks, does not exclude — and the policy applies `unknown`, not yes.
    @Test("An exclusion the snapshot cannot check leaves the policy applying unknown")
    func uncheckableExclusionIsUnknown() {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.groups.append(Group(id: "g-unknown", displayName: "Members not captured"))
        tenant.policies = [
            accessPolicy("Group", users: .init(includeUsers: ["All"], excludeGroups: ["g-unknown"])),
            accessPolicy("Location") { $0.locations = .init(includeLocations: ["All"], excludeLocations: ["loc-gone"]) },
            accessPolicy("Known", users: .init(includeUsers: ["All"], excludeUsers: ["someone-else"])),
        ]
        let evaluation = tenant.evaluator.evaluate(SignInContext(userID: "u1", ipAddress: "192.0.2.1", country: "US"))
        #expect(evaluation.verdict("Group")?.applies == .unknown)
        #expect(evaluation.verdict("Location")?.applies == .unknown)
        #expect(evaluation.verdict("Known")?.applies == .yes)
        #expect(evaluation.decision == .grantWithControls)
    }

    // 21. Learn, "conditionalAccessAuthenticationFlows resource type": transferMethods are "the transfer methods in
    // scope for the policy"; `none` puts no flow in scope, so an ordinary sign-in still matches the policy.
    @Test("authenticationFlows with transferMethods none does not take the policy away from ordinary sign-ins")
    func transferMethodsNone() throws {
        func policy(_ methods: String) throws -> ConditionalAccessPolicy {
            let json = """
                {"id":"p","displayName":"Block","state":"enabled","conditions":{"users":{"includeUsers":["All"]},
                "applications":{"includeApplications":["All"]},"clientAppTypes":["all"],
                "authenticationFlows":{"transferMethods":"\(methods)"}},
                "grantControls":{"operator":"OR","builtInControls":["block"]}}
                """
            return try JSONDecoder.graph().decode(ConditionalAccessPolicy.self, from: Data(json.utf8))
        }
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["fido2"])
        tenant.policies = [try policy("none")]
        #expect(tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision == .block)
        tenant.policies = [try policy("deviceCodeFlow,authenticationTransfer")]
        #expect(tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision == .grant)
    }

    // 22. Learn, Graph "authenticationMethodModes": temporaryAccessPassOneTime and temporaryAccessPassMultiUse are
    // separate modes; "temporaryAccessPassAuthenticationMethod": isUsableOnce says which one a pass is.
    @Test("A one-time Temporary Access Pass does not meet a strength allowing only multi-use passes, and vice versa")
    func temporaryAccessPassKind() {
        let multiUseOnly = AuthenticationStrengthPolicy(id: "s-multi", displayName: "Multi-use TAP",
                                                        allowedCombinations: ["temporaryAccessPassMultiUse"])
        let both = AuthenticationStrengthPolicy(
            id: "s-both", displayName: "Any TAP",
            allowedCombinations: ["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"])
        func decision(once: Bool?, strength: AuthenticationStrengthPolicy) -> Decision {
            var tenant = AccessTestTenant()
            tenant.addUser("u1")
            var pass = AuthenticationMethod(kind: "temporaryAccessPass")
            pass.startDateTime = AccessTestTenant.now.addingTimeInterval(-600)
            pass.lifetimeInMinutes = 60
            pass.isUsableOnce = once
            tenant.methods["u1"] = [pass]
            tenant.strengths = [strength]
            tenant.policies = [Self.strengthPolicy(strength)]
            return tenant.evaluator.evaluate(SignInContext(userID: "u1")).decision
        }
        #expect(decision(once: true, strength: multiUseOnly) == .block)
        #expect(decision(once: false, strength: multiUseOnly) == .grantWithControls)
        #expect(decision(once: nil, strength: multiUseOnly) == .block)
        #expect(decision(once: nil, strength: both) == .grantWithControls)
    }

    // 23. Learn, "Authentication strengths" (built-in strengths table): "Federated single-factor + something you have"
    // and "Federated Multi-Factor" are sign-ins at a federated identity provider. Explicit `mfa` covers them only for
    // a user of a federated domain.
    @Test("Explicit mfa meets federated strength combinations only for users of federated domains")
    func federatedCombinationsNeedAFederatedUser() {
        let federatedOnly = AuthenticationStrengthPolicy(
            id: "s-fed", displayName: "Federated", allowedCombinations: ["federatedMultiFactor", "sms,federatedSingleFactor"])
        var tenant = AccessTestTenant()
        tenant.addUser("cloud", methods: [])
        tenant.addUser("fed", upn: "fed@fed.contoso.com", methods: [])
        tenant.strengths = [federatedOnly]
        tenant.policies = [Self.strengthPolicy(federatedOnly)]
        var snapshot = tenant.snapshot
        snapshot.domains = [Domain(id: "contoso.onmicrosoft.com", isInitial: true),
                            Domain(id: "fed.contoso.com", authenticationType: "Federated")]
        let evaluator = Evaluator(directory: Directory(snapshot), now: AccessTestTenant.now)
        #expect(evaluator.evaluate(SignInContext(userID: "cloud", capabilities: [.mfa])).decision == .block)
        #expect(evaluator.evaluate(SignInContext(userID: "fed", capabilities: [.mfa])).decision == .grantWithControls)
    }

    // 24. Learn, "Dynamic membership rules for groups" (the rule syntax device filters use), rules with multiple
    // expressions: "connected by the -and, -or, and -not logical operators".
    @Test("Device filters understand -not")
    func deviceFilterNot() throws {
        let rule = try DeviceFilterParser.parse(
            #"device.displayName -ne "SAW" -or -not (device.model -startsWith "Surface") -and device.isCompliant -eq "True""#)
        let surface = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                             properties: ["displayName": "SAW", "model": "Surface Pro"])
        let pixel = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                           properties: ["displayName": "SAW", "model": "Pixel 8"])
        var unknown: [String] = []
        #expect(rule.evaluate(on: surface, unknownProperties: &unknown) == .no)
        #expect(rule.evaluate(on: pixel, unknownProperties: &unknown) == .yes)
        #expect(rule.evaluate(on: .unregistered, unknownProperties: &unknown) == .yes)
        #expect(unknown.isEmpty)
    }
}

@Suite("Snapshot fields issue 9 reads")
struct SnapshotFieldTests {
    // 15. Graph returns "isAssignableToRole": null for groups not created role-assignable.
    @Test("isAssignableToRole null means not role-assignable; absent stays unknown")
    func isAssignableToRoleNull() throws {
        let null = try JSONDecoder.graph().decode(Group.self, from: Data(#"{"id":"g","isAssignableToRole":null}"#.utf8))
        let absent = try JSONDecoder.graph().decode(Group.self, from: Data(#"{"id":"g"}"#.utf8))
        #expect(null.roleAssignable == false)
        #expect(absent.roleAssignable == nil)
    }

    // 17. Learn, "appIdentity resource type".
    @Test("A directory audit made by an app decodes its appIdentity")
    func appIdentity() throws {
        let json = """
            {"activityDateTime":"2026-11-01T10:00:00Z","initiatedBy":{"user":null,"app":{"appId":"a1",
            "displayName":"Automation","servicePrincipalId":"sp1","servicePrincipalName":"Automation SP"}}}
            """
        let audit = try JSONDecoder.graph().decode(DirectoryAudit.self, from: Data(json.utf8))
        #expect(audit.initiatedBy?.app?.servicePrincipalId == "sp1")
        #expect(audit.initiatedBy?.app?.appId == "a1")
    }
}

import Foundation
import Graph
import GraphEmulator
import Testing

/// Provisioning and rotation end to end: the CLI against the Graph/ARM/Key Vault emulator over real HTTP.
@Suite("provision and rotate against the emulator", .serialized)
struct ProvisionEmulatorTests {
    static let fixture = Fixture.url("provision")
    static let workspace = "/subscriptions/00000000-0000-4000-8000-00000000a1e7/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/la-bg"

    func planArguments(_ scenario: ProvisionScenario, out: String) -> [String] {
        ["provision", "plan", "--snapshot", Self.fixture.path, "--config", scenario.config.path, "--out", out,
         "--workspace-id", Self.workspace, "--subscription", "00000000-0000-4000-8000-00000000a1e7",
         "--resource-group", "rg-bg"]
    }

    func applyArguments(_ scenario: ProvisionScenario, plan: String, url: URL, command: String = "provision") -> [String] {
        [command, "apply", plan] + scenario.live(url) + ["--config", scenario.config.path, "--ledger", scenario.path("custody.db"),
                                                        "--shares-out", scenario.path("shares"), "--actor", "operator"]
    }

    /// Done when: provision from a tenant with no emergency accounts → a fresh capture audits with every check passing
    /// except those that need time; a second apply changes nothing.
    @Test func provisionFromNothingThenAuditPasses() async throws {
        let scenario = try ProvisionScenario()
        let emulator = try GraphEmulator(snapshot: Self.fixture)
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            let planned = try await scenario.run(planArguments(scenario, out: plan))
            #expect(planned.status == 0, "\(planned.stderr)")
            #expect(planned.stdout.contains("Create the cloud-only account bg-01@fabrikam.onmicrosoft.com"))
            #expect(planned.stdout.contains("Exclude the group from 'CA900 Old pilot (disabled)'"))

            let unapproved = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(unapproved.status == 5, "\(unapproved.stderr)")
            #expect(unapproved.stderr.contains("needs 2 approvals"))
            #expect(await emulator.writeCount() == 0)

            try await scenario.approve(plan, by: ["alice", "bob"])
            let applied = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(applied.status == 0, "\(applied.stderr)")
            let writes = await emulator.writeCount()
            #expect(writes > 10)

            let results = try await scenario.audit(url)
            // Only what needs time: BG062 wants a drill (a sign-in) within drillIntervalDays, which a new account cannot have.
            let needsTime: Set<String> = ["BG062"]
            let problems = results.filter { !["pass", "notApplicable"].contains($0.status) && !needsTime.contains($0.check) }
            #expect(problems.isEmpty, "\(problems.map { "\($0.check) \($0.status) \($0.subject): \($0.message)" })")
            for check in ["BG002", "BG011", "BG012", "BG014", "BG016", "BG020", "BG030", "BG031", "BG032", "BG033", "BG050", "BG051"] {
                #expect(results.contains { $0.check == check && $0.status == "pass" }, "\(check) did not pass")
            }

            let again = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("Applied 0 step(s); 18 already as planned"))
            #expect(await emulator.writeCount() == writes)

            let verify = try await scenario.run(["custody", "ledger", "verify", "--ledger", scenario.path("custody.db")])
            #expect(verify.status == 0, "\(verify.stderr)")
            var passwords: [String] = []
            for account in ProvisionScenario.accounts {
                let password = try await combine(scenario, account: account, custodians: ["alice", "bob"])
                let signedIn = try await signIn(url, account, password)
                #expect(signedIn, "the recovered password of \(account) does not sign in")
                passwords.append(password)
            }
            try expectNoSecretsLeaked(scenario, passwords: passwords)
        }
    }

    /// A tenant that already has most of the design (the demo tenant): only what is missing is planned, including
    /// adding an existing account to the existing exclusion group, and afterwards no policy reaches the accounts.
    @Test func provisionCompletesAnExistingDesign() async throws {
        let demo = Fixture.temporaryDirectory().appendingPathComponent("demo")
        #expect(try CLI.run(["snapshot", "--demo", "--out", demo.path]).status == 0)
        let scenario = try ProvisionScenario(
            requirePhishingResistantMfa: true,
            accounts: ["id: 2a008d1e-f028-5bb4-99df-c82b624f5476", "id: 81f59451-b7b6-5837-8864-9836625967f1"],
            exclusionGroup: "91b1ca45-ab38-5f88-bbc3-9e814437d2d2")
        let emulator = try GraphEmulator(snapshot: demo)
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            let planned = try await scenario.run(["provision", "plan", "--snapshot", demo.path, "--config", scenario.config.path,
                                                  "--out", plan])
            #expect(planned.status == 0, "\(planned.stderr)")
            #expect(planned.stdout.contains("Add bg-02@contoso.onmicrosoft.com to the exclusion group"))
            // The demo's restricted-management unit holds bg-01 only: it is reused for bg-02, none is created.
            #expect(planned.stdout.contains("Add bg-02@contoso.onmicrosoft.com to the restricted-management administrative unit"))
            #expect(!planned.stdout.contains("Add bg-01@contoso.onmicrosoft.com to the restricted-management"))
            #expect(!planned.stdout.contains("Create the restricted-management administrative unit"))
            #expect(!planned.stdout.contains("Create the cloud-only account"))
            try await scenario.approve(plan, by: ["alice", "carol"])
            let applied = try await scenario.run(["provision", "apply", plan] + scenario.live(url)
                + ["--config", scenario.config.path, "--ledger", scenario.path("custody.db"), "--shares-out", scenario.path("shares")])
            #expect(applied.status == 0, "\(applied.stderr)")
            let results = try await scenario.audit(url)
            for check in ["BG014", "BG016", "BG030", "BG031"] {
                let failing = results.filter { $0.check == check && $0.status != "pass" }
                #expect(failing.isEmpty, "\(failing.map { "\($0.subject): \($0.message)" })")
            }
        }
    }

    /// Done when: an apply killed after step N and re-run finishes with no duplicate object. Write 14 creates the
    /// restricted-management administrative unit (after 2 users, the group, 2 members, 2 roles and 6 exclusions).
    @Test(arguments: [3, 5, 8, 14])
    func applyKilledAfterStepResumes(killAfter: Int) async throws {
        let scenario = try ProvisionScenario()
        let emulator = try GraphEmulator(snapshot: Self.fixture, options: EmulatorOptions(killAfterWrites: killAfter))
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            #expect(try await scenario.run(planArguments(scenario, out: plan)).status == 0)
            try await scenario.approve(plan, by: ["bob", "carol"])
            let killed = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(killed.status == 4, "\(killed.stderr)")
            #expect(await emulator.writeCount() == killAfter)
            let journal = try String(contentsOfFile: plan + ".journal", encoding: .utf8)
            #expect(journal.contains("\"started\""))

            await emulator.heal()
            let resumed = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(resumed.status == 0, "\(resumed.stderr)")

            let (client, transport) = EmulatorHarness.client(url)
            defer { Task { try? await transport.shutdown() } }
            let users = try await Self.values(client, "/users")
            for account in ProvisionScenario.accounts {
                #expect(users.filter { ($0["userPrincipalName"] as? String) == account }.count == 1)
            }
            let groups = try await Self.values(client, "/groups").filter {
                ($0["displayName"] as? String) == "Emergency access accounts (breakglass)"
            }
            #expect(groups.count == 1)
            let groupID = try #require(groups.first?["id"] as? String)
            #expect(try await Self.values(client, "/groups/\(groupID)/members").count == 2)
            let units = try await Self.values(client, "/directory/administrativeUnits").filter {
                ($0["displayName"] as? String) == "Emergency access (breakglass, restricted)"
            }
            #expect(units.count == 1)
            #expect(units.first?["isMemberManagementRestricted"] as? Bool == true)
            let unitID = try #require(units.first?["id"] as? String)
            #expect(try await Self.values(client, "/directory/administrativeUnits/\(unitID)/members").count == 2)
            let assignments = try await Self.values(client, "/roleManagement/directory/roleAssignments")
            #expect(assignments.filter { ($0["roleDefinitionId"] as? String) == "62e90394-69f5-4237-9190-012177145e10" }.count == 3)
            for policy in try await Self.values(client, "/identity/conditionalAccess/policies") {
                let excluded = ((policy["conditions"] as? [String: Any])?["users"] as? [String: Any])?["excludeGroups"] as? [String] ?? []
                #expect(excluded.filter { $0 == groupID }.count == 1, "\(policy["displayName"] ?? "")")
            }
            // The first run's password for an account it created was kept: its share set is the one recorded.
            let verify = try await scenario.run(["custody", "ledger", "verify", "--ledger", scenario.path("custody.db")])
            #expect(verify.status == 0, "\(verify.stderr)")
            try expectNoSecretsLeaked(scenario)
        }
    }

    /// Without AdministrativeUnit.ReadWrite.All (Learn: directory-post-administrativeunits) the apply stops at the
    /// unit's step with exit 4 naming the permission; everything before it is applied and journalled.
    @Test func administrativeUnitWithoutItsPermissionStops() async throws {
        let scenario = try ProvisionScenario()
        let permissions: Set<String> = [
            "User.ReadWrite.All", "Group.ReadWrite.All", "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory",
            "Policy.ReadWrite.ConditionalAccess", "Azure.Deploy",
        ]
        let emulator = try GraphEmulator(snapshot: Self.fixture, options: EmulatorOptions(
            applicationGrant: EmulatorGrant(permissions: permissions)))
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            #expect(try await scenario.run(planArguments(scenario, out: plan)).status == 0)
            try await scenario.approve(plan, by: ["alice", "bob"])
            let stopped = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(stopped.status == 4, "\(stopped.stderr)")
            #expect(stopped.stderr.contains("create-administrative-unit"), "\(stopped.stderr)")
            #expect(stopped.stderr.contains("AdministrativeUnit.ReadWrite.All"), "\(stopped.stderr)")
            #expect(await emulator.writeCount() == 13)
            let journal = try String(contentsOfFile: plan + ".journal", encoding: .utf8)
            #expect(!journal.contains("add-to-administrative-unit"))
        }
    }

    /// A restricted-management unit with the planned name that appears after approval is a change to the tenant:
    /// refused with exit 5 naming it, nothing written.
    @Test func administrativeUnitCreatedAfterPlanningIsRefused() async throws {
        let scenario = try ProvisionScenario()
        let emulator = try GraphEmulator(snapshot: Self.fixture)
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            #expect(try await scenario.run(planArguments(scenario, out: plan)).status == 0)
            try await scenario.approve(plan, by: ["alice", "carol"])
            let (client, transport) = EmulatorHarness.client(url)
            defer { Task { try? await transport.shutdown() } }
            _ = try await client.write("POST", "/directory/administrativeUnits", body: Data(
                #"{"displayName":"Emergency access (breakglass, restricted)","isMemberManagementRestricted":true}"#.utf8))
            let writes = await emulator.writeCount()

            let refused = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(refused.status == 5, "\(refused.stderr)")
            #expect(refused.stderr.contains("the administrative unit 'Emergency access (breakglass, restricted)' was added"), "\(refused.stderr)")
            #expect(await emulator.writeCount() == writes)
        }
    }

    /// Done when: a plan applied after someone changed a policy is refused with exit 5 naming it.
    @Test func policyChangedAfterPlanningIsRefused() async throws {
        let scenario = try ProvisionScenario()
        let emulator = try GraphEmulator(snapshot: Self.fixture)
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            #expect(try await scenario.run(planArguments(scenario, out: plan)).status == 0)
            try await scenario.approve(plan, by: ["alice", "carol"])

            // Someone edits CA003 in the portal after the custodians approved.
            let (client, transport) = EmulatorHarness.client(url)
            defer { Task { try? await transport.shutdown() } }
            let policies = try await Self.values(client, "/identity/conditionalAccess/policies")
            let id = try #require(policies.first { ($0["displayName"] as? String) == "CA003 Require MFA for all users" }?["id"] as? String)
            _ = try await client.write("PATCH", "/identity/conditionalAccess/policies/\(id)",
                                       body: Data(#"{"state":"enabledForReportingButNotEnforced"}"#.utf8))
            let writes = await emulator.writeCount()

            let refused = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(refused.status == 5, "\(refused.stderr)")
            #expect(refused.stderr.contains("policy 'CA003 Require MFA for all users' (\(id)) changed"))
            #expect(await emulator.writeCount() == writes)
        }
    }

    /// Done when: rotation with one signature is refused; with two it changes the password (the emulator checks Entra's
    /// rules), re-issues shares that combine to it, marks the old set superseded, and the ledger verifies.
    @Test func rotateNeedsTwoSignaturesAndReissuesShares() async throws {
        let scenario = try ProvisionScenario()
        // The app may create and configure, but holds no role that resets an administrator's password; the approver
        // who signs in with a device code is a Privileged Authentication Administrator (the reset) and a Privileged
        // Role Administrator (taking the account out of its restricted-management unit and back) with the least
        // permissions.
        let options = EmulatorOptions(
            applicationGrant: EmulatorGrant(permissions: [
                "User.ReadWrite.All", "Group.ReadWrite.All", "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory",
                "Policy.ReadWrite.ConditionalAccess", "AdministrativeUnit.ReadWrite.All", "Azure.Deploy", "User-PasswordProfile.ReadWrite.All",
                "KeyVault.Secrets.Set", "KeyVault.Secrets.Get",
            ]),
            delegatedGrant: EmulatorGrant(permissions: ["User-PasswordProfile.ReadWrite.All", "AdministrativeUnit.ReadWrite.All", "KeyVault.Secrets.Set"],
                                          roles: [EntraRole.privilegedAuthenticationAdministrator, EntraRole.privilegedRoleAdministrator]))
        let emulator = try GraphEmulator(snapshot: Self.fixture, options: options)
        try await EmulatorHarness.with(emulator) { url in
            let plan = scenario.path("plan.json")
            #expect(try await scenario.run(planArguments(scenario, out: plan)).status == 0)
            try await scenario.approve(plan, by: ["alice", "bob"])
            let provisioned = try await scenario.run(applyArguments(scenario, plan: plan, url: url))
            #expect(provisioned.status == 0, "\(provisioned.stderr)")
            let account = ProvisionScenario.accounts[0]
            let firstPassword = try await combine(scenario, account: account, custodians: ["alice", "carol"])
            let firstWorks = try await signIn(url, account, firstPassword)
            #expect(firstWorks, "the first password does not sign in")
            // Two days after that use, with the password unchanged, BG060 fails: rotation is overdue.
            let later = Date().addingTimeInterval(2 * 86_400)
            let overdue = try await scenario.audit(url, asOf: later)
            #expect(overdue.contains { $0.check == "BG060" && $0.subject == account && $0.status == "fail" },
                    "\(overdue.filter { $0.check == "BG060" })")

            let rotation = scenario.path("rotate.json")
            let planned = try await scenario.run(["rotate", "plan", "--account", account] + scenario.live(url, arm: false)
                + ["--config", scenario.config.path, "--out", rotation, "--key-vault", url.absoluteString])
            #expect(planned.status == 0, "\(planned.stderr)")
            try await scenario.approve(rotation, by: ["carol"], command: "rotate")
            let rotateArguments = ["rotate", "apply", rotation] + scenario.live(url, arm: false)
                + ["--config", scenario.config.path, "--ledger", scenario.path("custody.db"), "--shares-out", scenario.path("shares"),
                   "--key-vault", url.absoluteString]
            let oneSignature = try await scenario.run(rotateArguments)
            #expect(oneSignature.status == 5, "\(oneSignature.stderr)")
            #expect(oneSignature.stderr.contains("1 valid (carol)"))

            try await scenario.approve(rotation, by: ["bob"], command: "rotate")
            // App-only: the app holds no role that may reset a Global Administrator's password → 403, named.
            let appOnly = try await scenario.run(rotateArguments)
            #expect(appOnly.status == 4, "\(appOnly.stderr)")
            #expect(appOnly.stderr.contains("Privileged Authentication Administrator"))
            let stillFirst = try await signIn(url, account, firstPassword)
            #expect(stillFirst, "a refused rotation changed the password")
            // The account left its restricted-management unit for the reset (the app may, with
            // AdministrativeUnit.ReadWrite.All); the reset failed, so it is back in the unit already.
            #expect(appOnly.stderr.contains("Put \(account) back into its restricted-management administrative unit"), "\(appOnly.stderr)")
            let unitMembersAfterRefusal = try await restrictedUnitMembers(url)
            #expect(unitMembersAfterRefusal.contains(try await userID(url, account)))

            // An approver signs in with a device code: the rotation resumes and the password changes.
            let rotated = try await scenario.run(rotateArguments + ["--device-code"])
            #expect(rotated.status == 0, "\(rotated.stderr)")
            #expect(rotated.stderr.contains("devicelogin"))
            #expect(rotated.stderr.contains("Take \(account) out of the restricted-management administrative unit"), "\(rotated.stderr)")
            let unitMembersAfterRotation = try await restrictedUnitMembers(url)
            #expect(unitMembersAfterRotation.contains(try await userID(url, account)), "the account did not go back into its unit")
            // The audit of a fresh capture, before anyone uses the new password: BG060 and BG061 pass, BG016 too.
            let results = try await scenario.audit(url, asOf: later)
            for check in ["BG060", "BG061", "BG016"] {
                #expect(results.contains { $0.check == check && $0.subject == account && $0.status == "pass" },
                        "\(results.filter { $0.check == check })")
            }
            let newPassword = try await combine(scenario, account: account, custodians: ["bob", "carol"])
            let changed = newPassword != firstPassword
            #expect(changed, "the rotation kept the old password")
            let newWorks = try await signIn(url, account, newPassword)
            #expect(newWorks, "the re-issued shares do not combine to the password Entra has")
            let oldWorks = try await signIn(url, account, firstPassword)
            #expect(!oldWorks, "the old password still signs in")

            // The Key Vault copy: a new version holding the same password, tagged with its share set, expiring.
            let (client, transport) = EmulatorHarness.client(url)
            defer { Task { try? await transport.shutdown() } }
            let secret = try await client.send(GraphRequest(url: try #require(URL(string: "\(url.absoluteString)/secrets/breakglass-bg-01-fabrikam-onmicrosoft-com?api-version=7.4"))))
            let bundle = try #require(try JSONSerialization.jsonObject(with: secret.body) as? [String: Any])
            let vaultHoldsIt = bundle["value"] as? String == newPassword
            #expect(vaultHoldsIt, "Key Vault's newest version is not the new password")
            #expect((bundle["tags"] as? [String: Any])?["purpose"] as? String == "breakglass")
            #expect((bundle["attributes"] as? [String: Any])?["exp"] is NSNumber)

            let show = try await scenario.run(["custody", "ledger", "show", "--ledger", scenario.path("custody.db")])
            #expect(show.stdout.contains("supersede"))
            #expect(show.stdout.contains("rotation"))
            let verify = try await scenario.run(["custody", "ledger", "verify", "--ledger", scenario.path("custody.db")])
            #expect(verify.status == 0, "\(verify.stderr)")

            try expectNoSecretsLeaked(scenario, passwords: [firstPassword, newPassword])
        }
    }

    // MARK: Helpers

    /// The members of the restricted-management unit provision created, read back over Graph.
    func restrictedUnitMembers(_ url: URL) async throws -> [String] {
        let (client, transport) = EmulatorHarness.client(url)
        defer { Task { try? await transport.shutdown() } }
        let units = try await Self.values(client, "/directory/administrativeUnits")
        let unit = try #require(units.first { $0["isMemberManagementRestricted"] as? Bool == true }?["id"] as? String)
        return try await Self.values(client, "/directory/administrativeUnits/\(unit)/members").compactMap { ($0["id"] as? String)?.lowercased() }
    }

    func userID(_ url: URL, _ upn: String) async throws -> String {
        let (client, transport) = EmulatorHarness.client(url)
        defer { Task { try? await transport.shutdown() } }
        let users = try await Self.values(client, "/users")
        return try #require(users.first { ($0["userPrincipalName"] as? String)?.lowercased() == upn.lowercased() }?["id"] as? String).lowercased()
    }

    /// Combines two custodians' sheets of the account's newest set with `custody combine` into a 0600 file.
    func combine(_ scenario: ProvisionScenario, account: String, custodians: [String]) async throws -> String {
        let ledger = try await scenario.run(["custody", "ledger", "show", "--ledger", scenario.path("custody.db")])
        let line = try #require(ledger.stdout.split(separator: "\n").last {
            ($0.contains(" split ") || $0.contains(" rotation ")) && $0.contains("(\(account))")
        })
        let set = try #require(line.split(separator: " ", omittingEmptySubsequences: true).first { $0.count == 9 && $0.contains("-") })
        let compact = set.replacingOccurrences(of: "-", with: "")
        let sheets = try custodians.map { name in
            let folder = scenario.path("shares/\(name)")
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.contains(compact) })
            return "\(folder)/\(file)"
        }
        let out = scenario.path("recovered-\(UUID().uuidString).txt")
        let result = try await scenario.run(["custody", "combine"] + sheets + ["--out", out, "--no-ledger"])
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: out)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let password = try String(contentsOfFile: out, encoding: .utf8)
        try FileManager.default.removeItem(atPath: out)
        return password
    }

    /// Signs the account in with its password (ROPC at the emulator's token endpoint).
    func signIn(_ url: URL, _ account: String, _ password: String) async throws -> Bool {
        let transport = AsyncHTTPTransport()
        defer { Task { try? await transport.shutdown() } }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let form = [("grant_type", "password"), ("client_id", "tests"), ("username", account), ("password", password),
                    ("scope", "openid")]
            .map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1)" }.joined(separator: "&")
        let response = try await transport.send(GraphRequest(
            method: "POST", url: url.appendingPathComponent("\(ProvisionScenario.tenantID)/oauth2/v2.0/token"),
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(form.utf8)), timeout: .seconds(10))
        return response.status == 200
    }

    /// Done when: no password or share appears in any output, plan, journal, log or test output. The passwords are
    /// the ones the test recovered from two sheets; the share lines are every sheet's BEGIN…END lines. The same search
    /// run over the sheets themselves must find them (a positive control: a check that cannot fail proves nothing).
    func expectNoSecretsLeaked(_ scenario: ProvisionScenario, passwords: [String] = []) throws {
        let lines = try scenario.shareLines()
        #expect(!lines.isEmpty)
        let payloads = lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().prefix(5).joined(separator: " ") }
        func leaks(_ text: String) -> Int {
            passwords.filter { !$0.isEmpty && text.contains($0) }.count + payloads.filter { text.contains($0) }.count
        }
        let sheets = try scenario.filesText { !$0.contains("/shares/") }
        #expect(sheets.reduce(0) { $0 + leaks($1.text) } >= payloads.count)
        let texts = scenario.allOutput + (try scenario.filesText { $0.contains("/shares/") || $0.hasSuffix(".key") }.map(\.text))
        let found = texts.reduce(0) { $0 + leaks($1) }
        #expect(found == 0, "\(found) password or share line(s) found in outputs, plans, journals or the ledger")
    }

    static func values(_ client: GraphClient, _ path: String) async throws -> [[String: Any]] {
        let data = try await client.list(path)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["value"] as? [[String: Any]] ?? []
    }
}

import Custody
import Dashboard
import Foundation
import Graph
import Posture
import Testing
import Watch

@Suite("breakglass.yml for watch: tenants, notifiers and secrets by reference")
struct WatchConfigurationTests {
    static let yaml = """
        guidance:
          rotationGraceHours: 12
        tenants:
          - tenant: contoso.onmicrosoft.com
            name: Contoso
            emergencyAccounts:
              - id: 6f1c0e62-0000-4000-8000-000000000001
            exclusionGroup: 2802b872-0000-4000-8000-000000000001
            credentials:
              clientId: 3f2a0000-0000-4000-8000-000000000001
              clientSecretEnv: CONTOSO_SECRET
          - tenant: fabrikam.onmicrosoft.com
            cloud: usgov
            emergencyAccounts:
              - userPrincipalName: bg-01@fabrikam.onmicrosoft.com
            credentials:
              tokenEnv: FABRIKAM_TOKEN
        monitoring:
          notify:
            - type: webhook
              url: https://hooks.example.net/bg
              secretEnv: BG_WEBHOOK_SECRET
            - type: teams
              urlFile: /run/secrets/teams-url
            - type: pagerduty
              secretEnv: BG_PD_KEY
          watch:
            pollIntervalSeconds: 30
            overlapMinutes: 45
            publicUrl: https://watch.example.net
            tokenEnv: BG_WATCH_TOKEN
            webhookSecretEnv: BG_ALERT_SECRET
            entraAudiences: [api://breakglass-watch]
            entraTenant: f0000000-0000-4000-8000-0000000fab01
        """

    @Test("tenants:, monitoring.notify and monitoring.watch read strictly")
    func parses() throws {
        let configuration = try Configuration.parse(Self.yaml)
        #expect(configuration.tenants.map(\.tenant) == ["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"])
        #expect(configuration.tenants[0].credentials.clientSecretEnv == "CONTOSO_SECRET")
        #expect(configuration.tenants[1].cloud == "usgov" && configuration.tenants[1].credentials.tokenEnv == "FABRIKAM_TOKEN")
        #expect(configuration.monitoring.notify[1].urlFile == "/run/secrets/teams-url")
        #expect(configuration.monitoring.watch.pollIntervalSeconds == 30 && configuration.monitoring.watch.overlapMinutes == 45)
        #expect(configuration.monitoring.watch.entraAudiences == ["api://breakglass-watch"])
        let contoso = configuration.configuration(for: configuration.tenants[0])
        #expect(contoso.tenant == "contoso.onmicrosoft.com" && contoso.guidance.rotationGraceHours == 12)
        #expect(contoso.exclusionGroup == "2802b872-0000-4000-8000-000000000001")
    }

    @Test("Mistakes name the key and line", arguments: [
        ("tenants:\n  - name: x\n", "'tenants[0]': needs a tenant"),
        ("tenants:\n  - tenant: a\n    credentials:\n      clientSecret: hunter2\n", "tenants[0].credentials.clientSecret"),
        ("tenants:\n  - tenant: a\n    credentials:\n      clientSecretEnv: A\n", "needs clientId"),
        ("tenants:\n  - tenant: a\n    credentials:\n      clientId: c\n      clientSecretEnv: A\n      tokenEnv: B\n", "exactly one"),
        ("tenants:\n  - tenant: a\n  - tenant: A\n", "listed twice"),
        ("tenants:\n  - tenant: a\n    graphEndpoint: not a url\n", "tenants[0].graphEndpoint"),
        ("monitoring:\n  watch:\n    pollIntervalSeconds: 0\n", "monitoring.watch.pollIntervalSeconds"),
        ("monitoring:\n  notify:\n    - type: webhook\n      secretEnv: A\n      secretFile: b\n", "not both"),
    ])
    func mistakes(yaml: String, expected: String) {
        do {
            _ = try Configuration.parse(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test("Setup loads secrets from the environment or 0600 files only, and refuses plain http off loopback")
    func setup() throws {
        let folder = Fixture.temporaryDirectory()
        let teams = folder.appendingPathComponent("teams-url")
        try "https://prod.westeurope.logic.azure.com/workflows/abc?sig=xyz\n".write(to: teams, atomically: true, encoding: .utf8)
        chmod(teams.path, 0o600)
        let yaml = Self.yaml.replacingOccurrences(of: "/run/secrets/teams-url", with: teams.path)
        let configuration = try Configuration.parse(yaml)
        let environment = [
            "CONTOSO_SECRET": "s3cret", "FABRIKAM_TOKEN": "eyJ0eXAi.x.y", "BG_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "BG_PD_KEY": "R0123456789ABCDEF0123456789ABCDE", "BG_WATCH_TOKEN": "a-long-random-access-token",
            "BG_ALERT_SECRET": "a-long-random-alert-secret",
        ]
        let setup = try WatchSetup.make(configuration: configuration, environment: environment, transport: ScriptedTransport([]))
        #expect(setup.tenants.map(\.tenant.id) == ["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"])
        #expect(setup.tenants.allSatisfy { $0.client != nil })
        #expect(setup.tenants[1].client?.endpoints.graph.host == "graph.microsoft.us")
        #expect(setup.notifiers.map(\.name) == ["webhook-1", "teams-1", "pagerduty-1"])
        #expect(setup.security.webhookSecret != nil && setup.security.secureCookies)

        chmod(teams.path, 0o644)
        #expect(throws: SecretSourceError.self) {
            try WatchSetup.make(configuration: configuration, environment: environment, transport: ScriptedTransport([]))
        }
        chmod(teams.path, 0o600)
        var missing = environment
        missing["BG_PD_KEY"] = nil
        #expect(throws: SecretSourceError.missing("environment variable BG_PD_KEY is not set")) {
            try WatchSetup.make(configuration: configuration, environment: missing, transport: ScriptedTransport([]))
        }
        var insecure = configuration
        insecure.tenants[0].graphEndpoint = "http://graph.example.net"
        #expect(throws: WatchSetupError.self) {
            try WatchSetup.make(configuration: insecure, environment: environment, transport: ScriptedTransport([]))
        }
        // https to a host that is not the cloud's: the client secret goes there only when the operator names it
        // (issue 10, item 2, as every live command does).
        var stranger = configuration
        stranger.tenants[0].graphEndpoint = "https://graph.example.net"
        #expect(throws: WatchSetupError.self) {
            try WatchSetup.make(configuration: stranger, environment: environment, transport: ScriptedTransport([]))
        }
        let allowed = try WatchSetup.make(configuration: stranger, environment: environment, transport: ScriptedTransport([]),
                                          allowedHosts: ["graph.example.net"])
        #expect(allowed.tenants[0].client?.endpoints.graph.host == "graph.example.net")
    }
}

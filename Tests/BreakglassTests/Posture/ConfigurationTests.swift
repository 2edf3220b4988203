import Foundation
import Testing

@testable import Posture

@Suite("breakglass.yml is validated strictly")
struct ConfigurationTests {
    @Test func fullExampleParses() throws {
        let yaml = """
            tenant: contoso.onmicrosoft.com
            cloud: usgov
            emergencyAccounts:
              - id: 6f1c0000-0000-0000-0000-000000000001
              - userPrincipalName: bg-02@contoso.onmicrosoft.com
            exclusionGroup: 2802b872-0000-0000-0000-000000000000
            guidance:
              minAccounts: 3
              maxGlobalAdmins: 5
              requirePhishingResistantMfa: false
              maxPasswordAgeDays: 180
              rotationGraceHours: 12
              drillIntervalDays: 180
              maxRoutineSignIns: 1
              allowedExclusions: [svc-sync@contoso.com]
            custody:
              threshold: 2
              custodians: [alice@contoso.com, bob@contoso.com, carol@contoso.com]
            monitoring:
              notify:
                - type: webhook
                  url: https://hooks.example.net/bg
                  secretEnv: BG_WEBHOOK_SECRET
            """
        let config = try Configuration.parse(yaml)
        #expect(config.cloud == "usgov")
        #expect(config.emergencyAccounts == [.id("6f1c0000-0000-0000-0000-000000000001"), .userPrincipalName("bg-02@contoso.onmicrosoft.com")])
        #expect(config.guidance.minAccounts == 3 && !config.guidance.requirePhishingResistantMfa)
        #expect(config.guidance.allowedExclusions == ["svc-sync@contoso.com"])
        #expect(config.custody.custodians.count == 3)
        #expect(config.monitoring.notify.first?.secretEnv == "BG_WEBHOOK_SECRET")
    }

    @Test("An unknown key or a wrong type names the key and the line", arguments: [
        ("tenant: x\nguidance:\n  maxGlobalAdmin: 4\n", ConfigurationError.unknownKey(file: "breakglass.yml", key: "guidance.maxGlobalAdmin", line: 3)),
        ("guidance:\n  drillIntervalDays: soon\n", .wrongType(file: "breakglass.yml", key: "guidance.drillIntervalDays", line: 2, expected: "a whole number")),
        ("guidance:\n  requirePhishingResistantMfa: maybe\n", .wrongType(file: "breakglass.yml", key: "guidance.requirePhishingResistantMfa", line: 2, expected: "true or false")),
        ("emergencyAccounts:\n  - upn: x\n", .unknownKey(file: "breakglass.yml", key: "emergencyAccounts[0].upn", line: 2)),
        ("emergencyAccounts: bg-01\n", .wrongType(file: "breakglass.yml", key: "emergencyAccounts", line: 1, expected: "a list")),
        ("cloud: mars\n", .invalidValue(file: "breakglass.yml", key: "cloud", line: 1, reason: "must be one of global, usgov, usgovhigh, dod, china")),
        ("custody:\n  threshold: 1\n", .invalidValue(file: "breakglass.yml", key: "custody.threshold", line: 2, reason: "must be between 2 and 255")),
    ])
    func strictErrors(yaml: String, expected: ConfigurationError) {
        #expect(throws: expected) { try Configuration.parse(yaml) }
    }

    @Test func emptyFileGivesDefaults() throws {
        let config = try Configuration.parse("")
        #expect(config.guidance.minAccounts == 2 && config.guidance.maxPasswordAgeDays == 90)
    }
}

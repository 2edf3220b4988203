import EntraModel
import Foundation
import Testing

@testable import AccessPolicy

@Suite("AccessPolicy device filter")
struct AccessPolicyDeviceFilterTests {
    /// Compliant, so its extension attributes are available (Learn: only on Intune-managed, compliant or hybrid-joined
    /// devices).
    static let registered = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                                   properties: ["extensionAttribute1": "SAW-Laptop", "trustType": "AzureAD"])

    func truth(_ rule: String, _ device: Device) throws -> Truth {
        var missing: [String] = []
        return try DeviceFilterParser.parse(rule).evaluate(on: device, unknownProperties: &missing)
    }

    @Test func parsesWithPrecedenceAndCaseInsensitivity() throws {
        let rule = try DeviceFilterParser.parse(
            #"DEVICE.TrustType -EQ "ServerAD" -or device.extensionattribute1 -startswith 'SAW' -AND device.model -in ["a", "b"]"#)
        let expected = DeviceRule.or([
            .comparison(.init(property: "trustType", operator: .eq, values: ["ServerAD"])),
            .and([
                .comparison(.init(property: "extensionAttribute1", operator: .startsWith, values: ["SAW"])),
                .comparison(.init(property: "model", operator: .in, values: ["a", "b"])),
            ]),
        ])
        #expect(rule == expected)
        let grouped = try DeviceFilterParser.parse(
            #"(device.model -eq "a" -or device.model -eq "b") -and device.isCompliant -eq True"#)
        guard case .and(let terms) = grouped, terms.count == 2, case .or = terms[0] else {
            Issue.record("parentheses not honoured: \(grouped)")
            return
        }
        #expect(try DeviceFilterParser.parse(#"device.displayName -eq "a `"quoted`" name""#)
            == .comparison(.init(property: "displayName", operator: .eq, values: [#"a "quoted" name"#])))
    }

    @Test("Rules that do not parse name the problem", arguments: [
        (#"device.colour -eq "red""#, "cannot read property"),
        (#"device.model -match "x""#, "expected an operator"),
        (#"device.model -eq "x"#, "unterminated string"),
        (#"(device.model -eq "x""#, "expected ')'"),
        (#"device.model -in "x""#, "expected a list"),
        (#"device.trustType -startsWith "Azure""#, "not supported for device.trustType"),
        (#"device.model -eq "x" device.model"#, "unexpected"),
        (#"model -eq "x""#, "expected device.<property>"),
        (#"device.model -eq "x" -and"#, "expected device.<property>"),
        (#"device.model -in ["a" "b"]"#, "expected ',' or ']'"),
        (#"device.model -eq "x" ; "#, "unexpected character"),
        ("", "expected device.<property>"),
    ])
    func parseErrors(rule: String, message: String) {
        do {
            _ = try DeviceFilterParser.parse(rule)
            Issue.record("\(rule) parsed")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    /// Learn, "filter for devices": an unregistered device has every property null; positive operators are false,
    /// negative ones true.
    @Test("Unregistered device: positive operators false, negative true", arguments: DeviceFilterOperator.allCases)
    func unregistered(op: DeviceFilterOperator) throws {
        let value = op == .in || op == .notIn ? #"["SAW"]"# : #""SAW""#
        let rule = "device.extensionAttribute1 -\(op.rawValue) \(value)"
        #expect(try truth(rule, .unregistered) == (op.isNegative ? .yes : .no))
    }

    @Test("Registered device: each operator on a known value", arguments: [
        ("-eq \"saw-laptop\"", Truth.yes), ("-eq \"SAW\"", .no), ("-ne \"SAW\"", .yes), ("-ne \"SAW-Laptop\"", .no),
        ("-startsWith \"SAW\"", .yes), ("-startsWith \"Laptop\"", .no), ("-notStartsWith \"SAW\"", .no),
        ("-notStartsWith \"x\"", .yes), ("-endsWith \"laptop\"", .yes), ("-endsWith \"SAW\"", .no),
        ("-notEndsWith \"Laptop\"", .no), ("-notEndsWith \"x\"", .yes), ("-contains \"W-L\"", .yes),
        ("-contains \"zz\"", .no), ("-notContains \"W-L\"", .no), ("-notContains \"zz\"", .yes),
        ("-in [\"x\", \"SAW-LAPTOP\"]", .yes), ("-in [\"x\"]", .no), ("-notIn [\"SAW-Laptop\"]", .no),
        ("-notIn []", .yes),
    ])
    func registered(condition: String, expected: Truth) throws {
        #expect(try truth("device.extensionAttribute1 \(condition)", Self.registered) == expected)
    }

    @Test func registeredDeviceMissingPropertyIsUnknownUnlessDecided() throws {
        var missing: [String] = []
        let rule = try DeviceFilterParser.parse(#"device.model -eq "Surface""#)
        #expect(rule.evaluate(on: Self.registered, unknownProperties: &missing) == .unknown)
        #expect(missing == ["model"])
        #expect(try truth(#"device.model -eq "x" -and device.trustType -eq "ServerAD""#, Self.registered) == .no)
        #expect(try truth(#"device.model -eq "x" -or device.trustType -eq "AzureAD""#, Self.registered) == .yes)
        #expect(try truth(#"device.model -eq "x" -or device.trustType -eq "ServerAD""#, Self.registered) == .unknown)
        let empty = Device(isRegistered: true, isCompliant: false, isHybridJoined: false, properties: ["model": ""])
        #expect(try truth(#"device.model -ne "x""#, empty) == .yes, "an empty value is null")
    }

    @Test func collectionsContainWholeElements() throws {
        let device = Device(isRegistered: true, isCompliant: false, isHybridJoined: false,
                            properties: ["systemLabels": "M365Managed, MultiUser", "physicalIds": "[ZTDId]:abc"])
        #expect(try truth(#"device.systemLabels -contains "multiuser""#, device) == .yes)
        #expect(try truth(#"device.systemLabels -contains "Multi""#, device) == .no)
        #expect(try truth(#"device.systemLabels -notContains "AzureResource""#, device) == .yes)
        #expect(try truth(#"device.physicalIds -contains "[ZTDId]:abc""#, device) == .yes)
        #expect(try truth(#"device.model -contains "urf""#, Device(
            isRegistered: true, isCompliant: false, isHybridJoined: false, properties: ["model": "Surface"])) == .yes)
    }

    @Test func flagsGiveIsCompliantAndTrustType() throws {
        let hybrid = Device(isRegistered: true, isCompliant: true, isHybridJoined: true, properties: [:])
        #expect(try truth("device.isCompliant -eq True", hybrid) == .yes)
        #expect(try truth(#"device.trustType -eq "ServerAD""#, hybrid) == .yes)
        let compliant = Device(isRegistered: true, isCompliant: true, isHybridJoined: false, properties: [:])
        #expect(try truth(#"device.trustType -eq "AzureAD""#, compliant) == .unknown)
        #expect(try truth("device.isCompliant -ne True", compliant) == .no)
    }

    // MARK: The condition in a policy

    func verdict(mode: String, rule: String, device: Device) -> PolicyVerdict? {
        var tenant = AccessTestTenant()
        tenant.addUser("u1", methods: ["microsoftAuthenticator"])
        tenant.policies = [accessPolicy("Filtered", grant: ["block"]) {
            $0.devices = .init(deviceFilter: .init(mode: mode, rule: rule))
        }]
        return tenant.evaluator.evaluate(SignInContext(userID: "u1", device: device)).verdict("Filtered")
    }

    @Test func includeModeAppliesWhenTheRuleMatches() {
        // "Block everything but privileged access workstations": unregistered devices are not SAWs.
        let sawRule = #"device.extensionAttribute1 -ne "SAW""#
        #expect(verdict(mode: "include", rule: sawRule, device: .unregistered)?.applies == .yes)
        let saw = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                         properties: ["extensionAttribute1": "SAW"])
        #expect(verdict(mode: "include", rule: sawRule, device: saw)?.applies == Applicability.no)
        #expect(verdict(mode: "include", rule: #"device.model -eq "x""#, device: .unregistered)?.applies == .no)
    }

    @Test func excludeModeExcludesMatchingDevices() {
        let saw = Device(isRegistered: true, isCompliant: true, isHybridJoined: false,
                         properties: ["extensionAttribute1": "SAW"])
        let rule = #"device.extensionAttribute1 -eq "SAW""#
        let excluded = verdict(mode: "exclude", rule: rule, device: saw)
        #expect(excluded?.applies == Applicability.no)
        #expect(excluded?.reasons.last == "device excluded by the device filter (extensionAttribute1=SAW)")
        #expect(verdict(mode: "exclude", rule: rule, device: .unregistered)?.applies == .yes)
    }

    @Test func unknownPropertiesAndParseErrorsMakeThePolicyUnknownAndApplying() {
        let registered = Device(isRegistered: true, isCompliant: false, isHybridJoined: false, properties: [:])
        for mode in ["include", "exclude"] {
            let unknown = verdict(mode: mode, rule: #"device.model -eq "Surface""#, device: registered)
            #expect(unknown?.applies == .unknown)
            #expect(unknown?.isEnforced == true)
            #expect(unknown?.reasons.contains { $0.contains("model not given") } == true)
        }
        let broken = verdict(mode: "include", rule: #"device.model -like "x""#, device: .unregistered)
        #expect(broken?.applies == .unknown)
        #expect(broken?.reasons.contains { $0.contains("does not parse") } == true)
    }
}

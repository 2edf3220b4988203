import Foundation
import Testing

/// The yardstick's own rules, each against the Learn text it follows, so a disagreement in the differential test
/// points at the evaluator and not at a broken model.
@Suite("Differential: the reference model")
struct ReferenceModelTests {
    /// Learn, "Filter for devices", policy behaviour table: on an unregistered device every property is null,
    /// positive operators do not match and negative ones do.
    @Test("Unregistered device: positive operators false, negative true", arguments: [
        ("device.extensionAttribute1 -eq \"SAW\"", Tri.no), ("device.extensionAttribute1 -ne \"SAW\"", .yes),
        ("device.model -startsWith \"Surface\"", .no), ("device.model -notStartsWith \"Surface\"", .yes),
        ("device.operatingSystem -in [\"Windows\",\"iOS\"]", .no), ("device.trustType -notIn [\"AzureAD\"]", .yes),
        ("device.physicalIds -contains \"[ZTDId]:1\"", .no), ("device.systemLabels -notContains \"M365Managed\"", .yes),
    ])
    func unregisteredDevice(rule: String, expected: Tri) throws {
        #expect(try ModelDeviceRule.parse(rule).evaluate { _ in .null } == expected)
    }

    /// Learn, "Rules for dynamic membership groups": -and binds tighter than -or; string comparison ignores case.
    @Test func precedenceAndCase() throws {
        let rule = try ModelDeviceRule.parse(
            "device.model -eq \"a\" -or device.model -eq \"b\" -and device.displayName -eq \"x\"")
        let values: [String: ModelDeviceRule.Value] = ["model": .text("A"), "displayname": .text("y")]
        #expect(rule.evaluate { values[$0] ?? .null } == .yes)
        let negated = try ModelDeviceRule.parse("-not (device.model -eq \"a\") -and device.isCompliant -eq \"True\"")
        #expect(negated.evaluate { values[$0] ?? .unknown } == .no)
    }

    /// Learn, "Filter for devices": extensionAttribute1-15 only for Intune-managed, compliant or hybrid-joined
    /// devices; spec: a registered device's properties not given are unknown, isCompliant follows the flags.
    @Test func registeredDeviceValues() {
        let unmanaged = ModelDevice(properties: ["extensionAttribute1": "SAW", "model": "Surface"])
        if case .null = unmanaged.value(of: "extensionAttribute1") {} else { Issue.record("expected null") }
        if case .text("Surface") = unmanaged.value(of: "MODEL") {} else { Issue.record("expected Surface") }
        if case .unknown = unmanaged.value(of: "operatingSystem") {} else { Issue.record("expected unknown") }
        if case .text("False") = unmanaged.value(of: "isCompliant") {} else { Issue.record("expected False") }
        let compliant = ModelDevice(isCompliant: true, properties: ["extensionAttribute1": "SAW"])
        if case .text("SAW") = compliant.value(of: "extensionAttribute1") {} else { Issue.record("expected SAW") }
        if case .unknown = compliant.value(of: "extensionAttribute2") {} else { Issue.record("expected unknown") }
        let hybrid = ModelDevice(isHybridJoined: true)
        if case .text("ServerAD") = hybrid.value(of: "trustType") {} else { Issue.record("expected ServerAD") }
    }

    @Test("CIDR ranges of every width, IPv4 and IPv6", arguments: [
        ("203.0.113.7/32", "203.0.113.7", true), ("203.0.113.7/32", "203.0.113.8", false),
        ("198.51.100.0/31", "198.51.100.1", true), ("198.51.100.0/31", "198.51.100.2", false),
        ("10.0.0.0/9", "10.127.255.255", true), ("10.0.0.0/9", "10.128.0.0", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false),
        ("2001:db8::5/128", "2001:DB8:0:0:0:0:0:5", true), ("2001:db8::/32", "203.0.113.7", false),
    ])
    func ranges(cidr: String, address: String, expected: Bool) throws {
        let range = try #require(ModelIPRange(cidr: cidr))
        let parsed = try #require(ModelIPAddress(address))
        #expect(range.contains(parsed) == expected)
    }

    @Test func ipv6IsWrittenCompressed() throws {
        #expect(try #require(ModelIPAddress("2001:0db8:0:0:0:0:0:1")).description == "2001:db8::1")
        #expect(try #require(ModelIPAddress("::")).description == "::")
        #expect(ModelIPAddress("2001:db8::1::2") == nil)
    }

    @Test func kleeneLogic() {
        #expect((Tri.no && .unknown) == .no)
        #expect((Tri.yes && .unknown) == .unknown)
        #expect((Tri.yes || .unknown) == .yes)
        #expect(!Tri.unknown == .unknown)
    }
}

import Foundation
import PropertyBased
import Testing

@testable import AccessPolicy

@Suite("AccessPolicy CIDR")
struct AccessPolicyCIDRTests {
    func contains(_ range: String, _ address: String) throws -> Bool {
        let range = try #require(CIDRRange(range), "range \(range)")
        let address = try #require(IPAddress(address), "address \(address)")
        return range.contains(address)
    }

    @Test("IPv4 boundaries", arguments: [
        ("10.0.0.0/8", "10.0.0.0", true), ("10.0.0.0/8", "10.255.255.255", true), ("10.0.0.0/8", "11.0.0.0", false),
        ("10.0.0.0/8", "9.255.255.255", false), ("0.0.0.0/0", "0.0.0.0", true), ("0.0.0.0/0", "255.255.255.255", true),
        ("203.0.113.7/32", "203.0.113.7", true), ("203.0.113.7/32", "203.0.113.6", false),
        ("203.0.113.7/32", "203.0.113.8", false), ("203.0.113.7", "203.0.113.7", true),
        ("192.168.1.77/24", "192.168.1.1", true), ("192.168.1.0/24", "192.168.2.0", false),
        ("198.51.100.128/25", "198.51.100.127", false), ("198.51.100.128/25", "198.51.100.255", true),
    ])
    func ipv4(range: String, address: String, expected: Bool) throws {
        #expect(try contains(range, address) == expected)
    }

    @Test("IPv6 boundaries", arguments: [
        ("::/0", "::", true), ("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
        ("2001:db8::1/128", "2001:db8::1", true), ("2001:db8::1/128", "2001:db8::2", false),
        ("2001:db8::1/128", "2001:db8::", false),
        ("2001:db8:0:1::/64", "2001:db8:0:1:ffff:ffff:ffff:ffff", true), ("2001:db8:0:1::/64", "2001:db8:0:1::", true),
        ("2001:db8:0:1::/64", "2001:db8:0:2::", false), ("2001:db8:0:1::/64", "2001:db8::ffff:ffff:ffff:ffff", false),
        ("2001:db8::/63", "2001:db8:0:1:ffff::", true), ("2001:db8::/63", "2001:db8:0:2::", false),
        ("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true), ("2001:db8::/65", "2001:db8::8000:0:0:0", false),
        ("2001:DB8::/32", "2001:db8:ffff::1", true), ("fe80::/10", "febf::1", true), ("fe80::/10", "fec0::1", false),
        ("::ffff:0:0/96", "::ffff:192.0.2.1", true),
    ])
    func ipv6(range: String, address: String, expected: Bool) throws {
        #expect(try contains(range, address) == expected)
    }

    @Test("Families never mix: IPv4-mapped IPv6 is not in an IPv4 range, IPv4 is not in ::/0", arguments: [
        ("10.0.0.0/8", "::ffff:10.0.0.1"), ("0.0.0.0/0", "::ffff:10.0.0.1"), ("0.0.0.0/0", "::1"),
        ("::/0", "10.0.0.1"), ("::ffff:0:0/96", "10.0.0.1"), ("::/96", "0.0.0.1"),
    ])
    func familiesDoNotMix(range: String, address: String) throws {
        #expect(try contains(range, address) == false)
    }

    @Test("Invalid ranges and addresses are refused", arguments: [
        "256.1.1.1/32", "1.2.3/24", "01.2.3.4/32", "1.2.3.4/33", "1.2.3.4/", "/8", "1.2.3.4/-1", "1.2.3.4/ 8",
        "::/129", "1::2::3/64", "fe80::1%eth0/128", "12345::/16", "gggg::/16", "1:2:3:4:5:6:7:8:9/128",
        "1:2:3:4:5:6:7/128", "[::1]/128", "::1.2.3.4.5/128", "1.2.3.4::/64", "", "a.b.c.d/8",
    ])
    func invalid(text: String) {
        #expect(CIDRRange(text) == nil)
    }

    @Test func parsesTheForms() throws {
        #expect(IPAddress("::")?.description == "0:0:0:0:0:0:0:0")
        #expect(IPAddress("1:2:3:4:5:6:7:8")?.description == "1:2:3:4:5:6:7:8")
        #expect(IPAddress("::ffff:1.2.3.4")?.description == "0:0:0:0:0:ffff:102:304")
        #expect(IPAddress("1:2:3:4:5:6:1.2.3.4")?.description == "1:2:3:4:5:6:102:304")
        #expect(IPAddress("2001:db8::")?.description == "2001:db8:0:0:0:0:0:0")
        #expect(CIDRRange("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDRRange("2001:db8::/32")?.network.family == .v6)
    }

    /// Any address is in every range built from itself; flipping a bit inside the prefix leaves the range, flipping
    /// one after it does not.
    @Test func prefixProperty() async {
        await propertyCheck(
            count: 300, input: Gen.bool, Gen.uint64(in: 0...UInt64.max), Gen.uint64(in: 0...UInt64.max),
            Gen.int(in: 0...128), Gen.int(in: 0...127)
        ) { isV4, high, low, rawPrefix, rawBit in
            let width = isV4 ? 32 : 128
            let prefix = rawPrefix % (width + 1)
            let address = isV4
                ? IPAddress(family: .v4, high: 0, low: low & 0xffff_ffff) : IPAddress(family: .v6, high: high, low: low)
            guard let range = CIDRRange("\(address)/\(prefix)") else {
                Issue.record("\(address)/\(prefix) did not parse")
                return
            }
            #expect(range.contains(address))
            let bit = rawBit % width  // 0 = most significant
            let flipped: IPAddress
            if isV4 {
                flipped = IPAddress(family: .v4, high: 0, low: address.low ^ (UInt64(1) << UInt64(31 - bit)))
            } else if bit < 64 {
                flipped = IPAddress(family: .v6, high: address.high ^ (UInt64(1) << UInt64(63 - bit)), low: address.low)
            } else {
                let mask = UInt64(1) << UInt64(127 - bit)
                flipped = IPAddress(family: .v6, high: address.high, low: address.low ^ mask)
            }
            #expect(range.contains(flipped) == (bit >= prefix), "bit \(bit) of \(address)/\(prefix)")
            #expect(IPAddress(address.description) == address)
        }
    }
}

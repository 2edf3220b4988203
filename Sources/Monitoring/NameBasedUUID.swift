import Crypto
import Foundation

/// A UUID derived from a name, so the same tenant and rule always get the same id: SHA-256 of the name, its first 16
/// bytes with the version and variant bits set. RFC 9562 gives name-based UUIDs over SHA-256 version 8 (version 5 is
/// SHA-1); any GUID parser, Sentinel's included, accepts it.
public enum NameBasedUUID {
    public static func make(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// The id of a Sentinel rule: stable for the same tenant and rule, different across tenants.
    public static func sentinelRule(tenantID: String, rule: String) -> String {
        make("breakglass/sentinel/\(tenantID.lowercased())/\(rule)")
    }
}

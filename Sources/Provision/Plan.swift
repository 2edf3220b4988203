import Crypto
import Custody
import EntraModel
import Foundation
import Posture

/// A reviewed change to a tenant: what will be done, why, the exact requests (never a secret), the tenant state it
/// was computed from, and the custodians' signatures over its hash.
public struct Plan: Codable, Sendable {
    public static let format = "breakglass plan v1"

    public enum Kind: String, Codable, Sendable { case provision, rotate }

    public var format: String
    public var kind: Kind
    public var tenantID: String
    public var tenantName: String?
    public var createdAt: String
    /// Where the tenant was read: `snapshot DIR` or `live`.
    public var source: String
    /// What the state covers, so `apply` reads the same things again.
    public var subjects: Subjects
    /// SHA-256 over the state items below.
    public var stateHash: String
    public var state: [StateItem]
    /// Who receives the share sheets of every password set: k of these n custodians recover it.
    public var shares: ShareRecipients
    /// What the plan cannot do itself (for example registering a FIDO2 key), for the people applying it.
    public var notes: [String]
    public var steps: [PlanStep]
    public var signatures: [PlanSignature]

    public struct Subjects: Codable, Sendable, Hashable {
        /// UPNs (provision) or object ids (rotate) of the emergency accounts.
        public var accounts: [String]
        /// The exclusion group: its display name, or the configured id.
        public var groupName: String?
        public var groupID: String?
        public var includesPolicies: Bool
        /// The restricted-management administrative unit (BG016): its display name when the plan creates it, or the
        /// id of the existing one it reuses. Both nil when the plan leaves units alone (unknown, or plans before it).
        public var administrativeUnitName: String? = nil
        public var administrativeUnitID: String? = nil
    }

    public struct ShareRecipients: Codable, Sendable, Hashable {
        public var threshold: Int
        public var custodians: [String]
    }

    /// SHA-256 over the plan's canonical JSON without its signatures: what custodians sign.
    public var hash: String {
        var unsigned = self
        unsigned.signatures = []
        return Self.hex(SHA256.hash(data: (try? Self.canonicalEncoder.encode(unsigned)) ?? Data()))
    }

    /// The bytes an approval signs: a domain line and the hash.
    public var approvalMessage: Data { Data("breakglass plan approval v1\n\(hash)\n".utf8) }

    static var canonicalEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public static func load(atPath path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProvisionError.unreadable(path: path, reason: "no such file or not readable")
        }
        let plan: Plan
        do {
            plan = try JSONDecoder().decode(Plan.self, from: data)
        } catch {
            throw ProvisionError.unreadable(path: path, reason: "not a breakglass plan (\(error))")
        }
        guard plan.format == format else {
            throw ProvisionError.unreadable(path: path, reason: "format '\(plan.format)' is not '\(format)'")
        }
        return plan
    }

    /// Writes atomically (a temporary file, then a rename).
    public func write(toPath path: String) throws {
        do {
            try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ProvisionError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Adds `key`'s signature (replacing an earlier one by the same custodian).
    public mutating func approve(with key: CustodianKey, at date: Date = Date()) throws {
        let signature = try key.sign(approvalMessage)
        signatures.removeAll { $0.custodian.lowercased() == key.name.lowercased() }
        signatures.append(PlanSignature(custodian: key.name, publicKey: key.publicKey.description,
                                        signature: signature.base64EncodedString(), signedAt: PlanClock.text(date)))
    }

    /// The custodians whose signatures verify with the key breakglass.yml lists for them; throws unless at least
    /// `custody.approvals` distinct custodians signed.
    public func verifyApprovals(_ custody: Configuration.Custody) throws -> [String] {
        var valid: [String] = []
        var problems: [String] = []
        let message = approvalMessage
        for signature in signatures {
            guard let custodian = custody.custodians.first(where: { $0.name.lowercased() == signature.custodian.lowercased() })
            else {
                problems.append("\(signature.custodian) is not a custodian in breakglass.yml")
                continue
            }
            guard let listed = custodian.publicKey.flatMap(CustodianPublicKey.init(text:)) else {
                problems.append("\(custodian.name) has no publicKey in breakglass.yml")
                continue
            }
            guard CustodianPublicKey(text: signature.publicKey) == listed else {
                problems.append("\(custodian.name) signed with a key that is not the one in breakglass.yml")
                continue
            }
            guard let bytes = Data(base64Encoded: signature.signature), listed.verifies(bytes, over: message) else {
                problems.append("\(custodian.name)'s signature does not match this plan (it was changed after signing)")
                continue
            }
            if !valid.contains(where: { $0.lowercased() == custodian.name.lowercased() }) { valid.append(custodian.name) }
        }
        guard valid.count >= custody.approvals else {
            throw ProvisionError.notApproved(required: custody.approvals, valid: valid, problems: problems)
        }
        return valid
    }
}

public struct PlanSignature: Codable, Sendable, Hashable {
    public var custodian: String
    public var publicKey: String
    /// base64 Ed25519 signature over `Plan.approvalMessage`.
    public var signature: String
    public var signedAt: String
}

/// One change. `request` is exactly what `apply` sends, with placeholders for what does not exist yet:
/// `{{user:UPN}}`, `{{group}}` and `{{administrative-unit}}` (object ids created by earlier steps), `{{graph}}` (the Graph base URL) and
/// `{{generated-password}}` (made at apply, split to the custodians, never written anywhere whole).
public struct PlanStep: Codable, Sendable, Hashable {
    public enum Action: String, Codable, Sendable {
        case createUser, setPasswordNeverExpires, createGroup, addMember, assignRole, excludeFromPolicy
        case deployDiagnosticSetting, deployAlertRules, setPassword
        case createAdministrativeUnit, addAdministrativeUnitMember, removeAdministrativeUnitMember
    }

    public var id: String
    public var action: Action
    public var what: String
    public var why: String
    /// Check ids this step makes pass.
    public var fixes: [String]
    public var precondition: String
    public var request: PlanRequest
    /// The Key Vault copy of a generated password (a new secret version), sent before the password is set.
    public var keyVault: PlanRequest?
    /// State items this step changes.
    public var touches: [String]
    /// What the step acts on: `upn`, `userID`, `policyID`, `groupName`, `administrativeUnitName`, `administrativeUnitID`;
    /// a step taking an account out of a unit names the step that puts it back (`rejoinStep`).
    public var parameters: [String: String]
    /// The least-privileged application permission the request needs, as Learn's page for it names it.
    public var permission: String? = nil
}

public struct PlanRequest: Codable, Sendable, Hashable {
    public enum Service: String, Codable, Sendable { case graph, arm, keyVault }

    public var service: Service
    public var method: String
    /// Graph: after the version (`/users`); ARM: from the root; Key Vault: `/secrets/{name}`.
    public var path: String
    public var apiVersion: String?
    public var body: JSONValue?

    public var summary: String { "\(method) \(path)\(apiVersion.map { "?api-version=\($0)" } ?? "")" }
}

public enum PlanPlaceholder {
    public static let password = "{{generated-password}}"
    public static let group = "{{group}}"
    public static let administrativeUnit = "{{administrative-unit}}"
    public static let graph = "{{graph}}"
    public static func user(_ upn: String) -> String { "{{user:\(upn.lowercased())}}" }
}

enum PlanClock {
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

import CYaml
import Foundation
import SafeInput
import Yams

/// `breakglass.yml` (spec/config.md). Secrets are never in it: it names environment variables.
public struct Configuration: Sendable, Hashable {
    public var tenant: String?
    public var cloud: String = "global"
    public var emergencyAccounts: [AccountReference] = []
    public var exclusionGroup: String?
    /// The restricted-management administrative unit holding the emergency accounts (BG016), by object id (optional).
    public var administrativeUnit: String?
    public var guidance = Guidance()
    public var custody = Custody()
    public var monitoring = Monitoring()
    public var runbook = Runbook()
    /// Several tenants for `breakglass watch` (an MSP's customers), each with its accounts and credentials; empty: the
    /// one tenant above, with the Azure SDK environment variables.
    public var tenants: [Tenant] = []

    public init() {}

    /// An emergency account as the configuration names it: by object id (preferred) or UPN.
    public enum AccountReference: Sendable, Hashable, CustomStringConvertible {
        case id(String)
        case userPrincipalName(String)

        public var description: String {
            switch self {
            case .id(let id): "id \(id)"
            case .userPrincipalName(let upn): upn
            }
        }

        public var key: String {
            switch self {
            case .id(let value), .userPrincipalName(let value): value
            }
        }
    }

    /// Thresholds with defaults from Microsoft's current guidance (spec/config.md).
    public struct Guidance: Sendable, Hashable {
        public var minAccounts = 2
        public var maxGlobalAdmins = 8
        public var requirePhishingResistantMfa = true
        public var maxPasswordAgeDays = 90
        public var rotationGraceHours = 24
        public var drillIntervalDays = 90
        public var maxRoutineSignIns = 2
        public var allowedExclusions: [String] = []
        /// Applications (appId, service principal object id or display name) allowed to hold a take-over
        /// permission (BG023).
        public var allowedPrivilegedApps: [String] = []
        /// The most principals that may have a take-over path to an emergency account (BG024).
        public var maxTakeoverPrincipals = 8

        public init() {}
    }

    public struct Custody: Sendable, Hashable {
        /// k: how many share sheets recover a password.
        public var threshold = 2
        public var custodians: [Custodian] = []
        /// How many distinct custodians must sign a plan before `apply` runs it.
        public var approvals = 2
        /// The custody ledger (relative to the configuration file): `audit` reads the drills recorded in it (BG062,
        /// BG063) and `watch` acknowledges a drill's sign-in.
        public var ledger: String?

        public init() {}

        public var custodianNames: [String] { custodians.map(\.name) }
    }

    /// A custodian: a name (as a bare list item, the older form) or `{name, publicKey}`, where `publicKey` is the
    /// `ed25519:…` line `breakglass custodian enroll` prints.
    public struct Custodian: Sendable, Hashable {
        public var name: String
        public var publicKey: String?

        public init(name: String, publicKey: String? = nil) {
            self.name = name
            self.publicKey = publicKey
        }
    }

    public struct Monitoring: Sendable, Hashable {
        public var notify: [Notifier] = []
        public var watch = Watch()

        public init() {}
    }

    /// What the printed runbook says about people (`breakglass runbook`), and where the current one is kept (BG064).
    public struct Runbook: Sendable, Hashable {
        /// Who may authorise use of the emergency accounts (names or roles, as the organisation says them).
        public var authorizers: [String] = []
        /// Where each custodian keeps their share sheet, by custodian name.
        public var sheetLocations: [String: String] = [:]
        /// The runbook on file (relative to the configuration file), which `audit` compares with the tenant.
        public var file: String?

        public init() {}
    }

    public struct Notifier: Sendable, Hashable {
        /// `webhook`, `teams`, `slack`, `pagerduty` or `email`.
        public var type: String
        public var url: String?
        public var address: String?
        /// The webhook's signing secret or PagerDuty's routing key: an environment variable or a file.
        public var secretEnv: String?
        public var secretFile: String?
        /// A URL that is itself a secret (Teams Workflows, Slack): an environment variable or a file.
        public var urlEnv: String?
        public var urlFile: String?
    }

    /// `monitoring.watch`: the watch service's polling, its page and its webhook.
    public struct Watch: Sendable, Hashable {
        public var pollIntervalSeconds = 60
        /// How far behind its last poll each poll reads again (Graph's logs arrive minutes late).
        public var overlapMinutes = 30
        public var auditIntervalHours = 6
        /// The page's address as people reach it (links in notifications).
        public var publicURL: String?
        /// The page's and API's access token.
        public var tokenEnv: String?
        public var tokenFile: String?
        /// The secret Azure Monitor puts in the webhook URL.
        public var webhookSecretEnv: String?
        public var webhookSecretFile: String?
        /// Entra ID bearer tokens of a secure webhook: the accepted audiences and the issuing tenant.
        public var entraAudiences: [String] = []
        public var entraTenant: String?

        public init() {}
    }

    /// One tenant of `tenants:`.
    public struct Tenant: Sendable, Hashable {
        /// Tenant id or initial domain.
        public var tenant: String
        public var name: String?
        public var cloud: String?
        /// Graph and sign-in hosts instead of the cloud's (the emulator).
        public var graphEndpoint: String?
        public var authority: String?
        public var emergencyAccounts: [AccountReference] = []
        public var exclusionGroup: String?
        public var credentials = Credentials()

        public init(tenant: String) { self.tenant = tenant }
    }

    /// A tenant's app credentials by reference: names of environment variables or files, never secrets.
    public struct Credentials: Sendable, Hashable {
        public var clientId: String?
        public var clientSecretEnv: String?
        public var clientSecretFile: String?
        /// PEM with the certificate and its key.
        public var certificateFile: String?
        /// A ready bearer token.
        public var tokenEnv: String?

        public init() {}

        public var isEmpty: Bool {
            clientId == nil && clientSecretEnv == nil && clientSecretFile == nil && certificateFile == nil && tokenEnv == nil
        }
    }

    /// The configuration one tenant of `tenants:` is audited and watched with: the shared guidance, its own accounts
    /// and exclusion group.
    public func configuration(for entry: Tenant) -> Configuration {
        var configuration = self
        configuration.tenants = []
        configuration.tenant = entry.tenant
        if let cloud = entry.cloud { configuration.cloud = cloud }
        if !entry.emergencyAccounts.isEmpty { configuration.emergencyAccounts = entry.emergencyAccounts }
        if let group = entry.exclusionGroup { configuration.exclusionGroup = group }
        return configuration
    }
}

public enum ConfigurationError: Error, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case notYAML(file: String, line: Int?, reason: String)
    case unknownKey(file: String, key: String, line: Int)
    case wrongType(file: String, key: String, line: Int, expected: String)
    case invalidValue(file: String, key: String, line: Int, reason: String)
}

extension ConfigurationError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .notYAML(let file, let line, let reason): "\(file)\(line.map { ":\($0)" } ?? ""): not valid YAML: \(reason)"
        case .unknownKey(let file, let key, let line): "\(file):\(line): unknown key '\(key)'"
        case .wrongType(let file, let key, let line, let expected): "\(file):\(line): '\(key)' must be \(expected)"
        case .invalidValue(let file, let key, let line, let reason): "\(file):\(line): '\(key)': \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

extension Configuration {
    public static let clouds = ["global", "usgov", "usgovhigh", "dod", "china"]

    public static func load(_ url: URL) throws -> Configuration {
        let data = try InputFile.read(atPath: url.path, limit: InputFile.configurationLimit)
        return try parse(String(decoding: data, as: UTF8.self), file: url.lastPathComponent)
    }

    /// Parses and validates strictly: an unknown key or a wrong type names the key and its line.
    public static func parse(_ yaml: String, file: String = "breakglass.yml") throws -> Configuration {
        guard yaml.utf8.count <= InputFile.configurationLimit else {
            throw ConfigurationError.unreadable(
                file: file, reason: "larger than \(InputFile.describe(bytes: InputFile.configurationLimit))")
        }
        if let line = firstAnchorOrAlias(in: yaml) {
            // An alias repeats its anchor's node: nested, they make a small file stand for exponentially many
            // nodes, and composing them takes exponential time. This file has no use for them.
            throw ConfigurationError.notYAML(
                file: file, line: line, reason: "YAML anchors and aliases (&name, *name) are not allowed in this file")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigurationError.notYAML(file: file, line: nil, reason: "\(error)".split(separator: "\n").first.map(String.init) ?? "")
        } catch {
            throw ConfigurationError.notYAML(file: file, line: nil, reason: "\(error)")
        }
        var config = Configuration()
        guard let root else { return config }
        let reader = YAMLReader(file: file)
        try reader.mapping(root, path: "") { key, value, path in
            switch key {
            case "tenant": config.tenant = try reader.string(value, path)
            case "cloud":
                let cloud = try reader.string(value, path)
                guard clouds.contains(cloud) else {
                    throw reader.invalid(value, path, "must be one of \(clouds.joined(separator: ", "))")
                }
                config.cloud = cloud
            case "emergencyAccounts":
                config.emergencyAccounts = try reader.sequence(value, path) { try Self.account($0, $1, reader) }
            case "exclusionGroup": config.exclusionGroup = try reader.string(value, path)
            case "administrativeUnit": config.administrativeUnit = try reader.string(value, path)
            case "guidance": try config.guidance.read(value, path, reader)
            case "custody":
                try reader.mapping(value, path: path) { key, value, path in
                    switch key {
                    case "threshold": config.custody.threshold = try reader.int(value, path, range: 2...255)
                    case "approvals": config.custody.approvals = try reader.int(value, path, range: 1...255)
                    case "ledger": config.custody.ledger = try reader.string(value, path)
                    case "custodians":
                        config.custody.custodians = try reader.sequence(value, path) { item, itemPath in
                            if case .scalar = item { return Custodian(name: try reader.string(item, itemPath)) }
                            var custodian = Custodian(name: "")
                            try reader.mapping(item, path: itemPath) { key, value, path in
                                switch key {
                                case "name": custodian.name = try reader.string(value, path)
                                case "publicKey":
                                    let key = try reader.string(value, path)
                                    guard key.hasPrefix("ed25519:"), let raw = Data(base64Encoded: String(key.dropFirst(8))),
                                          raw.count == 32 else {
                                        throw reader.invalid(value, path, "must be the ed25519:… line `breakglass custodian enroll` printed")
                                    }
                                    custodian.publicKey = key
                                default: return false
                                }
                                return true
                            }
                            guard !custodian.name.isEmpty else { throw reader.invalid(item, itemPath, "needs a name") }
                            return custodian
                        }
                        let names = config.custody.custodians.map { $0.name.lowercased() }
                        if Set(names).count != names.count {
                            throw reader.invalid(value, path, "names a custodian twice")
                        }
                    default: return false
                    }
                    return true
                }
            case "monitoring":
                try reader.mapping(value, path: path) { key, value, path in
                    switch key {
                    case "notify": config.monitoring.notify = try reader.sequence(value, path) { try Self.notifier($0, $1, reader) }
                    case "watch": try config.monitoring.watch.read(value, path, reader)
                    default: return false
                    }
                    return true
                }
            case "runbook": try config.runbook.read(value, path, reader)
            case "tenants":
                config.tenants = try reader.sequence(value, path) { try Self.tenant($0, $1, reader) }
                var seen = Set<String>()
                for (index, entry) in config.tenants.enumerated() where !seen.insert(entry.tenant.lowercased()).inserted {
                    throw ConfigurationError.invalidValue(file: file, key: "tenants[\(index)].tenant", line: reader.line(value),
                                                          reason: "\(entry.tenant) is listed twice")
                }
            default: return false
            }
            return true
        }
        return config
    }
}

extension Configuration {
    fileprivate static func notifier(_ item: Node, _ itemPath: String, _ reader: YAMLReader) throws -> Notifier {
        var notifier = Notifier(type: "")
        try reader.mapping(item, path: itemPath) { key, value, path in
            switch key {
            case "type":
                notifier.type = try reader.string(value, path)
                let types = ["webhook", "teams", "slack", "pagerduty", "email"]
                guard types.contains(notifier.type) else {
                    throw reader.invalid(value, path, "must be one of \(types.joined(separator: ", "))")
                }
            case "url": notifier.url = try reader.string(value, path)
            case "address": notifier.address = try reader.string(value, path)
            case "secretEnv": notifier.secretEnv = try reader.string(value, path)
            case "secretFile": notifier.secretFile = try reader.string(value, path)
            case "urlEnv": notifier.urlEnv = try reader.string(value, path)
            case "urlFile": notifier.urlFile = try reader.string(value, path)
            default: return false
            }
            return true
        }
        guard !notifier.type.isEmpty else { throw reader.invalid(item, itemPath, "needs a type") }
        if notifier.secretEnv != nil, notifier.secretFile != nil {
            throw reader.invalid(item, itemPath, "give secretEnv or secretFile, not both")
        }
        if notifier.urlEnv != nil, notifier.urlFile != nil {
            throw reader.invalid(item, itemPath, "give urlEnv or urlFile, not both")
        }
        return notifier
    }

    fileprivate static func tenant(_ item: Node, _ itemPath: String, _ reader: YAMLReader) throws -> Tenant {
        var entry = Tenant(tenant: "")
        try reader.mapping(item, path: itemPath) { key, value, path in
            switch key {
            case "tenant": entry.tenant = try reader.string(value, path)
            case "name": entry.name = try reader.string(value, path)
            case "cloud":
                let cloud = try reader.string(value, path)
                guard clouds.contains(cloud) else {
                    throw reader.invalid(value, path, "must be one of \(clouds.joined(separator: ", "))")
                }
                entry.cloud = cloud
            case "graphEndpoint": entry.graphEndpoint = try reader.url(value, path)
            case "authority": entry.authority = try reader.url(value, path)
            case "emergencyAccounts":
                entry.emergencyAccounts = try reader.sequence(value, path) { try Self.account($0, $1, reader) }
            case "exclusionGroup": entry.exclusionGroup = try reader.string(value, path)
            case "credentials":
                try reader.mapping(value, path: path) { key, value, path in
                    switch key {
                    case "clientId": entry.credentials.clientId = try reader.string(value, path)
                    case "clientSecretEnv": entry.credentials.clientSecretEnv = try reader.string(value, path)
                    case "clientSecretFile": entry.credentials.clientSecretFile = try reader.string(value, path)
                    case "certificateFile": entry.credentials.certificateFile = try reader.string(value, path)
                    case "tokenEnv": entry.credentials.tokenEnv = try reader.string(value, path)
                    default: return false
                    }
                    return true
                }
                let credentials = entry.credentials
                let kinds = [credentials.clientSecretEnv, credentials.clientSecretFile, credentials.certificateFile,
                             credentials.tokenEnv].compactMap { $0 }
                guard kinds.count == 1 else {
                    throw reader.invalid(value, path, "give exactly one of clientSecretEnv, clientSecretFile, certificateFile or tokenEnv")
                }
                if credentials.tokenEnv == nil, credentials.clientId == nil {
                    throw reader.invalid(value, path, "needs clientId (the app registration's id)")
                }
            default: return false
            }
            return true
        }
        guard !entry.tenant.isEmpty else { throw reader.invalid(item, itemPath, "needs a tenant (id or initial domain)") }
        return entry
    }

    fileprivate static func account(_ item: Node, _ itemPath: String, _ reader: YAMLReader) throws -> AccountReference {
        var reference: AccountReference?
        try reader.mapping(item, path: itemPath) { key, value, path in
            switch key {
            case "id": reference = .id(try reader.string(value, path))
            case "userPrincipalName": reference = .userPrincipalName(try reader.string(value, path))
            default: return false
            }
            return true
        }
        guard let reference else { throw reader.invalid(item, itemPath, "give an id or a userPrincipalName") }
        return reference
    }
}

extension Configuration.Watch {
    fileprivate mutating func read(_ node: Node, _ path: String, _ reader: YAMLReader) throws {
        try reader.mapping(node, path: path) { key, value, path in
            switch key {
            case "pollIntervalSeconds": pollIntervalSeconds = try reader.int(value, path, range: 1...86_400)
            case "overlapMinutes": overlapMinutes = try reader.int(value, path, range: 0...1440)
            case "auditIntervalHours": auditIntervalHours = try reader.int(value, path, range: 1...720)
            case "publicUrl": publicURL = try reader.url(value, path)
            case "tokenEnv": tokenEnv = try reader.string(value, path)
            case "tokenFile": tokenFile = try reader.string(value, path)
            case "webhookSecretEnv": webhookSecretEnv = try reader.string(value, path)
            case "webhookSecretFile": webhookSecretFile = try reader.string(value, path)
            case "entraAudiences": entraAudiences = try reader.sequence(value, path) { try reader.string($0, $1) }
            case "entraTenant": entraTenant = try reader.string(value, path)
            default: return false
            }
            return true
        }
    }
}

extension Configuration.Runbook {
    fileprivate mutating func read(_ node: Node, _ path: String, _ reader: YAMLReader) throws {
        try reader.mapping(node, path: path) { key, value, path in
            switch key {
            case "authorizers": authorizers = try reader.sequence(value, path) { try reader.string($0, $1) }
            case "file": file = try reader.string(value, path)
            case "sheetLocations":
                var locations: [String: String] = [:]
                try reader.mapping(value, path: path) { name, location, path in
                    locations[name] = try reader.string(location, path)
                    return true
                }
                sheetLocations = locations
            default: return false
            }
            return true
        }
    }
}

extension Configuration {
    /// The line of the first anchor (`&name`) or alias (`*name`), from libyaml's event stream: linear in the text,
    /// before anything is composed (composing a document of nested aliases takes time exponential in its size).
    /// Nil when there is none, or when the text is not YAML (the composer then reports the error).
    static func firstAnchorOrAlias(in yaml: String) -> Int? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let hasAnchor: Bool
                switch event.type {
                case YAML_STREAM_END_EVENT: return nil
                case YAML_ALIAS_EVENT: hasAnchor = true
                case YAML_SCALAR_EVENT: hasAnchor = event.data.scalar.anchor != nil
                case YAML_SEQUENCE_START_EVENT: hasAnchor = event.data.sequence_start.anchor != nil
                case YAML_MAPPING_START_EVENT: hasAnchor = event.data.mapping_start.anchor != nil
                default: hasAnchor = false
                }
                if hasAnchor { return Int(event.start_mark.line) + 1 }
            }
        }
    }
}

extension Configuration.Guidance {
    fileprivate mutating func read(_ node: Node, _ path: String, _ reader: YAMLReader) throws {
        try reader.mapping(node, path: path) { key, value, path in
            switch key {
            case "minAccounts": minAccounts = try reader.int(value, path, range: 1...100)
            case "maxGlobalAdmins": maxGlobalAdmins = try reader.int(value, path, range: 2...1000)
            case "requirePhishingResistantMfa": requirePhishingResistantMfa = try reader.bool(value, path)
            case "maxPasswordAgeDays": maxPasswordAgeDays = try reader.int(value, path, range: 1...3650)
            case "rotationGraceHours": rotationGraceHours = try reader.int(value, path, range: 0...8760)
            case "drillIntervalDays": drillIntervalDays = try reader.int(value, path, range: 1...3650)
            case "maxRoutineSignIns": maxRoutineSignIns = try reader.int(value, path, range: 0...1000)
            case "allowedExclusions": allowedExclusions = try reader.sequence(value, path) { try reader.string($0, $1) }
            case "allowedPrivilegedApps":
                allowedPrivilegedApps = try reader.sequence(value, path) { try reader.string($0, $1) }
            case "maxTakeoverPrincipals": maxTakeoverPrincipals = try reader.int(value, path, range: 0...100_000)
            default: return false
            }
            return true
        }
    }
}

/// Walks a composed YAML tree, keeping line numbers for errors.
struct YAMLReader {
    let file: String

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func invalid(_ node: Node, _ path: String, _ reason: String) -> ConfigurationError {
        .invalidValue(file: file, key: path, line: line(node), reason: reason)
    }

    /// Calls `body` for each key; `body` returns false for a key it does not know.
    func mapping(_ node: Node, path: String, _ body: (String, Node, String) throws -> Bool) throws {
        guard case .mapping(let mapping) = node else {
            throw ConfigurationError.wrongType(file: file, key: path.isEmpty ? "(top level)" : path, line: line(node),
                                               expected: "a mapping of keys")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard try body(key, value, keyPath) else {
                throw ConfigurationError.unknownKey(file: file, key: keyPath, line: line(keyNode))
            }
        }
    }

    func sequence<T>(_ node: Node, _ path: String, _ body: (Node, String) throws -> T) throws -> [T] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag.description.hasSuffix("null") { return [] }
        guard case .sequence(let sequence) = node else {
            throw ConfigurationError.wrongType(file: file, key: path, line: line(node), expected: "a list")
        }
        return try sequence.enumerated().map { try body($0.element, "\(path)[\($0.offset)]") }
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw ConfigurationError.wrongType(file: file, key: path, line: line(node), expected: "a text value")
        }
        return scalar.string
    }

    func int(_ node: Node, _ path: String, range: ClosedRange<Int>) throws -> Int {
        guard case .scalar = node, let value = node.int else {
            throw ConfigurationError.wrongType(file: file, key: path, line: line(node), expected: "a whole number")
        }
        guard range.contains(value) else {
            throw invalid(node, path, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// An absolute http(s) URL.
    func url(_ node: Node, _ path: String) throws -> String {
        let text = try string(node, path)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              url.host != nil else {
            throw invalid(node, path, "must be an absolute http(s) URL")
        }
        return text
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw ConfigurationError.wrongType(file: file, key: path, line: line(node), expected: "true or false")
        }
        return value
    }
}

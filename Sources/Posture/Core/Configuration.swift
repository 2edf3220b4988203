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
    public var guidance = Guidance()
    public var custody = Custody()
    public var monitoring = Monitoring()
    public var runbook = Runbook()

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

        public init() {}
    }

    public struct Custody: Sendable, Hashable {
        /// k: how many share sheets recover a password.
        public var threshold = 2
        public var custodians: [Custodian] = []
        /// How many distinct custodians must sign a plan before `apply` runs it.
        public var approvals = 2

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
        public var secretEnv: String?
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
                config.emergencyAccounts = try reader.sequence(value, path) { item, itemPath in
                    var reference: AccountReference?
                    try reader.mapping(item, path: itemPath) { key, value, path in
                        switch key {
                        case "id": reference = .id(try reader.string(value, path))
                        case "userPrincipalName": reference = .userPrincipalName(try reader.string(value, path))
                        default: return false
                        }
                        return true
                    }
                    guard let reference else {
                        throw reader.invalid(item, itemPath, "give an id or a userPrincipalName")
                    }
                    return reference
                }
            case "exclusionGroup": config.exclusionGroup = try reader.string(value, path)
            case "guidance": try config.guidance.read(value, path, reader)
            case "custody":
                try reader.mapping(value, path: path) { key, value, path in
                    switch key {
                    case "threshold": config.custody.threshold = try reader.int(value, path, range: 2...255)
                    case "approvals": config.custody.approvals = try reader.int(value, path, range: 1...255)
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
                    guard key == "notify" else { return false }
                    config.monitoring.notify = try reader.sequence(value, path) { item, itemPath in
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
                            default: return false
                            }
                            return true
                        }
                        guard !notifier.type.isEmpty else { throw reader.invalid(item, itemPath, "needs a type") }
                        return notifier
                    }
                    return true
                }
            case "runbook": try config.runbook.read(value, path, reader)
            default: return false
            }
            return true
        }
        return config
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

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw ConfigurationError.wrongType(file: file, key: path, line: line(node), expected: "true or false")
        }
        return value
    }
}

import EntraModel
import Foundation

/// Three-valued truth (Kleene): a registered device whose property the context does not give is `unknown`; `-and`
/// and `-or` decide without it when they can (`false -and unknown` is false, `true -or unknown` is true).
enum Truth: Sendable, Hashable {
    case yes, no, unknown

    init(_ value: Bool) { self = value ? .yes : .no }
}

/// A property's value on the sign-in's device.
enum DeviceValue {
    /// Not set: every property of an unregistered device, or a registered device's property given as "".
    case null
    case value(String)
    /// A registered device's property the context does not give.
    case unknown
}

extension Device {
    /// `isCompliant` follows the `compliant` flag; `trustType` is `ServerAD` for a hybrid-joined device and unknown
    /// otherwise (a compliant device may be Entra-joined or only registered). Given properties win; names are
    /// case-insensitive.
    func filterValue(_ property: String) -> DeviceValue {
        guard isRegistered else { return .null }
        // Learn, "Conditional Access: filter for devices": extensionAttribute1-15 are only available for devices
        // that are Intune-managed, compliant or hybrid-joined; on any other device they are null.
        if property.lowercased().hasPrefix("extensionattribute"), !isCompliant, !isHybridJoined { return .null }
        if let given = properties.first(where: { $0.key.caseInsensitiveCompare(property) == .orderedSame })?.value {
            return given.isEmpty ? .null : .value(given)
        }
        switch property {
        case "isCompliant": return .value(isCompliant ? "True" : "False")
        case "trustType" where isHybridJoined: return .value("ServerAD")
        default: return .unknown
        }
    }
}

extension DeviceRule {
    /// The rule on the device; `unknownProperties` collects the properties that were needed and not given.
    func evaluate(on device: Device, unknownProperties: inout [String]) -> Truth {
        switch self {
        case .and(let terms):
            var result = Truth.yes
            for term in terms {
                switch term.evaluate(on: device, unknownProperties: &unknownProperties) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case .or(let terms):
            var result = Truth.no
            for term in terms {
                switch term.evaluate(on: device, unknownProperties: &unknownProperties) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        case .not(let term):
            switch term.evaluate(on: device, unknownProperties: &unknownProperties) {
            case .yes: return .no
            case .no: return .yes
            case .unknown: return .unknown
            }
        case .comparison(let comparison):
            switch device.filterValue(comparison.property) {
            case .null: return Truth(comparison.operator.isNegative)
            case .unknown:
                if !unknownProperties.contains(comparison.property) { unknownProperties.append(comparison.property) }
                return .unknown
            case .value(let value): return Truth(comparison.holds(for: value))
            }
        }
    }
}

extension DeviceRule {
    /// The properties the rule reads, in order, each once.
    var properties: [String] {
        switch self {
        case .comparison(let comparison): return [comparison.property]
        case .not(let term): return term.properties
        case .and(let terms), .or(let terms):
            var seen: [String] = []
            for property in terms.flatMap(\.properties) where !seen.contains(property) { seen.append(property) }
            return seen
        }
    }

    /// The device's values of the properties the rule reads: what decided the filter, as `whatif` shows it.
    func evidence(on device: Device) -> String {
        properties.map { property in
            switch device.filterValue(property) {
            case .null: "\(property)=null"
            case .unknown: "\(property) unknown"
            case .value(let value): "\(property)=\(value)"
            }
        }.joined(separator: ", ")
    }
}

extension DeviceComparison {
    /// String comparisons are case-insensitive, as in dynamic membership rules. For the collections `physicalIds`
    /// and `systemLabels` (given comma-separated), `-contains` matches a whole element, not a substring (Learn,
    /// "filter for devices").
    func holds(for value: String) -> Bool {
        let actual = value.lowercased()
        let expected = values.map { $0.lowercased() }
        let first = expected.first ?? ""
        if DeviceProperty.collections.contains(property) {
            let elements = actual.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let found = elements.contains(first)
            return self.operator == .notContains ? !found : found
        }
        switch self.operator {
        case .eq: return actual == first
        case .ne: return actual != first
        case .startsWith: return actual.hasPrefix(first)
        case .notStartsWith: return !actual.hasPrefix(first)
        case .endsWith: return actual.hasSuffix(first)
        case .notEndsWith: return !actual.hasSuffix(first)
        case .contains: return actual.contains(first)
        case .notContains: return !actual.contains(first)
        case .in: return expected.contains(actual)
        case .notIn: return !expected.contains(actual)
        }
    }
}

/// `conditions.devices`: the device filter (parsed once) and the deprecated device-state condition.
struct DeviceCondition: Sendable {
    enum Rule: Sendable {
        case parsed(DeviceRule)
        case invalid(DeviceFilterError)
    }

    let excludeMode: Bool
    let rule: Rule?
    let ruleText: String
    /// Deprecated `includeDevices`/`excludeDevices` (`All`, `Compliant`, `DomainJoined`), lowercased.
    let includeStates: [String]
    let excludeStates: [String]

    init(_ devices: ConditionalAccessPolicy.Devices?) {
        let filter = devices?.deviceFilter
        excludeMode = filter?.mode.caseInsensitiveCompare("exclude") == .orderedSame
        ruleText = filter?.rule ?? ""
        if let filter, !filter.rule.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do throws(DeviceFilterError) {
                rule = .parsed(try DeviceFilterParser.parse(filter.rule))
            } catch {
                rule = .invalid(error)
            }
        } else {
            rule = nil
        }
        includeStates = (devices?.includeDevices ?? []).map { $0.lowercased() }
        excludeStates = (devices?.excludeDevices ?? []).map { $0.lowercased() }
    }

    var isEmpty: Bool { rule == nil && includeStates.isEmpty && excludeStates.isEmpty }

    func match(_ device: Device) -> ConditionMatch {
        var reasons: [String] = []
        var unknown = false
        if let rule {
            let mode = excludeMode ? "exclude" : "include"
            switch rule {
            case .invalid(let error):
                unknown = true
                reasons.append("device filter (\(mode)) \(error); treated as applying")
            case .parsed(let parsed):
                var missing: [String] = []
                let evidence = " (\(parsed.evidence(on: device)))"
                switch (parsed.evaluate(on: device, unknownProperties: &missing), excludeMode) {
                case (.yes, false): reasons.append("device filter (include) matches the device" + evidence)
                case (.no, true): reasons.append("device filter (exclude) does not match the device" + evidence)
                case (.yes, true): return .no("device excluded by the device filter" + evidence)
                case (.no, false): return .no("device filter (include) does not match the device" + evidence)
                case (.unknown, _):
                    unknown = true
                    reasons.append("device filter (\(mode)) cannot be evaluated: the device's "
                        + missing.joined(separator: ", ") + " not given; treated as applying")
                }
            }
        }
        if !includeStates.isEmpty || !excludeStates.isEmpty {
            func has(_ state: String) -> Bool {
                switch state {
                case "all": true
                case "compliant": device.isCompliant
                case "domainjoined": device.isHybridJoined
                default: false
                }
            }
            if !includeStates.isEmpty, !includeStates.contains(where: has) {
                return .no("device state not in includeDevices")
            }
            if let state = excludeStates.first(where: has) { return .no("device state excluded (\(state))") }
            reasons.append("device state condition matches")
        }
        return unknown ? .unknown(reasons) : .yes(reasons)
    }
}

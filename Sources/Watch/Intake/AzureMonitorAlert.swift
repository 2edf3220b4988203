import EntraModel
import Foundation
import Monitoring

/// An Azure Monitor alert in the common alert schema (Learn, "Common alert schema" and "Sample alert payloads"):
/// `{"schemaId": "azureMonitorCommonAlertSchema", "data": {"essentials": {…}, "alertContext": {…},
/// "customProperties": {…}}}`. Log search alerts of API 2021-08-01 and later ("Log Alerts V2") carry no search
/// results, only dimensions; the rules `breakglass export` writes add custom properties naming the detection and the
/// tenant.
public struct AzureMonitorAlert: Sendable, Hashable {
    public var alertID: String
    /// `Fired` or `Resolved`.
    public var condition: String
    public var rule: String?
    public var severity: String?
    public var firedAt: Date?
    public var windowStart: Date?
    public var windowEnd: Date?
    /// From the custom properties `breakglass.detection`, else the rule name `breakglass-<slug>`.
    public var detection: Detection.Kind?
    /// `breakglass.tenant` from the custom properties.
    public var tenant: String?
    /// Values of dimensions that can name an account (AccountObjectId, UserId, AccountUPN, UserPrincipalName).
    public var accountIDs: [String]
    public var rawPayload: String

    /// Azure retries a call; the alert id and condition stay the same.
    public var key: String { "\(alertID.lowercased())|\(condition.lowercased())" }
}

public enum AlertPayloadError: Error, Equatable, Sendable {
    case notJSON
    case notCommonSchema(String)
    case missingField(String)
}

extension AlertPayloadError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .notJSON: "the body is not JSON"
        case .notCommonSchema(let schema): "schemaId is \(schema.isEmpty ? "missing" : "'\(schema)'"), not azureMonitorCommonAlertSchema (turn on the common alert schema in the action group)"
        case .missingField(let path): "\(path) is missing or not a string"
        }
    }

    public var errorDescription: String? { description }
}

extension AzureMonitorAlert {
    static let accountDimensions: Set<String> = ["accountobjectid", "userid", "accountupn", "userprincipalname",
                                                 "initiatedbyobjectid"]

    public init(json data: Data) throws {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let root) = value else {
            throw AlertPayloadError.notJSON
        }
        let schema = root["schemaId"].flatMap(Self.text) ?? ""
        guard schema == "azureMonitorCommonAlertSchema" else { throw AlertPayloadError.notCommonSchema(schema) }
        guard case .object(let body)? = root["data"] else { throw AlertPayloadError.missingField("data") }
        guard case .object(let essentials)? = body["essentials"] else { throw AlertPayloadError.missingField("data.essentials") }
        guard let alertID = essentials["alertId"].flatMap(Self.text), !alertID.isEmpty else {
            throw AlertPayloadError.missingField("data.essentials.alertId")
        }
        guard let condition = essentials["monitorCondition"].flatMap(Self.text), !condition.isEmpty else {
            throw AlertPayloadError.missingField("data.essentials.monitorCondition")
        }
        self.alertID = alertID
        self.condition = condition
        rule = essentials["alertRule"].flatMap(Self.text)
        severity = essentials["severity"].flatMap(Self.text)
        firedAt = essentials["firedDateTime"].flatMap(Self.text).flatMap(GraphDate.parse)
        var properties: [String: String] = [:]
        var context: [String: JSONValue] = [:]
        if case .object(let alertContext)? = body["alertContext"] { context = alertContext }
        for source in [context["properties"], body["customProperties"]] {
            if case .object(let object)? = source {
                for (key, value) in object { if let text = Self.text(value) { properties[key.lowercased()] = text } }
            }
        }
        var criteria: [String: JSONValue] = [:]
        if case .object(let object)? = context["condition"] { criteria = object }
        windowStart = criteria["windowStartTime"].flatMap(Self.text).flatMap(GraphDate.parse)
        windowEnd = criteria["windowEndTime"].flatMap(Self.text).flatMap(GraphDate.parse)
        var dimensions: [JSONValue] = []
        if case .array(let criteria)? = criteria["allOf"] {
            for criterion in criteria {
                if case .object(let object) = criterion, case .array(let list)? = object["dimensions"] { dimensions += list }
            }
        }
        if case .array(let list)? = context["Dimensions"] { dimensions += list }
        accountIDs = dimensions.compactMap { dimension in
            guard case .object(let object) = dimension, let name = object["name"].flatMap(Self.text),
                  Self.accountDimensions.contains(name.lowercased()) else { return nil }
            return object["value"].flatMap(Self.text)
        }
        let slug = properties["breakglass.detection"]
            ?? rule.flatMap { $0.hasPrefix("breakglass-") ? String($0.dropFirst("breakglass-".count)) : nil }
        detection = slug.flatMap(Detection.Kind.init(rawValue:))
        tenant = properties["breakglass.tenant"]
        rawPayload = String(decoding: data, as: UTF8.self)
    }

    static func text(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }
}

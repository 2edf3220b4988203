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
        // JSONSerialization: the webhook parses every alert, and Foundation's parser is the cheapest on hand.
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw AlertPayloadError.notJSON }
        let schema = root["schemaId"] as? String ?? ""
        guard schema == "azureMonitorCommonAlertSchema" else { throw AlertPayloadError.notCommonSchema(schema) }
        guard let body = root["data"] as? [String: Any] else { throw AlertPayloadError.missingField("data") }
        guard let essentials = body["essentials"] as? [String: Any] else { throw AlertPayloadError.missingField("data.essentials") }
        guard let alertID = essentials["alertId"] as? String, !alertID.isEmpty else {
            throw AlertPayloadError.missingField("data.essentials.alertId")
        }
        guard let condition = essentials["monitorCondition"] as? String, !condition.isEmpty else {
            throw AlertPayloadError.missingField("data.essentials.monitorCondition")
        }
        self.alertID = alertID
        self.condition = condition
        rule = essentials["alertRule"] as? String
        severity = essentials["severity"] as? String
        firedAt = (essentials["firedDateTime"] as? String).flatMap(GraphDate.parse)
        let context = body["alertContext"] as? [String: Any] ?? [:]
        var properties: [String: String] = [:]
        for source in [context["properties"], body["customProperties"]] {
            for (key, value) in source as? [String: Any] ?? [:] {
                if let text = value as? String { properties[key.lowercased()] = text }
            }
        }
        let criteria = context["condition"] as? [String: Any] ?? [:]
        windowStart = (criteria["windowStartTime"] as? String).flatMap(GraphDate.parse)
        windowEnd = (criteria["windowEndTime"] as? String).flatMap(GraphDate.parse)
        var dimensions: [[String: Any]] = []
        for criterion in criteria["allOf"] as? [[String: Any]] ?? [] {
            dimensions += criterion["dimensions"] as? [[String: Any]] ?? []
        }
        dimensions += context["Dimensions"] as? [[String: Any]] ?? []
        accountIDs = dimensions.compactMap { dimension in
            guard let name = dimension["name"] as? String, Self.accountDimensions.contains(name.lowercased()) else { return nil }
            return dimension["value"] as? String
        }
        let slug = properties["breakglass.detection"]
            ?? rule.flatMap { $0.hasPrefix("breakglass-") ? String($0.dropFirst("breakglass-".count)) : nil }
        detection = slug.flatMap(Detection.Kind.init(rawValue:))
        tenant = properties["breakglass.tenant"]
        rawPayload = String(decoding: data, as: UTF8.self)
    }
}

import Crypto
import Custody
import EntraModel
import Foundation
import Graph

/// Where notifications go. The body is rendered when the incident changes (and stored in the outbox); the request —
/// with its secrets and, for Standard Webhooks, a signature over this attempt's timestamp — when it is sent.
public protocol Notifier: Sendable {
    /// `webhook-1`, `teams-1`, `slack-1`, `pagerduty-1`: unique, stable across restarts while the configuration is.
    var name: String { get }
    func render(_ notice: Notice) throws -> String
    func request(for message: OutboxMessage, now: Date) throws -> GraphRequest
}

/// What is wrong with a notifier's configuration or secret (never the secret itself).
public enum NotifierError: Error, Equatable, Sendable {
    case insecureURL(notifier: String, url: String)
    case badSecret(notifier: String, reason: String)
    case missingSecret(notifier: String, reason: String)
}

extension NotifierError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .insecureURL(let notifier, let url):
            "\(notifier): \(url) is not https (plain http is accepted only to a loopback address)"
        case .badSecret(let notifier, let reason): "\(notifier): \(reason)"
        case .missingSecret(let notifier, let reason): "\(notifier): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

enum NotifierURL {
    /// https anywhere; http only to loopback (tests, a local relay).
    static func check(_ text: String, notifier: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else {
            throw NotifierError.insecureURL(notifier: notifier, url: "the URL")
        }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw NotifierError.insecureURL(notifier: notifier, url: "\(scheme)://\(host)")
        }
        return url
    }
}

enum NoticeJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }

    static func timestamp(_ date: Date) -> String { GraphDate.format(date) }

    static func string(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A generic webhook signed per Standard Webhooks 1.0 (github.com/standard-webhooks/standard-webhooks,
/// spec/standard-webhooks.md): headers `webhook-id` (the outbox message id, the same on every retry),
/// `webhook-timestamp` (this attempt, Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(key,
/// "{id}.{timestamp}.{body}")>`, the key being the base64 after `whsec_`.
public struct StandardWebhookNotifier: Notifier {
    public let name: String
    let url: URL
    let key: Secret

    public init(name: String, url: String, secret: Secret) throws {
        self.name = name
        self.url = try NotifierURL.check(url, notifier: name)
        self.key = try Self.key(from: secret, notifier: name)
    }

    /// `whsec_<base64>` (or the bare base64): at least 24 bytes, as the specification asks.
    static func key(from secret: Secret, notifier: String) throws -> Secret {
        let text = secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let encoded = text.hasPrefix("whsec_") ? String(text.dropFirst(6)) : text
        guard let bytes = Data(base64Encoded: encoded) else {
            throw NotifierError.badSecret(notifier: notifier, reason: "the signing secret is not whsec_ followed by base64 (make one with: echo whsec_$(openssl rand -base64 32))")
        }
        guard bytes.count >= 24 else {
            throw NotifierError.badSecret(notifier: notifier, reason: "the signing secret has \(bytes.count) bytes; Standard Webhooks asks for at least 24")
        }
        return Secret(bytes)
    }

    public func render(_ notice: Notice) throws -> String {
        struct Body: Encodable {
            var type: String
            var timestamp: Date
            var data: Notice
        }
        let data = try NoticeJSON.encoder().encode(Body(type: notice.event.type, timestamp: notice.at, data: notice))
        return String(decoding: data, as: UTF8.self)
    }

    /// `v1,<base64>` for one attempt.
    public static func signature(key: Secret, id: String, timestamp: Int, body: String) -> String {
        let content = Data("\(id).\(timestamp).\(body)".utf8)
        let mac = key.withUnsafeBytes { HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: $0)) }
        return "v1," + Data(mac).base64EncodedString()
    }

    public func request(for message: OutboxMessage, now: Date) throws -> GraphRequest {
        let timestamp = Int(now.timeIntervalSince1970)
        let id = "msg_" + message.id
        return GraphRequest(method: "POST", url: url, headers: [
            ("Content-Type", "application/json"),
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", Self.signature(key: key, id: id, timestamp: timestamp, body: message.payload)),
        ], body: Data(message.payload.utf8))
    }
}

/// Microsoft Teams through a Workflows "When a Teams webhook request is received" trigger, which accepts Adaptive
/// Cards only (Office 365 connectors are retired). The URL carries its own signature (`sig=`): it is a secret.
public struct TeamsNotifier: Notifier {
    public let name: String
    let url: URL

    public init(name: String, url: Secret) throws {
        self.name = name
        self.url = try NotifierURL.check(url.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            .trimmingCharacters(in: .whitespacesAndNewlines), notifier: name)
    }

    public func render(_ notice: Notice) throws -> String {
        var facts: [[String: Any]] = [
            ["title": "Tenant", "value": notice.tenantName],
            ["title": "State", "value": notice.incident.state.rawValue],
            ["title": "Opened", "value": NoticeJSON.timestamp(notice.incident.openedAt)],
        ]
        if let latest = notice.latest { facts.append(["title": "Latest", "value": latest.summary]) }
        if let by = notice.incident.acknowledgedBy {
            facts.append(["title": "Acknowledged", "value": "\(by) (\(notice.incident.reason?.rawValue ?? "-"))"])
        }
        var card: [String: Any] = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": [
                ["type": "TextBlock", "size": "Large", "weight": "Bolder", "wrap": true,
                 "color": notice.event == .closed ? "Good" : "Attention", "text": notice.headline],
                ["type": "TextBlock", "wrap": true, "text": notice.incident.summary],
                ["type": "FactSet", "facts": facts],
                ["type": "TextBlock", "wrap": true, "isSubtle": true, "text": notice.advice],
            ],
        ]
        if let link = notice.link { card["actions"] = [["type": "Action.OpenUrl", "title": "Open the incident", "url": link]] }
        return try NoticeJSON.string([
            "type": "message",
            "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": NSNull(), "content": card]],
        ])
    }

    public func request(for message: OutboxMessage, now: Date) throws -> GraphRequest {
        GraphRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                     body: Data(message.payload.utf8))
    }
}

/// A Slack incoming webhook: `text` (the notification fallback) and Block Kit `blocks`. The URL is a secret.
public struct SlackNotifier: Notifier {
    public let name: String
    let url: URL

    public init(name: String, url: Secret) throws {
        self.name = name
        self.url = try NotifierURL.check(url.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            .trimmingCharacters(in: .whitespacesAndNewlines), notifier: name)
    }

    public func render(_ notice: Notice) throws -> String {
        var lines = ["*\(Self.escape(notice.headline))*", Self.escape(notice.incident.summary)]
        if let latest = notice.latest { lines.append("Latest: \(Self.escape(latest.summary))") }
        lines.append("_\(Self.escape(notice.advice))_")
        var text = lines.joined(separator: "\n")
        if let link = notice.link { text += "\n<\(link)|Open the incident>" }
        return try NoticeJSON.string([
            "text": notice.headline,
            "blocks": [["type": "section", "text": ["type": "mrkdwn", "text": text]]],
        ])
    }

    /// Slack's three control characters in mrkdwn.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    public func request(for message: OutboxMessage, now: Date) throws -> GraphRequest {
        GraphRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                     body: Data(message.payload.utf8))
    }
}

/// PagerDuty Events API v2 (`POST /v2/enqueue`): `trigger` when an incident opens or changes, `acknowledge`, and
/// `resolve` when it closes, all with the incident's `dedup_key`. The routing key is a secret: it is added to the
/// body when sending, never stored in the outbox.
public struct PagerDutyNotifier: Notifier {
    public let name: String
    let url: URL
    let routingKey: Secret
    public static let defaultURL = "https://events.pagerduty.com/v2/enqueue"

    public init(name: String, url: String?, routingKey: Secret) throws {
        self.name = name
        self.url = try NotifierURL.check(url ?? Self.defaultURL, notifier: name)
        let key = routingKey.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty, key.count <= 64, key.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw NotifierError.badSecret(notifier: name, reason: "the routing key is not an integration key (32 letters and digits)")
        }
        self.routingKey = Secret(utf8: key)
    }

    public func render(_ notice: Notice) throws -> String {
        let action: String
        switch notice.event {
        case .opened, .updated: action = "trigger"
        case .acknowledged: action = notice.incident.state == .closed ? "resolve" : "acknowledge"
        case .closed: action = "resolve"
        }
        var body: [String: Any] = [
            "event_action": action,
            "dedup_key": notice.incident.dedupKey,
            "client": "breakglass watch",
        ]
        if let link = notice.link { body["client_url"] = link }
        if action == "trigger" {
            var details: [String: Any] = [
                "tenant": notice.tenantName, "incident": notice.incident.id, "kind": notice.incident.kind.rawValue,
                "subject": notice.incident.subjectName, "advice": notice.advice,
            ]
            if let latest = notice.latest { details["latest"] = latest.summary }
            body["payload"] = [
                "summary": String("\(notice.incident.kind.title): \(notice.incident.subjectName) (\(notice.tenantName))".prefix(1024)),
                "source": notice.tenantName, "severity": notice.incident.kind.severity,
                "timestamp": NoticeJSON.timestamp(notice.incident.openedAt), "component": notice.incident.subjectName,
                "group": notice.tenantName, "class": notice.incident.kind.rawValue, "custom_details": details,
            ]
        }
        return try NoticeJSON.string(body)
    }

    public func request(for message: OutboxMessage, now: Date) throws -> GraphRequest {
        guard message.payload.first == "{" else {
            throw NotifierError.badSecret(notifier: name, reason: "outbox message \(message.id) is not a JSON object")
        }
        let key = routingKey.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let rest = message.payload.dropFirst()
        let body = "{\"routing_key\":\"\(key)\"" + (rest.first == "}" ? "" : ",") + rest
        return GraphRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
    }
}

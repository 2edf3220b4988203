import Custody
import Foundation
import Graph
import Testing
import Watch

@Suite("Notifiers: Standard Webhooks, Teams, Slack, PagerDuty")
struct NotifierTests {
    static let notice: Notice = {
        var incident = Incident(id: "0190abc", tenantID: "fabrikam.onmicrosoft.com", kind: .signIn,
                                subject: WatchFixture.bg01, subjectName: "bg-01@fabrikam.onmicrosoft.com",
                                openedAt: Date(timeIntervalSince1970: 1_795_000_000),
                                summary: "bg-01@fabrikam.onmicrosoft.com signed in interactive to Azure Portal from 203.0.113.7")
        incident.lastUseAt = incident.openedAt
        return Notice(event: .opened, incident: incident, tenantName: "Fabrikam",
                      latest: IncidentEvent(id: "e1", incidentID: "0190abc", at: incident.openedAt, kind: .signIn,
                                            summary: "bg-01 signed in <b>from</b> 203.0.113.7"),
                      link: "https://watch.example.net/incidents/0190abc", at: incident.openedAt)
    }()

    static func message(_ payload: String, notifier: String) -> OutboxMessage {
        OutboxMessage(id: "0190abcd", tenantID: "t", incidentID: "0190abc", notifier: notifier, event: "incident.opened",
                      payload: payload, createdAt: Date())
    }

    @Test("The Standard Webhooks test vector: whsec_MfKQ… signs msg_p5jX….1614265330.{\"test\": 2432232314} as v1,g0hM…")
    func standardWebhooksVector() throws {
        // From the specification's reference libraries (github.com/standard-webhooks/standard-webhooks).
        let key = Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") ?? Data()
        #expect(StandardWebhookNotifier.signature(key: Secret(key), id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                                  body: #"{"test": 2432232314}"#)
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("A webhook request carries webhook-id (the same on every attempt), this attempt's timestamp and its signature")
    func webhookRequest() throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let notifier = try StandardWebhookNotifier(name: "webhook-1", url: "https://hooks.example.net/bg", secret: Secret(utf8: secret))
        let payload = try notifier.render(Self.notice)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        #expect(body["type"] as? String == "incident.opened")
        #expect((body["data"] as? [String: Any])?["tenantName"] as? String == "Fabrikam")
        let message = Self.message(payload, notifier: "webhook-1")
        let first = try notifier.request(for: message, now: Date(timeIntervalSince1970: 1_800_000_000))
        let retry = try notifier.request(for: message, now: Date(timeIntervalSince1970: 1_800_000_300))
        func header(_ request: GraphRequest, _ name: String) -> String? { request.headers.first { $0.0 == name }?.1 }
        #expect(header(first, "webhook-id") == "msg_0190abcd" && header(retry, "webhook-id") == "msg_0190abcd")
        #expect(header(first, "webhook-timestamp") == "1800000000" && header(retry, "webhook-timestamp") == "1800000300")
        let received = Recorder.Received(path: "/bg", headers: Dictionary(uniqueKeysWithValues: first.headers),
                                         body: first.body ?? Data())
        #expect(verifyStandardWebhook(received, secret: secret))
        var tampered = received
        tampered.body = Data(payload.replacingOccurrences(of: "Fabrikam", with: "Contoso").utf8)
        #expect(!verifyStandardWebhook(tampered, secret: secret))
    }

    @Test("Secrets and URLs are checked: a short or non-base64 signing key, plain http off loopback, a bad routing key")
    func refusals() {
        #expect(throws: NotifierError.self) {
            try StandardWebhookNotifier(name: "webhook-1", url: "https://x.example", secret: Secret(utf8: "whsec_c2hvcnQ="))
        }
        #expect(throws: NotifierError.self) {
            try StandardWebhookNotifier(name: "webhook-1", url: "https://x.example", secret: Secret(utf8: "not base64 at all!"))
        }
        #expect(throws: NotifierError.insecureURL(notifier: "slack-1", url: "http://hooks.slack.com")) {
            try SlackNotifier(name: "slack-1", url: Secret(utf8: "http://hooks.slack.com/services/T/B/x"))
        }
        #expect(throws: NotifierError.self) {
            try PagerDutyNotifier(name: "pagerduty-1", url: nil, routingKey: Secret(utf8: "bad key!"))
        }
        #expect((try? TeamsNotifier(name: "teams-1", url: Secret(utf8: "http://127.0.0.1:9/flow"))) != nil)
    }

    @Test("Teams: a message with one Adaptive Card (Workflows accept Adaptive Cards only)")
    func teamsCard() throws {
        let notifier = try TeamsNotifier(name: "teams-1", url: Secret(utf8: "https://prod.westeurope.logic.azure.com/workflows/x?sig=y"))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(try notifier.render(Self.notice).utf8)) as? [String: Any])
        #expect(body["type"] as? String == "message")
        let attachment = try #require((body["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard" && card["version"] as? String == "1.4")
        #expect(((card["actions"] as? [[String: Any]])?.first?["url"] as? String) == "https://watch.example.net/incidents/0190abc")
    }

    @Test("Slack: text fallback and a mrkdwn block, with <, > and & escaped")
    func slackMessage() throws {
        let notifier = try SlackNotifier(name: "slack-1", url: Secret(utf8: "https://hooks.slack.com/services/T/B/x"))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(try notifier.render(Self.notice).utf8)) as? [String: Any])
        #expect((body["text"] as? String)?.hasPrefix("Emergency account used: bg-01") == true)
        let text = try #require(((body["blocks"] as? [[String: Any]])?.first?["text"] as? [String: Any])?["text"] as? String)
        #expect(text.contains("&lt;b&gt;from&lt;/b&gt;") && !text.contains("<b>"))
        #expect(text.contains("<https://watch.example.net/incidents/0190abc|Open the incident>"))
    }

    @Test("PagerDuty: trigger with the incident's dedup_key, resolve on close; the routing key only in the request")
    func pagerDuty() throws {
        let notifier = try PagerDutyNotifier(name: "pagerduty-1", url: nil, routingKey: Secret(utf8: "R0123456789ABCDEF0123456789ABCDE"))
        let trigger = try notifier.render(Self.notice)
        #expect(!trigger.contains("R0123456789"))
        let request = try notifier.request(for: Self.message(trigger, notifier: "pagerduty-1"), now: Date())
        #expect(request.url.absoluteString == "https://events.pagerduty.com/v2/enqueue")
        let sent = try #require(try JSONSerialization.jsonObject(with: request.body ?? Data()) as? [String: Any])
        #expect(sent["routing_key"] as? String == "R0123456789ABCDEF0123456789ABCDE")
        #expect(sent["event_action"] as? String == "trigger" && sent["dedup_key"] as? String == "breakglass-0190abc")
        let payload = try #require(sent["payload"] as? [String: Any])
        #expect(payload["severity"] as? String == "critical" && payload["source"] as? String == "Fabrikam")
        var closed = Self.notice
        closed.event = .closed
        closed.incident.state = .closed
        let resolve = try #require(try JSONSerialization.jsonObject(with: Data(try notifier.render(closed).utf8)) as? [String: Any])
        #expect(resolve["event_action"] as? String == "resolve" && resolve["dedup_key"] as? String == "breakglass-0190abc")
        #expect(resolve["payload"] == nil)
    }
}

import EntraModel
import Foundation

/// One result: a check's verdict on one subject (and, for account × policy checks, the related policy).
public struct Finding: Sendable, Hashable {
    public var checkID: String
    public var title: String
    public var severity: Severity
    public var status: Status
    public var subject: Subject
    public var related: Subject?
    /// Why, in one sentence.
    public var message: String
    public var evidence: [String: JSONValue]
    public var remediation: String

    public init(metadata: CheckMetadata, status: Status, subject: Subject, related: Subject? = nil, message: String,
                evidence: [String: JSONValue] = [:], severity: Severity? = nil) {
        checkID = metadata.id
        title = metadata.title
        self.severity = severity ?? metadata.severity
        self.status = status
        self.subject = subject
        self.related = related
        self.message = message
        self.evidence = evidence
        remediation = metadata.remediation.portal
    }

    /// A finding counts against `--fail-on` when it failed (or, with `strict`, warned) at that severity or above.
    public func fails(at threshold: Severity, strict: Bool = false) -> Bool {
        guard severity >= threshold else { return false }
        return status == .fail || (strict && status == .warn)
    }
}

/// A rule of the catalogue. `run` is pure: no I/O, no clock (`context.now`).
public protocol Check: Sendable {
    static var metadata: CheckMetadata { get }
    func run(in context: TenantContext) -> [Finding]
}

extension Check {
    public var metadata: CheckMetadata { Self.metadata }

    func finding(_ status: Status, _ subject: Subject, _ message: String, related: Subject? = nil,
                 evidence: [String: JSONValue] = [:], severity: Severity? = nil) -> Finding {
        Finding(metadata: Self.metadata, status: status, subject: subject, related: related, message: message,
                evidence: evidence, severity: severity)
    }

    func pass(_ subject: Subject, _ message: String, related: Subject? = nil, evidence: [String: JSONValue] = [:])
        -> Finding
    {
        finding(.pass, subject, message, related: related, evidence: evidence)
    }

    func fail(_ subject: Subject, _ message: String, related: Subject? = nil, evidence: [String: JSONValue] = [:],
              severity: Severity? = nil) -> Finding
    {
        finding(.fail, subject, message, related: related, evidence: evidence, severity: severity)
    }

    func warn(_ subject: Subject, _ message: String, related: Subject? = nil, evidence: [String: JSONValue] = [:],
              severity: Severity? = nil) -> Finding
    {
        finding(.warn, subject, message, related: related, evidence: evidence, severity: severity)
    }

    func unknown(_ subject: Subject, _ message: String, related: Subject? = nil) -> Finding {
        finding(.unknown, subject, message, related: related)
    }

    func notApplicable(_ subject: Subject, _ message: String) -> Finding {
        finding(.notApplicable, subject, message)
    }

    /// The usual result when no emergency account is known: the account checks cannot run.
    func noAccounts(_ context: TenantContext) -> [Finding] {
        [unknown(context.tenantSubject, "No emergency account is declared or discovered, so this check cannot run (see BG001).")]
    }
}

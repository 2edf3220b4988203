import EntraModel
import Foundation

/// The audit's result as report.md gives it: the shape of `--format json`, and what every renderer reads.
public struct AuditReport: Sendable, Codable, Hashable {
    public var schemaVersion = 1
    public var tool: Tool
    public var tenant: Tenant
    public var emergencyAccounts: [Account]
    public var summary: Summary
    public var results: [Result]
    /// The file that declared the emergency accounts (`gate`: `--config FILE` or `REF:FILE`); nil when not said.
    public var configuration: String?

    public struct Tool: Sendable, Codable, Hashable {
        public var name = "breakglass"
        public var version: String
    }

    public struct Tenant: Sendable, Codable, Hashable {
        public var id: String
        public var displayName: String?
        /// `snapshot`, `live` or `demo`.
        public var source: String
        public var capturedAt: String?
        /// The Graph endpoint the snapshot was captured from, when manifest.json records it.
        public var graphEndpoint: String?
        /// True when that endpoint is not Microsoft Graph (the emulator): the data is not a real tenant's.
        public var emulated: Bool?

        /// `snapshot, captured …` and, for an emulated capture, where it came from.
        public var provenance: String {
            var text = source + (capturedAt.map { ", captured \($0)" } ?? "")
            if emulated == true { text += ", EMULATED: read from \(graphEndpoint ?? "an emulator"), not Microsoft Graph" }
            return text
        }
    }

    public struct Account: Sendable, Codable, Hashable {
        public var id: String
        public var userPrincipalName: String?
        public var declared: Bool
    }

    public struct Summary: Sendable, Codable, Hashable {
        public var pass = 0
        public var fail = 0
        public var warn = 0
        public var unknown = 0
        public var notApplicable = 0

        public subscript(status: Status) -> Int {
            get {
                switch status {
                case .pass: pass
                case .fail: fail
                case .warn: warn
                case .unknown: unknown
                case .notApplicable: notApplicable
                }
            }
            set {
                switch status {
                case .pass: pass = newValue
                case .fail: fail = newValue
                case .warn: warn = newValue
                case .unknown: unknown = newValue
                case .notApplicable: notApplicable = newValue
                }
            }
        }
    }

    public struct Result: Sendable, Codable, Hashable {
        public var check: String
        public var title: String
        public var severity: Severity
        public var status: Status
        public var subject: Subject
        public var related: Subject?
        public var message: String
        public var evidence: [String: JSONValue]?
        public var remediation: String
    }

    public init(context: TenantContext, findings: [Finding], version: String, configuration: String? = nil) {
        tool = Tool(version: version)
        let organization = context.snapshot.organization
        let manifest = context.snapshot.manifest
        tenant = Tenant(
            id: organization.id, displayName: organization.displayName, source: context.source,
            capturedAt: context.snapshot.capturedAt.map(GraphDate.format), graphEndpoint: manifest?.graphEndpoint,
            emulated: manifest?.graphEndpointIsMicrosoft.map { !$0 })
        self.configuration = configuration
        emergencyAccounts = context.emergencyAccounts.map {
            Account(id: $0.user?.id ?? $0.id, userPrincipalName: $0.user?.userPrincipalName, declared: $0.declared)
        }
        var summary = Summary()
        for finding in findings { summary[finding.status] += 1 }
        self.summary = summary
        results = findings.map {
            Result(check: $0.checkID, title: $0.title, severity: $0.severity, status: $0.status, subject: $0.subject,
                   related: $0.related, message: $0.message, evidence: $0.evidence.isEmpty ? nil : $0.evidence,
                   remediation: $0.remediation)
        }
    }

    /// Whether any result fails at `threshold` or above (warnings too with `strict`): exit code 1.
    public func hasFindings(atOrAbove threshold: Severity, strict: Bool) -> Bool {
        results.contains { result in
            result.severity >= threshold && (result.status == .fail || (strict && result.status == .warn))
        }
    }
}

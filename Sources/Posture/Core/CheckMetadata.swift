import Foundation

public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

public enum Status: String, Sendable, Codable, CaseIterable {
    case pass, fail, warn, unknown, notApplicable
}

public enum SubjectKind: String, Sendable, Codable {
    case tenant, account, policy, group, scenario, application
}

/// What a result is about: the tenant, an emergency account, a policy, a group or a scenario.
public struct Subject: Sendable, Hashable, Codable {
    public var kind: SubjectKind
    public var id: String
    public var name: String

    public init(kind: SubjectKind, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }
}

public struct Remediation: Sendable, Hashable {
    /// Steps in the Entra admin center.
    public var portal: String
    /// The Microsoft Graph call (or PowerShell) that makes the change.
    public var graph: String

    public init(portal: String, graph: String) {
        self.portal = portal
        self.graph = graph
    }
}

public struct Reference: Sendable, Hashable, Codable {
    public var title: String
    public var url: String

    public init(_ title: String, _ url: String) {
        self.title = title
        self.url = url
    }

    /// A Microsoft Learn page under learn.microsoft.com/entra/identity/.
    public static func learn(_ title: String, _ path: String) -> Reference {
        Reference(title, "https://learn.microsoft.com/entra/identity/\(path)")
    }

    public static let emergencyAccess = learn(
        "Manage emergency access accounts in Microsoft Entra ID", "role-based-access-control/security-emergency-access")
    public static let mandatoryMFA = learn(
        "Mandatory Microsoft Entra multifactor authentication", "authentication/concept-mandatory-multifactor-authentication")
    public static let cisM365 = Reference(
        "CIS Microsoft 365 Foundations Benchmark", "https://www.cisecurity.org/benchmark/microsoft_365")
    public static let scuba = Reference(
        "CISA SCuBA Microsoft Entra ID baseline", "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md")
}

/// A check's prose, kept beside its code and read by `breakglass explain`.
public struct CheckMetadata: Sendable, Hashable {
    public var id: String
    public var title: String
    public var severity: Severity
    public var subject: SubjectKind
    public var rationale: String
    public var remediation: Remediation
    public var references: [Reference]

    public init(id: String, title: String, severity: Severity, subject: SubjectKind, rationale: String,
                remediation: Remediation, references: [Reference]) {
        self.id = id
        self.title = title
        self.severity = severity
        self.subject = subject
        self.rationale = rationale
        self.remediation = remediation
        self.references = references
    }
}

import EntraModel
import Foundation

/// The check catalogue (spec/checks.md), in id order.
public enum Catalogue {
    public static let standard: [any Check] = [
        BG001AccountsDeclared(), BG002EnoughAccounts(),
        BG010AccountEnabled(), BG011CloudOnly(), BG012InitialDomain(), BG013MemberType(), BG014PasswordNeverExpires(),
        BG015NoLicence(), BG016RestrictedManagementUnit(),
        BG020PermanentGlobalAdmin(), BG021NotUnderPIM(), BG022GlobalAdminCount(), BG023PrivilegedApplications(),
        BG024TakeoverPrincipals(),
        BG030PolicyExclusions(), BG031ReportOnlyPolicies(), BG032ExclusionGroupSafe(), BG033ExclusionGroupMembers(),
        BG034RiskPolicies(), BG035SecurityDefaults(), BG036UndeclaredExclusions(), BG037ExclusionGroupOwners(),
        BG040PhishingResistantMethod(), BG041NoPersonalMethods(), BG042SharedCredentialFailure(),
        BG043MethodEnabledInPolicy(),
        BG050SignInLogsExported(), BG051AlertRule(),
        BG060RotatedAfterUse(), BG061PasswordAge(), BG062RecentDrill(), BG063RoutineUse(), BG064RunbookCurrent(),
        BG070ScenarioRecovery(),
    ]

    public static var metadata: [CheckMetadata] { standard.map(\.metadata) }

    public static func metadata(for id: String) -> CheckMetadata? {
        metadata.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }

    /// Runs every check and orders the findings as report.md says: severity, check id, subject name.
    public static func run(in context: TenantContext, checks: [any Check] = standard) -> [Finding] {
        checks.flatMap { $0.run(in: context) }.sorted(by: Finding.reportOrder)
    }
}

extension Finding {
    static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.checkID != b.checkID { return a.checkID < b.checkID }
        if a.subject.name != b.subject.name { return a.subject.name.lowercased() < b.subject.name.lowercased() }
        return (a.related?.name ?? "").lowercased() < (b.related?.name ?? "").lowercased()
    }
}

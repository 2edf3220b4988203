import AccessPolicy
import EntraModel
import Foundation
import Lockout

/// The policy-as-code gate: the tenant as it will be after deploying `changes`, judged by BG030/BG031 (the changed
/// policies must not reach an emergency account) and BG070 (no scenario may become unrecoverable).
public enum Gate {
    public static func run(before: TenantContext, changes: [ConditionalAccessPolicy]) -> [Finding] {
        var snapshot = before.snapshot
        snapshot.policies = PolicyChange.apply(changes, to: snapshot.policies)
        let after = TenantContext(snapshot: snapshot, configuration: before.configuration, now: before.now, source: before.source)
        let changed = Set(changes.map { $0.id.lowercased() })
        var findings = (BG030PolicyExclusions().run(in: after) + BG031ReportOnlyPolicies().run(in: after))
            .filter { finding in finding.related.map { changed.contains($0.id.lowercased()) } ?? false }
        let previously = Dictionary(
            BG070ScenarioRecovery().run(in: before).map { ($0.subject.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        for finding in BG070ScenarioRecovery().run(in: after) {
            var finding = finding
            if finding.status == .fail, previously[finding.subject.id] == .fail {
                finding.status = .warn
                finding.message = "Already unrecoverable before this change: " + finding.message
            }
            findings.append(finding)
        }
        return findings.sorted(by: Finding.reportOrder)
    }
}

import EntraModel
import Foundation

struct BG033ExclusionGroupMembers: Check {
    static let metadata = CheckMetadata(
        id: "BG033", title: "Exclusion groups hold only emergency accounts", severity: .high, subject: .group,
        rationale: """
            Every member of the exclusion group bypasses the policies that exclude it — MFA, device compliance, \
            location and risk. Anyone besides the emergency accounts is an unmonitored hole, often a service \
            account someone added to "fix" a sign-in problem.
            """,
        remediation: .init(
            portal: "Entra admin center > Groups > the exclusion group > Members: remove everyone who is not an emergency account.",
            graph: "DELETE /groups/{groupId}/members/{memberId}/$ref"),
        references: [.emergencyAccess, .scuba]
    )

    func run(in context: TenantContext) -> [Finding] {
        guard !context.exclusionGroups.isEmpty else {
            return [notApplicable(context.tenantSubject, "No group is used to exclude the emergency accounts.")]
        }
        return context.exclusionGroups.map { id in
            let subject = context.groupSubject(id)
            guard context.directory.hasMembers(ofGroup: id) else {
                return unknown(subject, "group-members/\(id).json is not in the snapshot, so the members of \(subject.name) are unknown.")
            }
            let (users, unknownGroups) = context.directory.transitiveUsers(ofGroup: id)
            let others = users.filter { !context.isEmergencyAccount($0) }
                .map { context.directory.user($0)?.name ?? $0 }.sorted()
            let nestedOthers = context.directory.directMembers(ofGroup: id).filter { $0.kind == .other }.map(\.id)
            let outsiders = others + nestedOthers.map { "\($0) (not a user)" }
            if !outsiders.isEmpty {
                return fail(subject, "\(subject.name) also holds \(outsiders.joinedAsList), who bypass every policy that excludes it.",
                            evidence: ["others": .array(outsiders.map { .string($0) })])
            }
            if !unknownGroups.isEmpty {
                return unknown(subject, "\(subject.name) nests groups whose members are not in the snapshot: \(unknownGroups.sorted().joinedAsList).")
            }
            return pass(subject, "\(subject.name) holds only emergency accounts (\(users.count)).")
        }
    }
}

import AccessPolicy
import EntraModel
import Foundation

/// Finds likely emergency accounts when the configuration declares none (BG001): accounts named like one
/// (break-glass, breakglass, emergency, bg-N) and cloud-only permanent Global Administrators that no enabled policy
/// applies to.
struct Discovery {
    let directory: Directory
    let evaluator: Evaluator
    let now: Date

    func candidates() -> [User] {
        let globalAdmins = directory.activeHolders(ofRole: WellKnownRole.globalAdministrator, at: now)
        let enabled = directory.snapshot.policies.filter(\.isEnabled)
        var found: [User] = []
        for user in directory.users where Self.isNamedLikeEmergencyAccount(user) { found.append(user) }
        for user in globalAdmins where !user.isSynchronized && !found.contains(user) {
            let permanent = directory.activeRoles(of: user.id, at: now).contains {
                $0.roleTemplateID == WellKnownRole.globalAdministrator && $0.endDateTime == nil
            }
            let untouched = !enabled.isEmpty && enabled.allSatisfy { !evaluator.mayApply($0, toUser: user.id).applies }
            if permanent && untouched { found.append(user) }
        }
        return found.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    static func isNamedLikeEmergencyAccount(_ user: User) -> Bool {
        let local = (user.userPrincipalName ?? "").split(separator: "@").first.map { $0.lowercased() } ?? ""
        let display = (user.displayName ?? "").lowercased()
        for text in [local, display] {
            let squashed = text.filter { $0.isLetter || $0.isNumber }
            if squashed.contains("breakglass") || squashed.contains("emergencyaccess") || squashed.hasPrefix("emergency") {
                return true
            }
            if text.range(of: #"^bg[-_.]?\d+$"#, options: .regularExpression) != nil { return true }
        }
        return false
    }
}

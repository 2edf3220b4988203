import EntraModel
import Foundation

extension TenantContext {
    /// Why a file (or, with `entry`, one file of a folder such as `group-owners/{id}.json`) is not there, for an
    /// `unknown` result: the manifest's reason when the capture recorded one, else the file and what it needs.
    public func missing(_ file: SnapshotFile, entry: String? = nil) -> String {
        if let reason = snapshot.whyUnavailable(file) { return "\(reason)." }
        let name = entry.map { "\(file.rawValue)/\($0).json" } ?? file.rawValue
        let requirement = file.requirement.map { " (needs \($0))" } ?? ""
        return "\(name) is not in the snapshot\(requirement)."
    }

    /// Active Global Administrators (object ids, normalised) at `now`.
    public var globalAdministratorIDs: Set<String> {
        Set(directory.activeHolders(ofRole: WellKnownRole.globalAdministrator, at: now).map { Directory.normalized($0.id) })
    }

    /// A principal's display name: a user's UPN, a service principal's or group's name, else the id.
    public func principalName(_ id: String) -> String {
        if let user = directory.user(id) { return user.name }
        if let servicePrincipal = snapshot.servicePrincipals?.first(where: { Directory.normalized($0.id) == Directory.normalized(id) }) {
            return servicePrincipal.name
        }
        if let group = directory.group(id) { return group.name }
        return id
    }
}

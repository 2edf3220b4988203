import Foundation

/// What a path lets its principal do to an emergency account.
public enum PathKind: String, Sendable, Codable, CaseIterable {
    /// Reset the password, add a method, or make itself Global Administrator: act as the account.
    case takeOver = "take-over"
    /// Keep the account out: a policy that blocks it, a method disabled tenant-wide, the exclusion removed.
    case lockOut = "lock-out"
}

/// One vertex of a path: a principal, a group, an application, a role, a permission or what it leads to.
public struct PathNode: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case user, group, servicePrincipal, application, role, permission, capability
        /// An id the snapshot does not resolve (a deleted principal, or one of a kind the snapshot does not hold).
        case directoryObject
    }

    public var kind: Kind
    /// The object id; for a role `template@scope`; for a permission its name; for a capability a key.
    public var id: String
    public var name: String

    public init(kind: Kind, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    /// Users and service principals act; everything else is held or reached.
    public var isPrincipal: Bool { kind == .user || kind == .servicePrincipal || kind == .directoryObject }
}

/// Where a hop comes from: the snapshot file, the record in it, and what the record says.
public struct Evidence: Sendable, Hashable, Codable {
    public var file: String
    /// The record's id: an assignment, a member or owner, a policy.
    public var objectID: String
    /// The role, permission or scope the record names.
    public var detail: String?

    public init(file: String, objectID: String, detail: String? = nil) {
        self.file = file
        self.objectID = objectID
        self.detail = detail
    }
}

/// How one node leads to the next.
public enum Relation: String, Sendable, Codable {
    /// A member of a group acts with the group's roles.
    case member
    /// An owner of a group adds members; of an application or service principal, adds credentials.
    case owner
    /// An active role assignment (permanent, time-bound or activated through PIM).
    case activeRole
    /// A PIM-eligible assignment: the holder activates it when they want.
    case eligibleRole
    /// A Microsoft Graph application permission granted to a service principal.
    case appPermission
    /// An application registration's credentials sign in as its service principal.
    case registration
    /// Whoever can add credentials to any application signs in as this one.
    case anyApplication
    /// What a role, permission or control does to an emergency account.
    case grants
}

public struct Hop: Sendable, Hashable, Codable {
    public var from: PathNode
    public var to: PathNode
    public var relation: Relation
    public var evidence: Evidence
    /// Why this hop matters, in one sentence.
    public var why: String

    public init(from: PathNode, to: PathNode, relation: Relation, evidence: Evidence, why: String) {
        self.from = from
        self.to = to
        self.relation = relation
        self.evidence = evidence
        self.why = why
    }
}

/// A principal's shortest way to take over (or lock out) one or more emergency accounts.
public struct TierZeroPath: Sendable, Hashable, Codable {
    public var kind: PathKind
    public var principal: PathNode
    /// The emergency accounts reached, by name; the hops lead to the first.
    public var accounts: [String]
    public var hops: [Hop]

    public init(kind: PathKind, principal: PathNode, accounts: [String], hops: [Hop]) {
        self.kind = kind
        self.principal = principal
        self.accounts = accounts
        self.hops = hops
    }
}

/// Data the analysis could not use, and what that leaves out: the reason a check says `unknown`.
public struct Limitation: Sendable, Hashable, Codable {
    /// The snapshot file (or folder entry) that is missing or was not captured.
    public var file: String
    /// Why, with the permission or licence it needs.
    public var reason: String
    /// What the analysis cannot see without it.
    public var effect: String

    public init(file: String, reason: String, effect: String) {
        self.file = file
        self.reason = reason
        self.effect = effect
    }
}

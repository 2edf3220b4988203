import CStringSearch
import Foundation

/// The byte strings that make a record worth parsing: the accounts' object ids (and UPNs when a file or an account
/// has no ids), the exclusion groups' ids, and "conditional access policy" for audit logs. Searching raw bytes with
/// `memmem` before any JSON or CSV parsing is what keeps a scan near the speed of `grep`.
struct NeedleSet: Sendable {
    let needles: [[UInt8]]

    init(_ strings: [String]) {
        var seen = Set<[UInt8]>()
        needles = strings.filter { !$0.isEmpty }.map { Array($0.utf8) }.filter { seen.insert($0).inserted }
    }

    /// The needles for a file of `shape`: sign-in records are matched by user id (or UPN when the file has no id
    /// column, or for an account configured by UPN only); audit records also by exclusion group and Conditional
    /// Access policy activity.
    init(targets: LogScanTargets, shape: LogShape, hasUserIDs: Bool) {
        var strings: [String] = []
        for account in targets.accounts {
            if let id = account.objectID, hasUserIDs || shape == .directoryAudits { strings.append(id) }
            if account.objectID == nil || !hasUserIDs, let upn = account.userPrincipalName {
                strings += [upn, upn.lowercased()]
            }
        }
        if shape != .signIns {
            strings += targets.groups.map(\.id)
            strings.append(LogScanTargets.policyMarker)
        }
        self.init(strings)
    }

    /// Whether any needle occurs in `bytes`.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        for needle in needles where needle.count <= bytes.count {
            let found = needle.withUnsafeBytes { bg_memmem(base, bytes.count, $0.baseAddress, needle.count) }
            if found != nil { return true }
        }
        return false
    }

    func matches(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { matches($0) } }

    /// The offsets of every occurrence of every needle in `bytes`, sorted.
    func occurrences(in bytes: UnsafeRawBufferPointer) -> [Int] {
        guard let base = bytes.baseAddress else { return [] }
        var offsets: [Int] = []
        for needle in needles where needle.count <= bytes.count {
            needle.withUnsafeBytes { pattern in
                var offset = 0
                while offset + needle.count <= bytes.count {
                    guard let hit = bg_memmem(base + offset, bytes.count - offset, pattern.baseAddress, needle.count) else { break }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    offsets.append(position)
                    offset = position + 1
                }
            }
        }
        return offsets.sorted()
    }
}

/// Who and what a scan looks for.
public struct LogScanTargets: Sendable {
    public var accounts: [WatchedAccount]
    public var groups: [WatchedGroup]

    /// Audit activities `Add/Update/Delete conditional access policy` contain this.
    static let policyMarker = "conditional access policy"

    public init(accounts: [WatchedAccount], groups: [WatchedGroup] = []) {
        self.accounts = accounts
        self.groups = groups
    }

    /// The account an id or UPN names, if it is one of ours.
    func account(id: String?, upn: String?) -> WatchedAccount? {
        if let id = id?.lowercased(), !id.isEmpty, let account = accounts.first(where: { $0.objectID == id }) {
            return account
        }
        if let upn = upn?.lowercased(), !upn.isEmpty {
            return accounts.first { $0.userPrincipalName?.lowercased() == upn }
        }
        return nil
    }

    func group(id: String?) -> WatchedGroup? {
        guard let id = id?.lowercased() else { return nil }
        return groups.first { $0.id == id }
    }
}

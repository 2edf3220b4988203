import Foundation

/// Group membership as numbers: users by their position in `snapshot.users`, groups by a dense group number, and
/// the member lists as flat arrays. Built once per `Directory`; every walk over groups (a user's groups, a group's
/// users, the groups below a group whose members are unknown) runs here over integers, and a group's transitive
/// users come out as a `Bitset` over user positions.
///
/// Membership follows the member files literally, as `Directory.transitiveGroups` always has: an object is in a
/// group when the group's file lists its id (whatever `@odata.type` says), and in every group that lists a group it
/// is in. Cycles end a walk; they never loop.
public final class MembershipIndex: Sendable {
    /// Users in the snapshot (positions `0..<userCount`).
    public let userCount: Int
    /// Normalized id of each group number: every group in groups.json, with a member file, or listed as a group.
    let groupIDs: [String]
    let groupNumbers: IDIndex
    /// Whether the snapshot holds the group's member file.
    let hasMembers: [Bool]
    /// Listed in groups.json.
    let isListed: [Bool]
    /// Members of each group that are groups (any entry whose id is a group number), in file order.
    let childGroups: CompactLists
    /// Whether each entry of `childGroups` counts as a nested group for unknown membership: `@odata.type` group, or
    /// no type and listed in groups.json (as `UserCondition` has always read it).
    let childIsTyped: [Bool]
    /// Members of each group that are users (positions), in file order.
    let directUsers: CompactLists
    /// The groups listing each group, and each user.
    let parentGroups: CompactLists
    let userGroups: CompactLists
    /// Groups listing ids that are neither users nor groups of the snapshot (devices, users not exported).
    let otherParents: [String: [Int32]]
    /// Some typed nested group has no member file: only then can a group's unknown membership be non-empty below it.
    let hasUnknownNested: Bool

    /// Group numbers and the member files in numbering order: everything that does not need the users, so that it
    /// can be built while the users' index is.
    struct Numbering: Sendable {
        var groupIDs: [String] = []
        var numbers: IDIndex
        var entries: [(owner: Int32, members: [DirectoryObjectReference])] = []

        init(_ snapshot: Snapshot) {
            numbers = IDIndex(minimumCapacity: snapshot.groups.count + snapshot.groupMembers.count)
            for group in snapshot.groups { _ = number(group.id) }
            // Member files in a stable order: the same snapshot always numbers its groups the same way.
            let files = snapshot.groupMembers.map { (Directory.normalized($0.key), $0.value) }.sorted { $0.0 < $1.0 }
            for (id, _) in files { _ = number(id) }
            entries.reserveCapacity(files.count)
            for (id, members) in files {
                for member in members where member.kind == .group { _ = number(member.id) }
                entries.append((number(id), members))
            }
        }

        mutating func number(_ id: String) -> Int32 {
            let number = numbers.insertIfAbsent(id, groupIDs.count)
            if number == groupIDs.count { groupIDs.append(Directory.normalized(id)) }
            return Int32(number)
        }
    }

    /// (list, value) pairs from a run of member files, each list's values in file order, made into flat lists at the
    /// end: no small array per group to allocate and grow (a million-user tenant has millions of member entries).
    private struct Pairs: Sendable {
        var users: [(list: Int32, value: Int32)] = []  // (group, user)
        var children: [(list: Int32, value: Int32)] = []  // (group, child group)
        var typed: [(list: Int32, value: Int32)] = []  // (group, 1 when the child counts as nested)
        var parents: [(list: Int32, value: Int32)] = []  // (child group, group)
        var userMemberships: [(list: Int32, value: Int32)] = []  // (user, group)
        var others: [(id: String, group: Int32)] = []

        init(_ entries: ArraySlice<(owner: Int32, members: [DirectoryObjectReference])>, numbers: IDIndex,
             userPositions: IDIndex, listedGroups: IDIndex)
        {
            let entryCount = entries.reduce(0) { $0 + $1.members.count }
            users.reserveCapacity(entryCount)
            userMemberships.reserveCapacity(entryCount)
            for (owner, members) in entries {
                for member in members {
                    var known = false
                    let guid = GUIDKey(member.id)
                    if let position = userPositions[member.id, guid] {
                        users.append((owner, Int32(position)))
                        userMemberships.append((Int32(position), owner))
                        known = true
                    }
                    if let child = numbers[member.id, guid] {
                        children.append((owner, Int32(child)))
                        let isTyped = member.kind == .group || (member.kind == .unknown && listedGroups[member.id] != nil)
                        typed.append((owner, isTyped ? 1 : 0))
                        parents.append((Int32(child), owner))
                        known = true
                    }
                    if !known { others.append((Directory.normalized(member.id), owner)) }
                }
            }
        }
    }

    /// `userPositions` maps a user id to its position (the first, for ids listed twice); `listedGroups` the ids in
    /// groups.json. The member files are resolved in two halves at once, and the lists built at once, in file order:
    /// the result is the same as one pass.
    init(_ snapshot: Snapshot, numbering: Numbering, userPositions: IDIndex, listedGroups: IDIndex) {
        userCount = snapshot.users.count
        let entries = numbering.entries
        let groupCount = numbering.groupIDs.count
        let middle = entries.count / 2
        let (first, second) = concurrently(
            { Pairs(entries[..<middle], numbers: numbering.numbers, userPositions: userPositions, listedGroups: listedGroups) },
            { Pairs(entries[middle...], numbers: numbering.numbers, userPositions: userPositions, listedGroups: listedGroups) })
        let halves = [first, second]
        var hasMembers = [Bool](repeating: false, count: groupCount)
        for (owner, _) in entries { hasMembers[Int(owner)] = true }
        var others: [String: [Int32]] = [:]
        for half in halves { for (id, group) in half.others { others[id, default: []].append(group) } }
        var listed = [Bool](repeating: false, count: groupCount)
        for group in snapshot.groups { if let number = numbering.numbers[group.id] { listed[number] = true } }
        let users = snapshot.users.count
        let (userGroups, groupLists) = concurrently(
            { CompactLists(halves.map(\.userMemberships), count: users) },
            {
                (children: CompactLists(halves.map(\.children), count: groupCount),
                 // The same lists in the same order as `children`: the flat values line up slot for slot.
                 typed: CompactLists(halves.map(\.typed), count: groupCount).values.map { $0 != 0 },
                 users: CompactLists(halves.map(\.users), count: groupCount),
                 parents: CompactLists(halves.map(\.parents), count: groupCount))
            })
        groupIDs = numbering.groupIDs
        groupNumbers = numbering.numbers
        self.hasMembers = hasMembers
        isListed = listed
        childGroups = groupLists.children
        childIsTyped = groupLists.typed
        directUsers = groupLists.users
        parentGroups = groupLists.parents
        self.userGroups = userGroups
        otherParents = others
        var unknownNested = false
        for (owner, _) in entries where !unknownNested {
            let range = childGroups.range(of: Int(owner))
            for slot in range where childIsTyped[slot] && !hasMembers[Int(childGroups.values[slot])] {
                unknownNested = true
                break
            }
        }
        hasUnknownNested = unknownNested
    }

    public var groupCount: Int { groupIDs.count }

    /// The group's number, when the snapshot knows the group.
    public func groupNumber(_ id: String) -> Int? { groupNumbers[id] }

    public func groupID(_ number: Int) -> String { groupIDs[number] }

    // MARK: Upwards: the groups of an object

    /// The groups whose member files list the object (a user position, a group number, or another id).
    func directGroups(of id: String, userPosition: Int?) -> [Int32] {
        var result: [Int32] = []
        if let userPosition { result += userGroups[userPosition] }
        if let group = groupNumbers[id] { result += parentGroups[Int(group)] }
        if let other = otherParents[id] { result += other }
        return result
    }

    /// Every group the object is in, directly or nested, each with the group below it on the way to the object
    /// (`-1`: a direct membership), as an array by group number (`-2`: not a member). One walk, visiting each group
    /// once.
    public func ancestry(of id: String, userPosition: Int?) -> Ancestry {
        // Breadth first: the path kept below each group is a shortest chain of nesting down to the object. Over raw
        // buffers, with the queue allocated once: on a directory whose groups nest thousands deep this walk is most
        // of a `whatif`.
        var below = [Int32](repeating: -2, count: groupCount)
        let direct = directGroups(of: id, userPosition: userPosition)
        var tail = 0
        // Each group enters the queue at most once; the slots past `tail` are never read.
        _ = [Int32](unsafeUninitializedCapacity: max(groupCount, 1)) { queue, initialized in
            defer { initialized = 0 }
            below.withUnsafeMutableBufferPointer { below in
                for group in direct where below[Int(group)] == -2 {
                    below[Int(group)] = -1
                    queue[tail] = group
                    tail += 1
                }
                parentGroups.starts.withUnsafeBufferPointer { starts in
                    parentGroups.values.withUnsafeBufferPointer { parents in
                        var head = 0
                        while head < tail {
                            let group = Int(queue[head])
                            head += 1
                            for slot in starts[group]..<starts[group + 1] {
                                let parent = parents[slot]
                                guard below[Int(parent)] == -2 else { continue }
                                below[Int(parent)] = Int32(group)
                                queue[tail] = parent
                                tail += 1
                            }
                        }
                    }
                }
            }
        }
        return Ancestry(index: self, below: below, count: tail)
    }

    /// The groups an object is in, with the path down to it.
    public struct Ancestry: Sendable {
        let index: MembershipIndex
        let below: [Int32]
        public let count: Int

        public func contains(_ group: Int) -> Bool { group >= 0 && group < below.count && below[group] != -2 }

        public func contains(groupID id: String) -> Bool { index.groupNumber(id).map(contains) ?? false }

        /// The group numbers between `group` and the object, outermost first (empty for a direct membership): a
        /// shortest chain of nesting.
        public func pathNumbers(below groupID: String) -> [Int] {
            index.groupNumber(groupID).map(pathNumbers(belowNumber:)) ?? []
        }

        /// `pathNumbers(below:)` for a group given by number.
        public func pathNumbers(belowNumber group: Int) -> [Int] {
            guard contains(group) else { return [] }
            var chain: [Int] = []
            var current = below[group]
            while current >= 0, chain.count < count {
                chain.append(Int(current))
                current = below[Int(current)]
            }
            return chain
        }

        /// `pathNumbers` as group ids.
        public func path(below groupID: String) -> [String] { pathNumbers(below: groupID).map { index.groupIDs[$0] } }

        /// The group ids, in no particular order.
        public var groupIDs: [String] {
            below.indices.compactMap { below[$0] == -2 ? nil : index.groupIDs[$0] }
        }
    }

    // MARK: Downwards: the users of a group

    /// The transitive users of each group (a user in a nested group is in the group), by normalized group id; a
    /// group the snapshot does not know has none. Closures are memoised: groups are done descendants first, and a
    /// walk that meets a finished group adds its users and skips everything below it. Cycles are walked once.
    public func transitiveUsers(ofGroups ids: [String]) -> [String: Bitset] {
        let wanted = Set(ids.map(Directory.normalized))
        let targets = wanted.compactMap { groupNumbers[$0].map(Int32.init) }
        var result: [String: Bitset] = [:]
        for id in wanted where groupNumbers[id] == nil { result[id] = Bitset(capacity: userCount) }
        var isTarget = [Bool](repeating: false, count: groupCount)
        for target in targets { isTarget[Int(target)] = true }

        // Targets in post-order of a walk down from all of them: in a DAG, a group after every target below it.
        var order: [Int32] = []
        var state = [UInt8](repeating: 0, count: groupCount)  // 0 new, 1 on the stack, 2 done
        for root in targets.sorted() where state[Int(root)] == 0 {
            var stack: [(group: Int32, next: Int)] = [(root, childGroups.range(of: Int(root)).lowerBound)]
            state[Int(root)] = 1
            while let top = stack.last {
                let range = childGroups.range(of: Int(top.group))
                if top.next < range.upperBound {
                    stack[stack.count - 1].next += 1
                    let child = childGroups.values[top.next]
                    if state[Int(child)] == 0 {
                        state[Int(child)] = 1
                        stack.append((child, childGroups.range(of: Int(child)).lowerBound))
                    }
                } else {
                    stack.removeLast()
                    state[Int(top.group)] = 2
                    if isTarget[Int(top.group)] { order.append(top.group) }
                }
            }
        }

        var finished: [Int32: (users: Bitset, groups: Bitset)] = [:]
        var stack: [Int32] = []
        for target in order {
            var users = Bitset(capacity: userCount)
            var reached = Bitset(capacity: groupCount)
            reached.insert(Int(target))
            stack.append(target)
            while let group = stack.popLast() {
                if group != target, let done = finished[group] {
                    users.formUnion(done.users)
                    reached.formUnion(done.groups)
                    continue
                }
                for user in directUsers[Int(group)] { users.insert(Int(user)) }
                for child in childGroups[Int(group)] where !reached.contains(Int(child)) {
                    reached.insert(Int(child))
                    stack.append(child)
                }
            }
            finished[target] = (users, reached)
            result[groupIDs[Int(target)]] = users
        }
        return result
    }

    /// The group and the groups nested in it (by `@odata.type` group, or untyped and in groups.json) whose member
    /// files the snapshot does not hold, in walk order.
    public func groupsWithUnknownMembers(under id: String) -> [String] {
        let normalized = Directory.normalized(id)
        guard let start = groupNumbers[normalized] else { return [normalized] }
        guard hasMembers[Int(start)] else { return [normalized] }
        guard hasUnknownNested else { return [] }
        var unknown: [String] = []
        var seen = Bitset(capacity: groupCount)
        var stack = [Int32(start)]
        while let group = stack.popLast() {
            guard !seen.contains(Int(group)) else { continue }
            seen.insert(Int(group))
            guard hasMembers[Int(group)] else {
                unknown.append(groupIDs[Int(group)])
                continue
            }
            let range = childGroups.range(of: Int(group))
            for slot in range where childIsTyped[slot] { stack.append(childGroups.values[slot]) }
        }
        return unknown
    }
}

/// Lists of integers stored end to end: one allocation for all of them, read by index.
struct CompactLists: Sendable {
    let starts: [Int]
    let values: [Int32]

    /// Lists `0..<count` from runs of (list, value) pairs, each list's values in the order of the runs and pairs.
    init(_ runs: [[(list: Int32, value: Int32)]], count: Int) {
        var starts = [Int](repeating: 0, count: count + 1)
        for pairs in runs { for pair in pairs { starts[Int(pair.list) + 1] += 1 } }
        for list in 0..<count { starts[list + 1] += starts[list] }
        var next = starts
        var values = [Int32](repeating: 0, count: starts[count])
        for pairs in runs {
            for pair in pairs {
                values[next[Int(pair.list)]] = pair.value
                next[Int(pair.list)] += 1
            }
        }
        self.starts = starts
        self.values = values
    }

    func range(of list: Int) -> Range<Int> { starts[list]..<starts[list + 1] }

    subscript(list: Int) -> ArraySlice<Int32> { values[range(of: list)] }
}

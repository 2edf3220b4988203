import Foundation

/// A directed graph "whoever controls `from` controls `to`", numbered densely: nodes are `Int32` positions, edges
/// live in one array, and the reverse adjacency is one offsets array plus one edge-index array (CSR). Building is
/// O(nodes + edges); a breadth-first search from a goal walks the reverse edges once. There is no matrix and no
/// per-pair work anywhere, so thousands of service principals cost what their grants and owners cost.
struct AccessGraph {
    struct Edge {
        var from: Int32
        var to: Int32
        var relation: Relation
        var evidence: Evidence
        var why: String
    }

    private(set) var nodes: [PathNode] = []
    private(set) var edges: [Edge] = []
    /// Nodes that cannot act (a disabled account, a disabled service principal): searches do not pass through them.
    private(set) var disabled: [Bool] = []
    private var index: [String: Int32] = [:]
    private var edgeKeys: Set<UInt64> = []

    var nodeCount: Int { nodes.count }

    func existing(_ kind: PathNode.Kind, _ id: String) -> Int32? { index[Self.key(kind, id)] }

    /// The node for `kind`/`id`, created on first use.
    mutating func node(_ kind: PathNode.Kind, _ id: String, name: String) -> Int32 {
        let key = Self.key(kind, id)
        if let existing = index[key] { return existing }
        let position = Int32(nodes.count)
        nodes.append(PathNode(kind: kind, id: id, name: name))
        disabled.append(false)
        index[key] = position
        return position
    }

    mutating func disable(_ node: Int32) { disabled[Int(node)] = true }

    /// Adds `from → to` once: a second record of the same pair (an assignment and its schedule instance) is dropped.
    @discardableResult
    mutating func edge(_ from: Int32, _ to: Int32, _ relation: Relation, _ evidence: Evidence, why: String) -> Bool {
        guard from != to else { return false }
        let key = UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))
        guard edgeKeys.insert(key).inserted else { return false }
        edges.append(Edge(from: from, to: to, relation: relation, evidence: evidence, why: why))
        return true
    }

    private static func key(_ kind: PathNode.Kind, _ id: String) -> String { "\(kind.rawValue):\(id)" }

    /// Incoming edges per node: `offsets[v]..<offsets[v+1]` index into `incoming`, which holds edge positions.
    struct Reverse {
        var offsets: [Int32]
        var incoming: [Int32]
    }

    func reverse() -> Reverse {
        var offsets = [Int32](repeating: 0, count: nodes.count + 1)
        for edge in edges { offsets[Int(edge.to) + 1] += 1 }
        for position in 0..<nodes.count { offsets[position + 1] += offsets[position] }
        var fill = offsets
        var incoming = [Int32](repeating: 0, count: edges.count)
        for (position, edge) in edges.enumerated() {
            incoming[Int(fill[Int(edge.to)])] = Int32(position)
            fill[Int(edge.to)] += 1
        }
        return Reverse(offsets: offsets, incoming: incoming)
    }

    /// Breadth-first from `goal` against the edges: for every node that reaches the goal, the first edge of one of
    /// its shortest ways there (-1: it does not reach it). Disabled nodes and edges `allowed` rejects are not used.
    func search(to goal: Int32, reverse: Reverse, allowed: (Relation) -> Bool = { _ in true }) -> [Int32] {
        var next = [Int32](repeating: -1, count: nodes.count)
        var visited = [Bool](repeating: false, count: nodes.count)
        visited[Int(goal)] = true
        var queue: [Int32] = [goal]
        var head = 0
        while head < queue.count {
            let current = Int(queue[head])
            head += 1
            for slot in Int(reverse.offsets[current])..<Int(reverse.offsets[current + 1]) {
                let edgeIndex = reverse.incoming[slot]
                let edge = edges[Int(edgeIndex)]
                let source = Int(edge.from)
                guard !visited[source], !disabled[source], allowed(edge.relation) else { continue }
                visited[source] = true
                next[source] = edgeIndex
                queue.append(edge.from)
            }
        }
        return next
    }

    /// The hops from `start` to the goal of the search that produced `next`.
    func hops(from start: Int32, next: [Int32]) -> [Hop] {
        var hops: [Hop] = []
        var current = start
        var guardCount = 0
        while next[Int(current)] >= 0, guardCount <= nodes.count {
            let edge = edges[Int(next[Int(current)])]
            hops.append(Hop(from: nodes[Int(edge.from)], to: nodes[Int(edge.to)], relation: edge.relation,
                            evidence: edge.evidence, why: edge.why))
            current = edge.to
            guardCount += 1
        }
        return hops
    }
}

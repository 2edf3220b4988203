import Foundation
import Paths

public enum PathsFormat: String, CaseIterable, Sendable {
    case text, json, dot, html
}

/// Renders the tier-0 analysis (`breakglass paths`): who can take over or lock out the emergency accounts, hop by hop
/// with the evidence. Renders only.
public struct PathsReport: Sendable {
    public let analysis: TierZeroAnalysis
    public let tenant: String

    public init(analysis: TierZeroAnalysis, tenant: String) {
        self.analysis = analysis
        self.tenant = tenant
    }

    public func render(_ format: PathsFormat, color: Bool = false) -> String {
        switch format {
        case .text: text(color: color)
        case .json: json()
        case .dot: dot()
        case .html: htmlPage()
        }
    }

    var summary: String {
        let takeOver = analysis.paths(.takeOver).count
        let lockOut = analysis.paths(.lockOut).count
        return "\(takeOver) principal\(takeOver == 1 ? "" : "s") can take over an emergency account, \(lockOut) more can lock one out"
    }

    // MARK: Text

    func text(color: Bool) -> String {
        let paint = ANSI(enabled: color)
        var lines: [String] = []
        lines.append(paint.bold("Who can take over or lock out the emergency accounts — \(tenant)"))
        let accounts = analysis.accounts.map { account -> String in
            let units = account.restrictedUnits.map { $0.isEmpty ? "" : " (restricted unit)" } ?? ""
            return account.name + units
        }
        lines.append("Emergency accounts: " + (accounts.isEmpty ? "none resolved" : accounts.joined(separator: ", ")))
        lines.append(summary + paint.dim(" (graph of \(analysis.nodeCount) nodes, \(analysis.edgeCount) edges)"))
        for kind in PathKind.allCases {
            let paths = analysis.paths(kind)
            guard !paths.isEmpty else { continue }
            lines.append("")
            lines.append(paint.bold(kind == .takeOver ? "TAKE OVER (\(paths.count))" : "LOCK OUT (\(paths.count))"))
            for path in paths {
                let mark = kind == .takeOver ? paint.red("✗") : paint.yellow("!")
                lines.append("\(mark) \(path.principal.name) [\(label(path.principal.kind))] → \(path.accounts.joined(separator: ", "))")
                for (position, hop) in path.hops.enumerated() {
                    lines.append("    \(position + 1). \(hop.from.name) —\(relationLabel(hop.relation))→ \(hop.to.name)")
                    lines.append(paint.dim("       \(evidenceLine(hop.evidence)) · \(hop.why)"))
                }
            }
        }
        if !analysis.limitations.isEmpty {
            lines.append("")
            lines.append(paint.bold("Not analysed (\(analysis.limitations.count))"))
            for limitation in analysis.limitations {
                lines.append("? \(limitation.reason). \(limitation.effect)")
            }
        }
        return lines.joined(separator: "\n")
    }

    func label(_ kind: PathNode.Kind) -> String {
        switch kind {
        case .user: "user"
        case .group: "group"
        case .servicePrincipal: "application"
        case .application: "app registration"
        case .role: "role"
        case .permission: "permission"
        case .capability: "capability"
        case .directoryObject: "object"
        }
    }

    func relationLabel(_ relation: Relation) -> String {
        switch relation {
        case .member: "member of"
        case .owner: "owns"
        case .activeRole: "holds"
        case .eligibleRole: "eligible for"
        case .appPermission: "granted"
        case .registration: "credentials of"
        case .anyApplication: "adds a credential to"
        case .grants: "lets it"
        }
    }

    func evidenceLine(_ evidence: Evidence) -> String {
        "\(evidence.file) \(evidence.objectID)" + (evidence.detail.map { " (\($0))" } ?? "")
    }

    // MARK: JSON

    struct Document: Encodable {
        var schemaVersion = 1
        var tenant: String
        var accounts: [TierZeroAnalysis.Account]
        var summary: Summary
        var paths: [TierZeroPath]
        var limitations: [Limitation]
    }

    struct Summary: Encodable {
        var takeOver: Int
        var lockOut: Int
        var nodes: Int
        var edges: Int
    }

    func json() -> String {
        let document = Document(
            tenant: tenant, accounts: analysis.accounts,
            summary: Summary(takeOver: analysis.paths(.takeOver).count, lockOut: analysis.paths(.lockOut).count,
                             nodes: analysis.nodeCount, edges: analysis.edgeCount),
            paths: analysis.paths, limitations: analysis.limitations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Graphviz

    /// The union of every path as a Graphviz digraph: principals on the left, the accounts' take-over (red) and
    /// lock-out (orange) on the right. Render with `dot -Tsvg paths.dot -o paths.svg`.
    func dot() -> String {
        var lines = [
            "digraph tierzero {",
            "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, label=\(quote("Tier-0 paths to the emergency accounts — \(tenant)")), labelloc=t];",
            "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#ffffff\"];",
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#57606a\"];",
        ]
        var nodes: [String: PathNode] = [:]
        var order: [String] = []
        var edges: [String] = []
        var seenEdges: Set<String> = []
        func key(_ node: PathNode) -> String { "\(node.kind.rawValue):\(node.id)" }
        for path in analysis.paths {
            for hop in path.hops {
                for node in [hop.from, hop.to] where nodes[key(node)] == nil {
                    nodes[key(node)] = node
                    order.append(key(node))
                }
                let edge = "  \(quote(key(hop.from))) -> \(quote(key(hop.to))) [label=\(quote(relationLabel(hop.relation)))\(hop.relation == .eligibleRole ? ", style=dashed" : "")];"
                if seenEdges.insert(edge).inserted { edges.append(edge) }
            }
        }
        for name in order {
            guard let node = nodes[name] else { continue }
            lines.append("  \(quote(name)) [label=\(quote(node.name)), \(style(node))];")
        }
        lines += edges
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    func style(_ node: PathNode) -> String {
        switch node.kind {
        case .user: return "shape=ellipse, fillcolor=\"#ddf4ff\""
        case .servicePrincipal: return "shape=box, fillcolor=\"#dafbe1\""
        case .application: return "shape=component, fillcolor=\"#dafbe1\""
        case .group: return "shape=folder, fillcolor=\"#fff8c5\""
        case .role: return "shape=hexagon, fillcolor=\"#f6f8fa\""
        case .permission: return "shape=note, fillcolor=\"#f6f8fa\""
        case .directoryObject: return "shape=ellipse, style=\"filled,dashed\""
        case .capability:
            if node.id.hasPrefix("take-over:") { return "shape=doubleoctagon, fillcolor=\"#ffebe9\", color=\"#cf222e\"" }
            if node.id.hasPrefix("lock-out:") { return "shape=octagon, fillcolor=\"#fff1e5\", color=\"#bc4c00\"" }
            return "shape=diamond, fillcolor=\"#f6f8fa\""
        }
    }

    func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    // MARK: HTML

    /// The section the audit's HTML report embeds (well-formed XHTML).
    public func htmlSection() -> String {
        var body: [String] = []
        body.append("<section id=\"paths\"><h2>Who can take over or lock out the emergency accounts</h2>")
        body.append("<p>\(xml(summary)).</p>")
        for kind in PathKind.allCases {
            let paths = analysis.paths(kind)
            guard !paths.isEmpty else { continue }
            body.append("<h3>\(kind == .takeOver ? "Take over" : "Lock out") (\(paths.count))</h3>")
            body.append("<table class=\"paths\"><thead><tr><th>principal</th><th>accounts</th><th>path, with evidence</th></tr></thead><tbody>")
            for path in paths {
                let hops = path.hops.map { hop in
                    "<li>\(xml(hop.from.name)) <em>\(xml(relationLabel(hop.relation)))</em> \(xml(hop.to.name))"
                        + "<br/><span class=\"related\"><code>\(xml(evidenceLine(hop.evidence)))</code> \(xml(hop.why))</span></li>"
                }.joined()
                body.append("<tr><td>\(xml(path.principal.name))<br/><span class=\"tag\">\(xml(label(path.principal.kind)))</span></td>"
                    + "<td>\(xml(path.accounts.joined(separator: ", ")))</td><td><ol>\(hops)</ol></td></tr>")
            }
            body.append("</tbody></table>")
        }
        if analysis.paths.isEmpty { body.append("<p>No principal besides the emergency accounts reaches them.</p>") }
        if !analysis.limitations.isEmpty {
            body.append("<h3>Not analysed</h3><ul>" + analysis.limitations.map {
                "<li><code>\(xml($0.file))</code>: \(xml($0.reason)). \(xml($0.effect))</li>"
            }.joined() + "</ul>")
        }
        body.append("</section>")
        return body.joined(separator: "\n")
    }

    func htmlPage() -> String {
        let title = "Tier-0 paths — \(tenant)"
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(xml(title))</title>
            <style>\(HTMLReport.css)</style>
            </head>
            <body>
            <header><h1>\(xml(title))</h1><p class="meta">Emergency accounts: \(xml(analysis.accounts.map(\.name).joined(separator: ", ")))</p></header>
            \(htmlSection())
            <footer>Generated by breakglass. Each hop names the snapshot file and record it comes from.</footer>
            </body>
            </html>

            """
    }
}

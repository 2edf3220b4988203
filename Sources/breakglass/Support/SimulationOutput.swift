import EntraModel
import Foundation
import Lockout
import Paths
import Reports

/// `simulate` as text: a verdict per scenario, then who gets in where.
enum SimulationText {
    static func render(_ matrix: LockoutMatrix, coverage: Coverage?, remaining: TierZeroAnalysis? = nil,
                       color: Bool) -> String {
        let paint = ANSI(enabled: color)
        var lines: [String] = []
        lines.append(paint.bold("Failure scenarios") + " — \(matrix.rows.count) administrators, emergency accounts first")
        lines.append("")
        for verdict in matrix.verdicts {
            let mark = verdict.isRecoverable ? paint.green("✓ recoverable  ") : paint.red("✗ UNRECOVERABLE")
            let who = verdict.isRecoverable
                ? "Global Administrators in: \(verdict.globalAdministratorsIn.prefix(4).joined(separator: ", "))\(verdict.globalAdministratorsIn.count > 4 ? ", …" : "")"
                : "no Global Administrator reaches an admin resource"
            lines.append("\(mark) \(verdict.scenario.rawValue.padding(25)) \(who)")
        }
        for scenario in matrix.scenarios {
            lines.append("")
            lines.append(paint.bold("\(scenario.rawValue)") + ": \(scenario.summary)")
            for row in matrix.rows {
                let tag = row.isPriority ? " [emergency]" : (row.isGlobalAdministrator ? " [GA]" : "")
                let cells = AdminResource.allCases.map { resource -> String in
                    let outcome = row.outcomes[scenario]?[resource]
                    let ok = outcome?.succeeded == true
                    return "\(resource.rawValue) " + (ok ? paint.green("✓") : paint.red("✗"))
                }
                lines.append("  \((row.user.name + tag).padding(48)) \(cells.joined(separator: "  "))")
                if let failure = AdminResource.allCases.lazy.compactMap({ row.outcomes[scenario]?[$0] }).first(where: { !$0.succeeded }),
                    row.isPriority || row.isGlobalAdministrator
                {
                    lines.append("      " + paint.dim(failure.explanation))
                }
            }
        }
        if let remaining {
            lines.append("")
            lines.append(paint.bold("admin-compromise: paths that remain")
                + " — with every other Global Administrator disabled, \(remaining.paths(.takeOver).count) can still take over and \(remaining.paths(.lockOut).count) lock out an emergency account")
            for path in remaining.paths.prefix(25) {
                let route = path.hops.map(\.to.name).joined(separator: " → ")
                lines.append("  \(path.kind == .takeOver ? paint.red("take over") : paint.yellow("lock out ")) \(path.principal.name.padding(40)) \(route)")
            }
            if remaining.paths.count > 25 { lines.append("  … \(remaining.paths.count - 25) more (breakglass paths, or --format json)") }
        }
        if let coverage {
            lines.append("")
            lines.append(paint.bold("Coverage over \(coverage.userCount) users"))
            for scenario in matrix.scenarios {
                let count = coverage.blockedCount(in: scenario)
                lines.append("  \(scenario.rawValue.padding(25)) \(count) users cannot reach every admin resource")
            }
            let passwordOnly = coverage.passwordOnly
            lines.append("  \(passwordOnly.count) users get in with a password alone (untrusted network, unmanaged device):")
            for entry in passwordOnly.prefix(25) {
                lines.append("    \(entry.user.name.padding(44)) \(entry.resources.joined(separator: ", "))")
            }
            if passwordOnly.count > 25 { lines.append("    … \(passwordOnly.count - 25) more (use --format json for all)") }
        }
        return lines.joined(separator: "\n")
    }
}

enum SimulationJSON {
    struct Document: Encodable {
        var scenarios: [Verdict]
        var admins: [Row]
        var coverage: CoverageDocument?
        /// admin-compromise: the take-over and lock-out paths left with the other Global Administrators disabled.
        var remainingPaths: [TierZeroPath]?
    }

    struct Verdict: Encodable {
        var scenario: String
        var summary: String
        var recoverable: Bool
        var globalAdministratorsIn: [String]
        var emergencyAccountsIn: [String]
    }

    struct Row: Encodable {
        var id: String
        var userPrincipalName: String?
        var emergencyAccount: Bool
        var globalAdministrator: Bool
        var outcomes: [String: [String: Outcome]]
    }

    struct Outcome: Encodable {
        var result: String
        var detail: [String]
    }

    struct CoverageDocument: Encodable {
        var users: Int
        var blocked: [String: [Entry]]
        var passwordOnly: [Entry]
    }

    struct Entry: Encodable {
        var id: String
        var userPrincipalName: String?
        var resources: [String]
    }

    static func render(_ matrix: LockoutMatrix, coverage: Coverage?, remaining: TierZeroAnalysis? = nil) throws -> String {
        func outcome(_ value: Simulation.Outcome) -> Outcome {
            switch value {
            case .signedIn(let controls): Outcome(result: "signedIn", detail: controls)
            case .blocked(let reasons): Outcome(result: "blocked", detail: reasons)
            case .cannotAuthenticate(let reason): Outcome(result: "cannotAuthenticate", detail: [reason])
            }
        }
        func entries(_ list: [Coverage.Entry]) -> [Entry] {
            list.map { Entry(id: $0.user.id, userPrincipalName: $0.user.userPrincipalName, resources: $0.resources) }
        }
        let document = Document(
            scenarios: matrix.verdicts.map {
                Verdict(scenario: $0.scenario.rawValue, summary: $0.scenario.summary, recoverable: $0.isRecoverable,
                        globalAdministratorsIn: $0.globalAdministratorsIn, emergencyAccountsIn: $0.priorityIn)
            },
            admins: matrix.rows.map { row in
                Row(id: row.user.id, userPrincipalName: row.user.userPrincipalName, emergencyAccount: row.isPriority,
                    globalAdministrator: row.isGlobalAdministrator,
                    outcomes: Dictionary(uniqueKeysWithValues: row.outcomes.map { scenario, byResource in
                        (scenario.rawValue, Dictionary(uniqueKeysWithValues: byResource.map { ($0.key.rawValue, outcome($0.value)) }))
                    }))
            },
            coverage: coverage.map { coverage in
                CoverageDocument(
                    users: coverage.userCount,
                    blocked: Dictionary(uniqueKeysWithValues: matrix.scenarios.map { ($0.rawValue, entries(coverage.blocked(in: $0))) }),
                    passwordOnly: entries(coverage.passwordOnly))
            },
            remainingPaths: remaining?.paths)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}

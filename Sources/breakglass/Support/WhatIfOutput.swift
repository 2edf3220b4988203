import AccessPolicy
import EntraModel
import Foundation
import Reports

/// `whatif` as JSON (spec/evaluation.md, "Output of whatif --format json") and as text that reads like Entra's What If.
enum WhatIfOutput {

    static func json(_ evaluation: Evaluation, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(evaluation), as: UTF8.self)
    }

    static func text(user: User, context: SignInContext, evaluation: Evaluation, evaluator: Evaluator, color: Bool) -> String {
        let paint = ANSI(enabled: color)
        let resource = Resource.alias(forID: context.resource).map { "\($0) (\(context.resource))" } ?? context.resource
        var lines = [
            paint.bold("What If: \(user.name)"),
            "  resource \(resource), \(context.clientApp) on \(context.platform)"
                + (context.ipAddress.map { ", from \($0)" } ?? "") + (context.country.map { " (\($0))" } ?? ""),
            "  device \(context.device.isRegistered ? [context.device.isCompliant ? "compliant" : nil, context.device.isHybridJoined ? "hybrid-joined" : nil].compactMap { $0 }.joined(separator: ", ").ifEmpty("registered") : "unregistered")"
                + ", user risk \(context.userRisk), sign-in risk \(context.signInRisk), insider risk \(context.insiderRisk)",
            "  can satisfy: \(evaluation.capabilities.map { Capability.allCases.filter($0.contains).map(\.rawValue) }?.joined(separator: ", ").ifEmpty("nothing beyond the password") ?? "unknown")",
            "",
        ]
        let decision: String = switch evaluation.decision {
        case .grant: paint.green("GRANT") + " — no enforced policy requires anything"
        case .grantWithControls: paint.yellow("GRANT WITH CONTROLS") + " — " + evaluation.requiredControls.joined(separator: ", ")
        case .block: paint.red("BLOCK") + " — " + (evaluation.blockReasons.first ?? "blocked")
        }
        lines.append("Decision: " + decision)
        for reason in evaluation.blockReasons.dropFirst() { lines.append("          " + reason) }
        lines.append("")
        let applying = evaluation.policies.filter { $0.applies != .no }
        let others = evaluation.policies.filter { $0.applies == .no }
        lines.append(paint.bold("Policies that apply (\(applying.count))"))
        for verdict in applying { lines += describe(verdict, paint: paint) }
        lines.append("")
        lines.append(paint.bold("Policies that do not apply (\(others.count))"))
        for verdict in others {
            lines.append("  " + paint.dim("–") + " \(verdict.displayName)" + paint.dim(" [\(verdict.state)]") + " — \(verdict.reasons.last ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ verdict: PolicyVerdict, paint: ANSI) -> [String] {
        let mark = verdict.satisfied == false ? paint.red("✗") : paint.green("✓")
        let state = verdict.isEnforced ? "" : paint.dim(" [\(verdict.state) — does not change the decision]")
        let unknown = verdict.applies == .unknown ? paint.yellow(" (applies: unknown, assumed)") : ""
        var lines = ["  \(mark) \(verdict.displayName)\(state)\(unknown)"]
        for reason in verdict.reasons { lines.append("      " + reason) }
        if let requires = verdict.requires {
            let text = requires.blocks ? "block" : requires.controls.joined(separator: " \(requires.operator) ")
            lines.append("      requires: \(text)" + (verdict.satisfied.map { $0 ? " — satisfied" : " — NOT satisfied" } ?? ""))
        }
        for line in verdict.decidedBy { lines.append("      · " + line) }
        return lines
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted: return "not valid JSON"
        case .keyNotFound(let key, _): return "missing \(key.stringValue)"
        case .typeMismatch(_, let context): return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(_, let context): return "null at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default: return "\(error)"
        }
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

import AccessPolicy
import ArgumentParser
import EntraModel
import Foundation
import Graph
import Posture

/// `whatif --tenant ID --compare-live`: each sign-in evaluated here and by Microsoft Graph's What If, and every
/// policy where the two disagree on whether it applies, with both sides' reasons.
extension WhatIfCommand {
    func runCompareLive() async throws {
        let configuration = try tenant.loadConfiguration()
        let session = try await LiveSession.open(tenant.live, configuration: configuration, keyVault: nil,
                                                 writes: false)
        do {
            let (snapshot, _) = try await session.capture()
            let now = tenant.asOf.flatMap(GraphDate.parse) ?? snapshot.capturedAt ?? Date()
            let context = TenantContext(snapshot: snapshot, configuration: configuration, now: now, source: "live")
            var requests: [(line: Int?, request: Result<SignInRequest, any Error>)] = []
            if let batch {
                let decoder = JSONDecoder()
                for (number, text) in try Self.batchLines(batch) {
                    requests.append((number, Result { try decoder.decode(SignInRequest.self, from: Data(text.utf8)) }))
                }
            } else {
                requests.append((nil, .success(flagRequest)))
            }
            var disagreements = 0
            for (line, request) in requests {
                let signIn: SignInContext
                let user: User
                do {
                    (signIn, user) = try request.get().resolve(in: context.directory)
                } catch {
                    guard let line else {
                        if let invalid = error as? SignInRequest.Invalid { throw UsageError(invalid.description) }
                        throw error
                    }
                    let message = (error as? SignInRequest.Invalid)?.description
                        ?? "not a sign-in object: \(WhatIfOutput.describe(error))"
                    try Self.writeJSON(["line": line, "error": message])
                    continue
                }
                let evaluation = context.evaluator.evaluate(signIn)
                let answer = try await session.graph.evaluateConditionalAccess(WhatIfAPI.requestBody(for: signIn))
                let comparison = WhatIfAPI.compare(evaluation, with: try WhatIfAPI.results(fromResponse: answer))
                disagreements += comparison.disagreements.count
                if format == .json || batch != nil {
                    try Self.writeJSON(Self.json(comparison, user: user, context: signIn, line: line))
                } else {
                    Terminal.write(Self.text(comparison, user: user, context: signIn))
                }
            }
            await session.close()
            if disagreements > 0 { throw ExitCode(1) }
        } catch {
            await session.close()
            throw error
        }
    }

    static func writeJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        Terminal.write(String(decoding: data, as: UTF8.self))
    }

    static func applies(_ value: Applicability) -> Any {
        switch value {
        case .yes: true
        case .no: false
        case .unknown: "unknown"
        }
    }

    static func json(_ comparison: WhatIfAPI.Comparison, user: User, context: SignInContext, line: Int?) -> [String: Any] {
        func entry(_ disagreement: WhatIfAPI.Disagreement) -> [String: Any] {
            ["id": disagreement.policyID, "displayName": disagreement.displayName,
             "local": ["applies": applies(disagreement.localApplies), "reasons": disagreement.localReasons],
             "microsoft": ["applies": disagreement.microsoftApplies, "analysisReasons": disagreement.microsoftReasons]]
        }
        var object: [String: Any] = [
            "user": ["id": user.id, "userPrincipalName": user.userPrincipalName ?? ""],
            "resource": context.resource, "agreed": comparison.agreed,
            "disagreements": comparison.disagreements.map(entry), "undecided": comparison.undecided.map(entry),
            "unmatched": comparison.unmatched,
        ]
        if let line { object["line"] = line }
        return object
    }

    static func text(_ comparison: WhatIfAPI.Comparison, user: User, context: SignInContext) -> String {
        let resource = Resource.alias(forID: context.resource) ?? context.resource
        var lines = ["Compared with Microsoft's What If: \(user.name) to \(resource) — \(comparison.agreed) policies agree, "
            + "\(comparison.disagreements.count) disagree, \(comparison.undecided.count) Microsoft could not judge"]
        for disagreement in comparison.disagreements {
            lines.append("  ✗ \(disagreement.displayName) (\(disagreement.policyID))")
            lines.append("      breakglass: \(disagreement.localApplies.countsAsApplying ? "applies" : "does not apply") — "
                + disagreement.localReasons.joined(separator: "; "))
            lines.append("      Microsoft:  \(disagreement.microsoftApplies ? "applies" : "does not apply")"
                + (disagreement.microsoftApplies ? "" : " (\(disagreement.microsoftReasons))"))
        }
        for undecided in comparison.undecided {
            lines.append("  ? \(undecided.displayName): Microsoft needs more about the sign-in (\(undecided.microsoftReasons)); "
                + "breakglass says it \(undecided.localApplies.countsAsApplying ? "applies" : "does not apply")")
        }
        for name in comparison.unmatched { lines.append("  · \(name)") }
        return lines.joined(separator: "\n")
    }
}

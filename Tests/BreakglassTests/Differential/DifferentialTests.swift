import Foundation
import Testing

@testable import AccessPolicy
@testable import EntraModel

/// The differential test (issue 9, "What to build"): random tenants written as snapshot folders, read by the
/// product's `SnapshotReader` and by the reference model's own JSON reader, and thousands of random sign-ins
/// evaluated by both, compared on the decision, on every enabled and report-only policy's applicability (yes, no,
/// unknown) and on security defaults. Any disagreement fails the test: one of the two is wrong, and Learn decides
/// which (ReferenceModel.swift cites what the model follows; EntraRulesTests what the evaluator was fixed to).
///
/// `BREAKGLASS_DIFF_SIGNINS` (default 3,000) and `BREAKGLASS_DIFF_SEED` (default 9) set the size and the seed;
/// scripts/differential.sh runs the long form (100,000). `BREAKGLASS_DIFF_EXAMPLES=1` prints the shortest example of
/// each kind of disagreement.
@Suite("Differential: evaluator against the reference model of spec/evaluation.md")
struct DifferentialTests {
    static let signInsPerTenant = 400

    @Test("Random tenants and sign-ins: the evaluator and the reference model agree on every one")
    func evaluatorAgreesWithModel() throws {
        let environment = ProcessInfo.processInfo.environment
        let total = environment["BREAKGLASS_DIFF_SIGNINS"].flatMap(Int.init) ?? 3_000
        let seed = environment["BREAKGLASS_DIFF_SEED"].flatMap(UInt64.init) ?? 9
        var report = DifferentialReport()
        let tenants = max(1, (total + Self.signInsPerTenant - 1) / Self.signInsPerTenant)
        for index in 0..<tenants {
            let count = min(Self.signInsPerTenant, total - index * Self.signInsPerTenant)
            try Self.run(seed: seed &+ UInt64(index), variant: index, signIns: count, into: &report)
        }
        print(report.summary(seed: seed))
        #expect(report.total == total)
        let first = report.disagreements.prefix(5).map(\.text).joined(separator: "\n\n")
        #expect(report.disagreementCount == 0,
                "\(report.disagreementCount) of \(total) sign-ins disagree; first ones:\n\n\(first)")
    }

    /// One tenant: written, read by both sides, `signIns` sign-ins compared.
    static func run(seed: UInt64, variant: Int, signIns: Int, into report: inout DifferentialReport) throws {
        let folder = Fixture.temporaryDirectory().appendingPathComponent("tenant-\(seed)")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let clock = ContinuousClock()
        let setupStart = clock.now
        var generator = try RandomTenant(seed: seed, variant: variant, folder: folder)
        let snapshot = try SnapshotReader().read(folder)
        let evaluator = Evaluator(directory: Directory(snapshot), now: generator.now)
        let tenant = try ModelTenant(folder: folder, now: generator.now)
        let model = ReferenceModel(tenant: tenant)
        report.setupTime += clock.now - setupStart
        for _ in 0..<signIns {
            let signIn = generator.signIn()
            let t0 = clock.now
            let evaluation = evaluator.evaluate(productContext(signIn))
            let t1 = clock.now
            let theirs = Outcome(evaluation, tenant: tenant)
            let ours = Outcome(model.evaluate(signIn), tenant: tenant)
            report.evaluatorTime += t1 - t0
            report.modelTime += clock.now - t1
            report.total += 1
            guard ours != theirs else {
                report.agreed += 1
                continue
            }
            let explained = ReferenceModel(tenant: tenant, explains: true).evaluate(signIn)
            report.record(Disagreement(
                seed: seed, signature: signature(explained, ours: ours, theirs: theirs),
                text: describe(signIn, tenant: tenant, model: explained, ours: ours, evaluation: evaluation,
                               theirs: theirs)))
        }
    }

    /// What differs, in a few words, to group disagreements nothing explains: the decision, each differing policy's
    /// applicability with the first condition the model found not plainly matching, security defaults.
    static func signature(_ result: ModelResult, ours: Outcome, theirs: Outcome) -> String {
        var parts: [String] = []
        if ours.decision != theirs.decision { parts.append("decision \(ours.decision)→\(theirs.decision)") }
        for verdict in result.verdicts where ours.applies[verdict.policyID] != theirs.applies[verdict.policyID] {
            let condition = verdict.reasons.first?.split(separator: ":").first.map(String.init) ?? "all match"
            parts.append("\(verdict.state == "enabled" ? "" : "report-only ")applies "
                + "\(verdict.applies)→\(theirs.applies[verdict.policyID].map(String.init(describing:)) ?? "absent") "
                + "(\(condition))")
        }
        if ours.securityDefaults != theirs.securityDefaults {
            parts.append("security defaults \(ours.securityDefaults)→\(theirs.securityDefaults)")
        }
        return Array(Set(parts)).sorted().joined(separator: ", ")
    }

    /// The model's sign-in as the product's `SignInContext`.
    static func productContext(_ signIn: ModelSignIn) -> SignInContext {
        let device = signIn.device.map {
            Device(isRegistered: true, isCompliant: $0.isCompliant, isHybridJoined: $0.isHybridJoined,
                   properties: $0.properties)
        } ?? .unregistered
        return SignInContext(
            userID: signIn.userID, resource: signIn.resource, clientApp: signIn.clientApp, platform: signIn.platform,
            ipAddress: signIn.ip, country: signIn.country, userRisk: signIn.userRisk, signInRisk: signIn.signInRisk,
            device: device, capabilities: signIn.capabilities.map { Set($0.compactMap(Capability.init(rawValue:))) },
            insiderRisk: signIn.insiderRisk)
    }

    static func describe(_ signIn: ModelSignIn, tenant: ModelTenant, model: ModelResult, ours: Outcome,
                         evaluation: Evaluation, theirs: Outcome) -> String {
        let reference = ReferenceModel(tenant: tenant)
        var lines = ["sign-in: \(signIn)"]
        if let user = tenant.users[signIn.userID.lowercased()] {
            let registered = Abilities(model: reference, userID: user.id, signIn: ModelSignIn(userID: user.id, resource: ""))
            let used = Abilities(model: reference, userID: user.id, signIn: signIn)
            let roles = reference.activeRoles(of: user.id).map { role in
                "\(role.templateID)\(role.isBuiltIn ? "" : " (custom)")\(role.scope == "/" ? "" : " at \(role.scope)")"
            }
            let groups = tenant.groups(containing: user.id).sorted()
            lines.append("user: \(user.userPrincipalName), userType \(user.userType ?? "null"), external "
                + "\(reference.externalKind(user) ?? "no"), groups \(groups), active roles \(roles), "
                + "certificateUserIds \(user.certificateUserIds), "
                + "\(used)" + (signIn.capabilities == nil ? "" : ", registered \(registered)"))
        }
        if let methods = tenant.methods[signIn.userID.lowercased()] {
            lines.append("registered methods: " + methods.map(describe).joined(separator: ", "))
        }
        lines.append("evaluator used capabilities \(evaluation.capabilities.map { $0.map(\.rawValue).sorted() } ?? []), "
            + "notes \(evaluation.notes)")
        lines.append("decision: model \(ours.decision), evaluator \(theirs.decision)")
        if ours.decision != theirs.decision {
            lines.append("  model: \(model.blockReasons)")
            lines.append("  evaluator: \(evaluation.blockReasons)")
        }
        for verdict in model.verdicts {
            let theirVerdict = evaluation.policies.first { $0.policyID.lowercased() == verdict.policyID }
            let differs = ours.applies[verdict.policyID] != theirs.applies[verdict.policyID]
            let decides = ours.decision != theirs.decision && verdict.state == "enabled" && verdict.applies != .no
            guard differs || decides, let policy = tenant.policies.first(where: { $0.id == verdict.policyID }) else {
                continue
            }
            lines.append("policy '\(verdict.displayName)' (\(verdict.state)): model applies \(verdict.applies), "
                + "evaluator \(theirs.applies[verdict.policyID].map(String.init(describing:)) ?? "absent")")
            lines.append("  conditions: \(compactJSON(policy.raw["conditions"]))")
            lines.append("  grant: \(compactJSON(policy.raw["grantControls"]))")
            lines.append("  model: \(verdict.reasons.joined(separator: "; "))")
            lines.append("  evaluator: \((theirVerdict?.reasons ?? []).joined(separator: "; "))"
                + " satisfied \(theirVerdict?.satisfied.map(String.init(describing:)) ?? "n/a")")
        }
        if ours.securityDefaults != theirs.securityDefaults {
            lines.append("security defaults: model \(ours.securityDefaults), evaluator \(theirs.securityDefaults)")
        }
        return lines.joined(separator: "\n")
    }

    /// A registered method with the fields that decide what it is worth.
    static func describe(_ method: ModelTenant.Method) -> String {
        let name = method.kind.replacingOccurrences(of: "AuthenticationMethod", with: "")
        let keys = ["aaGuid", "createdDateTime", "isUsable", "isUsableOnce", "methodUsabilityReason", "startDateTime",
                    "lifetimeInMinutes"]
        let relevant = method.kind == "passwordAuthenticationMethod" ? [] : keys.compactMap { key in
            method.fields[key].map { "\(key)=\($0)" }
        }
        return relevant.isEmpty ? name : "\(name)(\(relevant.joined(separator: " ")))"
    }

    /// JSON without nulls and empty lists, for reading a policy in a failure message.
    static func compactJSON(_ value: Any?) -> String {
        func strip(_ value: Any?) -> Any? {
            switch value {
            case let dictionary as [String: Any]:
                let kept = dictionary.compactMapValues(strip).filter { !$0.key.hasSuffix("@odata.context") }
                return kept.isEmpty ? nil : kept
            case let array as [Any]:
                let kept = array.compactMap(strip)
                return kept.isEmpty ? nil : kept
            case is NSNull, nil: return nil
            default: return value
            }
        }
        guard let stripped = strip(value),
              let data = try? JSONSerialization.data(withJSONObject: stripped,
                                                     options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// What is compared: the decision, each enabled or report-only policy's applicability (disabled ones must not apply),
/// and what security defaults do.
struct Outcome: Equatable {
    var decision: String
    var applies: [String: Tri]
    /// `none`, `blocks` or `requiresMFA`.
    var securityDefaults: String

    init(_ result: ModelResult, tenant: ModelTenant) {
        decision = result.decision
        applies = Dictionary(result.verdicts.map { ($0.policyID, $0.applies) }, uniquingKeysWith: { first, _ in first })
        switch result.securityDefaults {
        case .none: securityDefaults = "none"
        case .blocks: securityDefaults = "blocks"
        case .requiresMFA: securityDefaults = "requiresMFA"
        }
    }

    init(_ evaluation: Evaluation, tenant: ModelTenant) {
        decision = evaluation.decision.rawValue
        let policyIDs = Set(tenant.policies.map(\.id))
        applies = [:]
        securityDefaults = "none"
        for verdict in evaluation.policies {
            let id = verdict.policyID.lowercased()
            let value: Tri = switch verdict.applies {
            case .yes: .yes
            case .no: .no
            case .unknown: .unknown
            }
            if policyIDs.contains(id) {
                applies[id] = value
            } else if value != .no, let requirement = verdict.requires {
                // Security defaults: the one verdict that is not a tenant policy (spec: "one enforced policy").
                securityDefaults = requirement.blocks ? "blocks" : "requiresMFA"
            }
        }
    }
}

struct Disagreement {
    var seed: UInt64
    var signature: String
    var text: String
}

struct DifferentialReport {
    var total = 0
    var agreed = 0
    /// The first disagreements, in full.
    var disagreements: [Disagreement] = []
    /// Disagreements by what differs, with the shortest example of each.
    var classes: [String: (count: Int, example: String)] = [:]
    var disagreementCount = 0
    var evaluatorTime = Duration.zero
    var modelTime = Duration.zero
    var setupTime = Duration.zero

    mutating func record(_ disagreement: Disagreement) {
        disagreementCount += 1
        if disagreements.count < 20 { disagreements.append(disagreement) }
        let entry = classes[disagreement.signature]
        let example = entry.map { $0.example.count <= disagreement.text.count ? $0.example : disagreement.text }
            ?? disagreement.text
        classes[disagreement.signature] = ((entry?.count ?? 0) + 1, example)
    }

    func summary(seed: UInt64) -> String {
        var lines = ["Differential test, seed \(seed): \(total) sign-ins, \(agreed) agree, \(total - agreed) disagree; "
            + "evaluator \(evaluatorTime), model \(modelTime), setup \(setupTime)"]
        for (key, entry) in classes.sorted(by: { $0.value.count > $1.value.count }) {
            lines.append("  \(entry.count)\t\(key)")
        }
        if ProcessInfo.processInfo.environment["BREAKGLASS_DIFF_EXAMPLES"] != nil {
            for (key, entry) in classes.sorted(by: { $0.key < $1.key }) {
                lines.append("\n=== \(key): shortest example\n\(entry.example)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

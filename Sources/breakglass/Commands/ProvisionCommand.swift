import ArgumentParser
import Custody
import EntraModel
import Foundation
import Posture
import Provision

struct ProvisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Create what the emergency-access design needs, as a plan two custodians approve, then apply it.",
        discussion: """
            plan writes PLAN.json (steps, requests without secrets, the checks each fixes, the tenant state hash); \
            approve adds a custodian's signature; apply runs an approved plan against the live tenant, resumably. \
            Exit codes: 2 configuration; 3 an unreadable plan or key; 4 Graph, ARM or Key Vault failed (run apply \
            again to resume); 5 refused: too few approvals, or the tenant changed since planning.
            """,
        subcommands: [Plan.self, Show.self, Approve.self, Apply.self]
    )

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute the provisioning plan and write it to --out.",
            discussion: "Example: breakglass provision plan --tenant contoso.onmicrosoft.com --config breakglass.yml --out provision-plan.json")

        @OptionGroup var source: PlanSourceOptions
        @Option(name: .customLong("workspace-id"), help: "Log Analytics workspace resource id: also plan the diagnostic setting and alert rules.")
        var workspaceID: String?
        @Option(help: "Azure subscription id of the alert rules (with --workspace-id).") var subscription: String?
        @Option(name: .customLong("resource-group"), help: "Resource group of the alert rules (with --workspace-id).")
        var resourceGroup: String?
        @Option(help: "Azure region for the deployments.") var location = "westeurope"
        @Option(name: .customLong("key-vault"), help: "Also store each new password in this vault (https://NAME.vault.azure.net).")
        var keyVault: String?
        @Option(name: .customLong("group-name"), help: "Display name of the exclusion group to create.")
        var groupName = ProvisionPlanner.defaultGroupName
        @Option(help: "The plan file to write.", completion: .file(extensions: ["json"])) var out: String

        func run() async throws {
            let (context, files, label) = try await source.load()
            let options = ProvisionOptions(workspaceID: workspaceID, subscriptionID: subscription, resourceGroup: resourceGroup,
                                           location: location, keyVault: keyVault, groupName: groupName)
            let plan = try ProvisionPlanner.plan(context: context, files: files, options: options, source: label)
            try plan.write(toPath: out)
            Terminal.write(PlanText.render(plan))
            Terminal.note("Wrote \(out). Two custodians approve it with `breakglass provision approve \(out) --key KEY`.")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a plan for review: steps, requests, signatures.",
            discussion: "Example: breakglass provision show provision-plan.json")
        @Argument(help: "The plan file.", completion: .file(extensions: ["json"])) var plan: String

        func run() throws {
            Terminal.write(PlanText.render(try Provision.Plan.load(atPath: plan)))
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the plan's hash with a custodian key.",
            discussion: "Example: breakglass provision approve provision-plan.json --key alice.key")
        @Argument(help: "The plan file.", completion: .file(extensions: ["json"])) var plan: String
        @Option(help: "The custodian key file (custodian enroll).", completion: .file()) var key: String
        @OptionGroup var passphrase: PassphraseOptions

        func run() throws { try approvePlan(plan, key: key, passphrase: passphrase, kind: .provision) }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply an approved plan: signatures checked, the tenant compared with the plan, each step journalled.",
            discussion: """
                Example: breakglass provision apply provision-plan.json --config breakglass.yml \
                --tenant contoso.onmicrosoft.com --ledger custody.db --shares-out shares/
                """)
        @Argument(help: "The plan file.", completion: .file(extensions: ["json"])) var plan: String
        @OptionGroup var apply: ApplyOptions

        func run() async throws { try await apply.run(planPath: plan, kind: .provision) }
    }
}

/// Where a plan reads the tenant: a snapshot folder or the live tenant.
struct PlanSourceOptions: ParsableArguments {
    @Option(name: .customLong("snapshot"), help: "A snapshot folder (spec/snapshot.md).", completion: .directory)
    var snapshotPath: String?
    @Option(name: .customLong("config"), help: "breakglass.yml (default: ./breakglass.yml if present).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?
    @OptionGroup(title: "Live tenant") var live: LiveOptions

    func validate() throws {
        guard (snapshotPath == nil) != (live.tenant == nil) else {
            throw ValidationError("Give exactly one of --snapshot DIR or --tenant ID.")
        }
    }

    func load() async throws -> (TenantContext, [String: Data], String) {
        let configuration = try TenantOptions.configuration(at: configPath)
        if let snapshotPath {
            let url = URL(fileURLWithPath: snapshotPath)
            let snapshot = try SnapshotReader().read(url)
            var files: [String: Data] = [:]
            for file in [SnapshotFile.policies] {
                files[file.rawValue] = FileManager.default.contents(atPath: url.appendingPathComponent(file.rawValue).path)
            }
            let context = TenantContext(snapshot: snapshot, configuration: configuration, now: Date())
            return (context, files, "snapshot \(snapshotPath)")
        }
        let session = try await LiveSession.open(live, configuration: configuration, keyVault: nil)
        do {
            let (snapshot, files) = try await session.capture()
            await session.close()
            return (TenantContext(snapshot: snapshot, configuration: configuration, now: Date(), source: "live"), files, "live")
        } catch {
            await session.close()
            throw error
        }
    }
}

/// What `apply` needs besides the plan: the tenant, the configuration, the ledger and where sheets go.
struct ApplyOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "breakglass.yml with the custodians' public keys (default: ./breakglass.yml).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?
    @OptionGroup(title: "Live tenant") var live: LiveOptions
    @Option(help: "The custody ledger (SQLite) every step is recorded in; it must exist (or give --new-ledger).", completion: .file())
    var ledger: String
    @Flag(name: .customLong("new-ledger"), help: "Start a new ledger at --ledger (refused if the file exists).")
    var newLedger = false
    @Option(name: .customLong("shares-out"), help: "Folder for the share sheets: one subfolder per custodian (0700), sheets 0600.",
            completion: .directory)
    var sharesOut: String
    @Option(name: .customLong("key-vault"), help: "The vault of the plan's Key Vault steps (https://NAME.vault.azure.net).")
    var keyVault: String?
    @Option(help: "Who applies, for the ledger (default: $USER).") var actor: String?

    func validate() throws {
        guard live.tenant != nil else { throw ValidationError("apply writes to the live tenant: give --tenant ID.") }
    }

    /// The ledger named, never one created by accident from a mistyped path (as `custody split` and `combine`).
    func openLedger() throws -> Ledger {
        if newLedger {
            guard !FileManager.default.fileExists(atPath: ledger) else {
                throw CustodyError.ledgerUnusable(path: ledger, reason: "it already exists; drop --new-ledger to use it")
            }
            return try Ledger(path: ledger)
        }
        // Opened read-only first: a path that is not a ledger is refused before anything is created or migrated.
        _ = try Ledger(readingAt: ledger)
        return try Ledger(path: ledger, mustExist: true)
    }

    func run(planPath: String, kind: Provision.Plan.Kind) async throws {
        let plan = try Provision.Plan.load(atPath: planPath)
        guard plan.kind == kind else {
            throw UsageError("\(planPath) is a \(plan.kind.rawValue) plan: apply it with `breakglass \(plan.kind == .rotate ? "rotate" : "provision") apply`")
        }
        let configuration = try TenantOptions.configuration(at: configPath)
        if plan.steps.contains(where: { $0.keyVault != nil }), keyVault == nil {
            throw UsageError("the plan stores passwords in Key Vault: give --key-vault URL")
        }
        let store = try openLedger()
        let name = actor ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        // Approvals first: without them nothing is read or written, and the refusal is on record.
        do {
            _ = try plan.verifyApprovals(configuration.custody)
        } catch {
            _ = try? store.append(.planStep, actor: name, setID: nil,
                                  outcome: "plan \(plan.hash.prefix(12)) (\(plan.kind.rawValue)) refused: \(error)")
            throw error
        }
        let session = try await LiveSession.open(live, configuration: configuration, keyVault: keyVault)
        let engine = ApplyEngine(plan: plan, planPath: planPath, custody: configuration.custody, context: ApplyContext(
            graph: session.graph, arm: session.arm, keyVault: session.keyVault, readTenant: session.capture, ledger: store,
            actor: name, sharesDirectory: sharesOut, progress: { Terminal.note($0) }))
        let report: ApplyReport
        do {
            report = try await engine.run()
            await session.close()
        } catch {
            await session.close()
            throw error
        }
        var lines = ["Applied \(report.applied.count) step(s); \(report.skipped.count) already as planned. Approved by \(report.approvedBy.joined(separator: ", "))."]
        for set in report.shareSets {
            lines.append("Share set \(set.setID) for \(set.account): any \(plan.shares.threshold) of \(set.sheets.count) sheets:")
            lines += set.sheets.map { "  \($0)" }
        }
        if !report.superseded.isEmpty {
            lines.append("Superseded share sets (destroy their sheets): \(report.superseded.joined(separator: ", "))")
        }
        if !report.shareSets.isEmpty {
            lines.append("Hand each custodian only their own folder; nobody has seen the password whole.")
        }
        Terminal.write(lines.joined(separator: "\n"))
    }
}

func approvePlan(_ path: String, key: String, passphrase: PassphraseOptions, kind: Provision.Plan.Kind) throws {
    var plan = try Provision.Plan.load(atPath: path)
    guard plan.kind == kind else { throw UsageError("\(path) is a \(plan.kind.rawValue) plan") }
    try reportingCustodyErrors {
        let (name, _) = try CustodianKey.publicKey(atPath: key)
        let secret = try passphrase.read(prompt: "Passphrase for \(name)'s key: ")
        let custodian = try CustodianKey.load(atPath: key, passphrase: secret)
        try plan.approve(with: custodian)
    }
    try plan.write(toPath: path)
    Terminal.note("\(path): approved; hash \(plan.hash); signed by \(plan.signatures.map(\.custodian).joined(separator: ", ")).")
}

/// A plan as people review it.
enum PlanText {
    static func render(_ plan: Provision.Plan) -> String {
        var lines = [
            "\(plan.kind.rawValue) plan for \(plan.tenantName.map { "\($0) (\(plan.tenantID))" } ?? plan.tenantID)",
            "hash \(plan.hash); tenant state \(plan.stateHash) from \(plan.source) at \(plan.createdAt)",
            "passwords split \(plan.shares.threshold)-of-\(plan.shares.custodians.count) to \(plan.shares.custodians.joined(separator: ", "))",
        ]
        if plan.steps.isEmpty { lines.append("Nothing to do: the tenant already has what the design needs.") }
        for (index, step) in plan.steps.enumerated() {
            lines.append("")
            lines.append("\(index + 1). \(step.what)  [fixes \(step.fixes.joined(separator: ", "))]")
            lines.append("   why: \(step.why)")
            lines.append("   precondition: \(step.precondition)")
            if let permission = step.permission { lines.append("   needs: \(permission)") }
            if let vault = step.keyVault { lines.append("   first: \(vault.service.rawValue) \(vault.summary)") }
            lines.append("   \(step.request.service.rawValue) \(step.request.summary)")
        }
        if !plan.notes.isEmpty {
            lines.append("")
            lines += plan.notes.map { "note: \($0)" }
        }
        lines.append("")
        lines.append(plan.signatures.isEmpty
            ? "Not yet approved."
            : "Approved by: " + plan.signatures.map { "\($0.custodian) (\($0.signedAt))" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}

extension ProvisionError: ExitCodeProviding {
    var exitCode: Int32 {
        switch self {
        case .cannotPlan: 2
        case .unreadable, .cannotWrite: 3
        case .stepFailed: 4
        case .notApproved, .tenantChanged, .journalMismatch, .unsafe: 5
        }
    }
    var message: String { description }
}

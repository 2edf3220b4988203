import ArgumentParser
import Custody
import EntraModel
import Foundation
import Monitoring
import Posture
import SafeInput

struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Record a planned test sign-in of an emergency account, then check it happened and was followed by rotation.",
        discussion: """
            start records the drill in the custody ledger (who, when, which account, the window the sign-in is \
            expected in, the custodians' signatures); watch then acknowledges its sign-in (reason drill; rotation \
            still closes the incident), and audit counts it for BG062 and leaves it out of BG063's routine use when \
            breakglass.yml names the ledger (custody.ledger). finish checks the sign-in and the rotation after it \
            and records what it found. No password is ever asked for or recorded.
            Exit codes: 0 done; 1 the drill is incomplete (finish); 2 usage or configuration error, an account \
            that is not a configured emergency account, no drill started; 3 an unreadable ledger, key or log file; \
            4 Graph failed; 5 refused for safety (the ledger fails verification, a key that is not a custodian's).
            """,
        subcommands: [Start.self, Finish.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a planned test sign-in in the custody ledger.",
            discussion: """
                The sign-in is expected from --starts (default now) for --window. Each --approve-key is a \
                custodian's key (custodian enroll) listed with its publicKey in breakglass.yml; it signs the drill \
                record as plan approvals are signed. Its passphrase comes from the matching --passphrase-file (in \
                the same order), else BREAKGLASS_PASSPHRASE, else the terminal.
                Example: breakglass drill start --account bg-01@contoso.onmicrosoft.com --ledger custody.db \
                --config breakglass.yml --approve-key alice.key --approve-key bob.key --reason "Q4 drill" --window 4h
                """
        )

        @OptionGroup var target: DrillTarget

        @Option(name: .customLong("approve-key"), help: "A custodian key that approves the drill (repeatable).",
                completion: .file())
        var approveKeys: [String] = []

        @Option(name: .customLong("passphrase-file"),
                help: "The passphrase of the --approve-key at the same position (repeatable).", completion: .file())
        var passphraseFiles: [String] = []

        @Option(help: "Why, for the record (\"Q4 drill\").") var reason: String?

        @Option(help: "How long the sign-in may take from --starts: minutes, hours or days (30m, 4h, 1d; at most 7d).")
        var window = "4h"

        @Option(help: "When the window opens (ISO 8601; default now).") var starts: String?

        @Option(help: "Who runs the drill, for the ledger (default: the approving custodians, else $USER).")
        var actor: String?

        func validate() throws {
            guard let seconds = Self.duration(window), seconds >= 60, seconds <= 7 * 86_400 else {
                throw ValidationError("--window '\(window)': give minutes, hours or days between 1m and 7d (30m, 4h, 1d).")
            }
            if let starts, GraphDate.parse(starts) == nil {
                throw ValidationError("--starts '\(starts)' is not an ISO 8601 date-time (for example 2026-11-20T09:00:00Z).")
            }
            guard passphraseFiles.isEmpty || passphraseFiles.count == approveKeys.count else {
                throw ValidationError("Give one --passphrase-file per --approve-key, in the same order (or none).")
            }
            if let reason, TerminalText.containsUnsafe(reason) {
                throw ValidationError("--reason holds control characters; use plain text.")
            }
        }

        /// `30m`, `4h`, `1d` in seconds.
        static func duration(_ text: String) -> TimeInterval? {
            guard let unit = text.last, let amount = Double(text.dropLast()), amount > 0, amount.isFinite else { return nil }
            switch unit {
            case "m": return amount * 60
            case "h": return amount * 3600
            case "d": return amount * 86_400
            default: return nil
            }
        }

        func run() throws {
            let configuration = try TenantOptions.configuration(at: target.configPath)
            let (reference, tenant) = try target.account(in: configuration)
            // Whole seconds: the window is stored as ISO 8601 without fractions.
            let start = Date(timeIntervalSince1970: (starts.flatMap(GraphDate.parse) ?? Date()).timeIntervalSince1970.rounded(.down))
            let length = Self.duration(window) ?? 4 * 3600
            try reportingCustodyErrors {
                let ledger = try target.openVerifiedLedger()
                var keys: [CustodianKey] = []
                for (index, path) in approveKeys.enumerated() {
                    let (name, publicKey) = try CustodianKey.publicKey(atPath: path)
                    guard let custodian = configuration.custody.custodians.first(where: { $0.name.lowercased() == name.lowercased() }),
                          custodian.publicKey.flatMap(CustodianPublicKey.init(text:)) == publicKey
                    else {
                        throw DrillRefusal("\(path) is \(name)'s key, which breakglass.yml does not list under custody.custodians with that publicKey")
                    }
                    let secret = try PassphraseOptions.read(file: passphraseFiles.isEmpty ? nil : passphraseFiles[index],
                                                            prompt: "Passphrase for \(name)'s key: ")
                    keys.append(try CustodianKey.load(atPath: path, passphrase: secret))
                }
                let who = actor ?? (keys.isEmpty ? defaultActor : keys.map(\.name).joined(separator: ", "))
                var plan = DrillPlan(account: reference.key, tenant: tenant, windowStart: start,
                                     windowEnd: start.addingTimeInterval(length), plannedBy: who, reason: reason)
                for key in keys { try plan.approve(with: key) }
                let custodians = configuration.custody.custodians.map { (name: $0.name, publicKey: $0.publicKey) }
                let (valid, problems) = plan.verifyApprovals(custodians: custodians)
                guard problems.isEmpty else { throw DrillRefusal(problems.joined(separator: "; ")) }
                try ledger.recordDrillStart(plan, actor: who)
                let approved = valid.isEmpty ? "no custodian approvals" : "approved by \(valid.joined(separator: ", "))"
                Terminal.write("""
                    Drill \(plan.id) recorded in \(target.ledger): \(reference.key), sign-in expected \
                    \(GraphDate.format(plan.windowStart)) to \(GraphDate.format(plan.windowEnd)); \(approved).
                    Sign in within the window, rotate the password (breakglass rotate), then run:
                      breakglass drill finish --account \(reference.key) --ledger \(target.ledger) --tenant … (or --logs FILE…)
                    """)
            }
        }
    }

    struct Finish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that the drill's sign-in happened and the password was rotated after it; record the outcome.",
            discussion: """
                Looks for the account's last successful sign-in inside the latest drill's window and a password \
                change strictly after it (BG060's rule): live with --tenant (the sign-in logs and users read \
                through Microsoft Graph, as audit --tenant reads them), from a snapshot folder with --snapshot, or \
                from downloaded logs with --logs (read as logs scan reads them: sign-ins and the directory audit \
                of the password reset). Records "signed in yes/no, rotated yes/no" in the ledger either way.
                Exit 0 when both happened; 1 when the drill is incomplete, naming what is missing.
                Example: breakglass drill finish --account bg-01@contoso.onmicrosoft.com --ledger custody.db \
                --config breakglass.yml --logs sign-ins.json directory-audits.json
                """
        )

        @OptionGroup var target: DrillTarget

        @Option(parsing: .upToNextOption, help: "Downloaded sign-in and audit logs (JSON, JSON Lines or CSV).",
                completion: .file())
        var logs: [String] = []

        @Option(name: .customLong("snapshot"), help: "A snapshot folder (spec/snapshot.md).", completion: .directory)
        var snapshotPath: String?

        @OptionGroup(title: "Live tenant") var live: LiveOptions

        @Option(help: "Who checks, for the ledger (default: $USER).") var actor: String?

        func validate() throws {
            guard [!logs.isEmpty, snapshotPath != nil, live.tenant != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("Give exactly one of --tenant ID, --snapshot DIR or --logs FILE….")
            }
        }

        func run() async throws {
            let configuration = try TenantOptions.configuration(at: target.configPath)
            let (reference, _) = try target.account(in: configuration)
            var ledger: Ledger?
            var started: RecordedDrillEntry?
            try reportingCustodyErrors {
                let opened = try target.openVerifiedLedger()
                ledger = opened
                started = try opened.drills().last { $0.plan.account.lowercased() == reference.key.lowercased() }
            }
            guard let ledger, let drill = started else {
                throw UsageError("no drill of \(reference.key) is recorded in \(target.ledger): start one with `breakglass drill start`")
            }
            let (signedInAt, changedAt, checkedIn) = try await observe(drill.plan, reference: reference, configuration: configuration)
            let outcome = DrillOutcome(drillID: drill.plan.id, account: reference.key, signedInAt: signedInAt,
                                       passwordChangedAt: changedAt, checkedIn: checkedIn)
            try reportingCustodyErrors { try ledger.recordDrillFinish(outcome, actor: actor ?? defaultActor) }
            let window = "\(GraphDate.format(drill.plan.windowStart)) to \(GraphDate.format(drill.plan.windowEnd))"
            var lines = ["Drill \(drill.plan.id) of \(reference.key) (window \(window)), checked in \(checkedIn):"]
            lines.append("  signed in: " + (signedInAt.map { "yes, \(GraphDate.format($0))" } ?? "no"))
            lines.append("  rotated:   " + (changedAt.map { "yes, password changed \(GraphDate.format($0))" } ?? "no"))
            var missing: [String] = []
            if signedInAt == nil {
                missing.append("no sign-in seen between \(GraphDate.format(drill.plan.windowStart)) and \(GraphDate.format(drill.plan.windowEnd))")
            }
            if let signedInAt, changedAt == nil {
                missing.append("rotation not done yet: no password change after the sign-in at \(GraphDate.format(signedInAt))")
            }
            lines.append(missing.isEmpty ? "Drill complete; recorded in \(target.ledger)."
                                         : "Drill incomplete: \(missing.joined(separator: "; ")). Recorded in \(target.ledger).")
            Terminal.write(lines.joined(separator: "\n"))
            if !outcome.isComplete { throw ExitCode(1) }
        }

        /// The last successful sign-in inside the window and the first password change strictly after it, and where
        /// they were looked for.
        func observe(_ plan: DrillPlan, reference: Configuration.AccountReference, configuration: Configuration)
            async throws -> (signedIn: Date?, changed: Date?, checkedIn: String) {
            if !logs.isEmpty {
                let key = reference.key.lowercased()
                let account = switch reference {
                case .id(let id): WatchedAccount(objectID: id)
                case .userPrincipalName(let upn): WatchedAccount(objectID: nil, userPrincipalName: upn)
                }
                let options = LogScanOptions(targets: LogScanTargets(accounts: [account]), now: Date(),
                                             rotationGraceHours: configuration.guidance.rotationGraceHours)
                let report = try LogScanner(options: options).scan(paths: logs) { Terminal.note("warning: \($0)") }
                let mine = report.events.filter { $0.accountID?.lowercased() == key || $0.account?.lowercased() == key }
                let signedIn = mine.filter { $0.kind == .signIn && $0.succeeded == true && plan.covers($0.time) }
                    .map(\.time).max()
                let changed = signedIn.flatMap { signIn in
                    mine.filter { $0.kind == .changeToAccount && $0.isPasswordChange == true && $0.time > signIn }
                        .map(\.time).min()
                }
                return (signedIn, changed, "logs \(logs.joined(separator: ", "))")
            }
            let snapshot: Snapshot
            let source: String
            if let snapshotPath {
                snapshot = try SnapshotReader().read(URL(fileURLWithPath: snapshotPath))
                source = "snapshot \(snapshotPath)"
            } else {
                let files = try await live.capture(configuration: configuration)
                snapshot = try SnapshotReader().read(from: MemorySource(files))
                source = "the live tenant"
            }
            let context = TenantContext(snapshot: snapshot, configuration: configuration, now: snapshot.capturedAt ?? Date())
            guard let user = context.directory.user(idOrUPN: reference.key) else {
                throw UsageError("\(reference.key) matches no user in \(source)")
            }
            let logged = context.successfulSignIns(of: user)?.map(\.createdDateTime) ?? []
            let activity = user.signInActivity?.lastSuccessfulSignInDateTime.map { [$0] } ?? []
            let signedIn = (logged + activity).filter(plan.covers).max()
            // Strictly after, as BG060 reads it: a change in the same second cannot be shown to follow the sign-in.
            let changed = signedIn.flatMap { signIn in user.lastPasswordChangeDateTime.flatMap { $0 > signIn ? $0 : nil } }
            return (signedIn, changed, source)
        }
    }
}

/// The account and ledger both subcommands take.
struct DrillTarget: ParsableArguments {
    @Option(help: "The emergency account: its UPN or object id, as breakglass.yml names it.") var account: String

    @Option(help: "The custody ledger (SQLite); it must exist (custody split --new-ledger starts one).",
            completion: .file())
    var ledger: String

    @Option(name: .customLong("config"), help: "breakglass.yml (default: ./breakglass.yml if present).",
            completion: .file(extensions: ["yml", "yaml"]))
    var configPath: String?

    /// The configured emergency account `--account` names (in `emergencyAccounts`, or a tenant's under `tenants:`),
    /// and its tenant; anything else is refused (exit 2).
    func account(in configuration: Configuration) throws -> (Configuration.AccountReference, tenant: String?) {
        let wanted = account.lowercased()
        if let reference = configuration.emergencyAccounts.first(where: { $0.key.lowercased() == wanted }) {
            return (reference, configuration.tenant)
        }
        for entry in configuration.tenants {
            if let reference = entry.emergencyAccounts.first(where: { $0.key.lowercased() == wanted }) {
                return (reference, entry.tenant)
            }
        }
        let listed = (configuration.emergencyAccounts + configuration.tenants.flatMap(\.emergencyAccounts)).map(\.key)
        throw UsageError("\(account) is not a configured emergency account"
            + (listed.isEmpty ? " (breakglass.yml declares none)" : " (breakglass.yml declares \(listed.joined(separator: ", ")))"))
    }

    /// The ledger, refused unless its chain verifies: a drill must not be added to, or read from, an edited ledger.
    func openVerifiedLedger() throws -> Ledger {
        let opened = try Ledger(path: ledger, mustExist: true)
        if let problem = try opened.verify().firstBreak {
            throw DrillRefusal("the ledger \(ledger) fails verification: \(problem)")
        }
        return opened
    }
}

/// Refused for safety (exit 5): an edited ledger, an approval that would not verify.
struct DrillRefusal: ExitCodeProviding {
    var message: String
    var exitCode: Int32 { 5 }

    init(_ message: String) { self.message = message }
}

private var defaultActor: String {
    ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
}

import AccessPolicy
import EntraModel
import Foundation
import Lockout
import SafeInput

/// The emergency-access runbook for one tenant (issue "Rehearse"): who may authorise use, where the password is, how
/// each account signs in and which failure scenarios it survives today, and step by step what to do in each incident
/// — computed from the configuration and the tenant, so it changes when they do. `Reports` prints it.
public struct Runbook: Sendable {
    public struct Account: Sendable, Hashable {
        public var userPrincipalName: String
        public var id: String
        /// How the account signs in: "password + FIDO2 security key (AAGUID …)".
        public var signsInWith: String
        public var scenarios: [ScenarioResult]
    }

    public struct ScenarioResult: Sendable, Hashable {
        public var scenario: String
        public var summary: String
        public var getsIn: Bool
        /// The admin resources it reaches, or why it does not.
        public var detail: String
    }

    public struct Custodian: Sendable, Hashable {
        public var name: String
        public var sheetLocation: String?
    }

    public struct Step: Sendable, Hashable {
        public var text: String
        /// Where to click, in the portal.
        public var portal: String?
        /// The PowerShell (Microsoft Graph PowerShell) or breakglass command.
        public var command: String?
    }

    public struct Playbook: Sendable, Hashable {
        public var id: String
        public var title: String
        public var symptoms: String
        /// The scenario of `simulate` this incident is, whose result per account the playbook quotes.
        public var scenario: String
        public var steps: [Step]
    }

    public var tenantName: String
    public var tenantID: String
    public var initialDomain: String?
    public var generatedAt: Date
    public var fingerprint: String
    public var accounts: [Account]
    public var exclusionGroups: [String]
    public var custodians: [Custodian]
    public var threshold: Int
    public var authorizers: [String]
    public var federatedDomains: [String]
    public var playbooks: [Playbook]
    public var afterwards: [Step]

    /// The first line of a printed runbook that `RunbookStamp` reads back.
    public var stamp: RunbookStamp { RunbookStamp(generatedAt: generatedAt, fingerprint: fingerprint) }

    public init(context: TenantContext, generatedAt: Date) {
        let snapshot = context.snapshot
        let configuration = context.configuration
        tenantName = snapshot.organization.displayName ?? snapshot.organization.id
        tenantID = snapshot.organization.id
        initialDomain = snapshot.initialDomain
        self.generatedAt = generatedAt
        fingerprint = TenantFingerprint.digest(context)
        exclusionGroups = context.exclusionGroups.map { context.directory.group($0)?.name ?? $0 }
        custodians = configuration.custody.custodianNames.map {
            Custodian(name: $0, sheetLocation: configuration.runbook.sheetLocations[$0])
        }
        threshold = configuration.custody.threshold
        authorizers = configuration.runbook.authorizers
        federatedDomains = snapshot.domains.filter(\.isFederated).map(\.id).sorted()

        let simulation = Simulation(evaluator: context.evaluator)
        accounts = context.resolvedAccounts.map { account, user in
            Account(userPrincipalName: user.name, id: user.id,
                    signsInWith: Self.signIn(user: user, methods: context.methods(of: user)),
                    scenarios: Scenario.allCases.map { Self.result(simulation, user: user, scenario: $0) })
        }
        let upns = accounts.map(\.userPrincipalName)
        let tenant = initialDomain ?? tenantID
        playbooks = Self.playbooks(tenant: tenant, upns: upns, federatedDomains: federatedDomains,
                                   threshold: threshold)
        afterwards = Self.afterwards(tenant: tenant, upns: upns, threshold: threshold)
    }

    static func signIn(user: User, methods: [AuthenticationMethod]?) -> String {
        guard let methods else { return "password; its other methods are not in the snapshot" }
        let strong = methods.filter(\.isPhishingResistant).map { method -> String in
            switch method.kind {
            case "fido2": "FIDO2 security key" + (method.displayName.map { " (\($0))" } ?? "")
                + (method.aaGuid.map { ", AAGUID \($0)" } ?? "")
            case "x509Certificate": "certificate"
            case "windowsHelloForBusiness", "platformCredential": "Windows Hello / platform credential"
            default: method.kind
            }
        }
        if !strong.isEmpty { return "password + " + strong.joined(separator: " or ") }
        if methods.contains(where: { $0.certificateBinding != nil }) {
            return "password + certificate (single-factor unless the tenant's binding makes it multifactor)"
        }
        let other = methods.filter(\.satisfiesMFA).map(\.kind)
        return other.isEmpty ? "password only (no MFA method: the admin portals' mandatory MFA will stop it)"
            : "password + \(other.joined(separator: " or ")) (not phishing-resistant)"
    }

    static func result(_ simulation: Simulation, user: User, scenario: Scenario) -> ScenarioResult {
        let outcomes = AdminResource.allCases.map { ($0, simulation.attempt(user, scenario: scenario, resource: $0)) }
        let reached = outcomes.filter { $0.1.succeeded }.map(\.0.displayName)
        let detail = reached.isEmpty
            ? outcomes.first.map { $0.1.explanation } ?? "blocked"
            : "reaches " + reached.joined(separator: ", ")
        return ScenarioResult(scenario: scenario.rawValue, summary: scenario.summary, getsIn: !reached.isEmpty,
                              detail: detail)
    }
}

/// The runbook named in `runbook.file`, as the caller found it.
public enum RunbookOnFile: Sendable, Hashable {
    case stamped(path: String, RunbookStamp)
    /// Readable, but without a `breakglass-runbook` stamp.
    case unstamped(path: String)
    case unreadable(path: String, reason: String)

    /// Reads the stamp from the file's text.
    public init(path: String, text: String) {
        self = RunbookStamp(findingIn: text).map { .stamped(path: path, $0) } ?? .unstamped(path: path)
    }

    /// The runbook `configuration.runbook.file` names, relative to `folder` (the configuration file's); nil when the
    /// configuration names none. Read as any input is (a regular file, no symbolic link, size-capped).
    public static func read(_ configuration: Configuration, relativeTo folder: URL) -> RunbookOnFile? {
        guard let file = configuration.runbook.file else { return nil }
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
        do {
            let text = try InputFile.readText(atPath: url.path, limit: InputFile.policyFileLimit)
            return RunbookOnFile(path: file, text: text)
        } catch {
            return .unreadable(path: file, reason: error.reason)
        }
    }
}

/// When a runbook was made and from which tenant state: written into the runbook, read back by `audit` (BG064).
public struct RunbookStamp: Sendable, Hashable {
    public var generatedAt: Date
    public var fingerprint: String

    public init(generatedAt: Date, fingerprint: String) {
        self.generatedAt = generatedAt
        self.fingerprint = fingerprint
    }

    static let marker = "breakglass-runbook"

    /// `breakglass-runbook generated=2026-11-29T20:00:00Z state=sha256:…`, as both formats carry it.
    public var text: String { "\(Self.marker) generated=\(GraphDate.format(generatedAt)) state=\(fingerprint)" }

    /// Finds the stamp in a runbook's text (Markdown or HTML); nil when there is none.
    public init?(findingIn text: String) {
        guard let start = text.range(of: Self.marker + " generated=") else { return nil }
        let rest = text[start.upperBound...].prefix(200)
        let parts = rest.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let date = GraphDate.parse(String(parts[0])), parts[1].hasPrefix("state=") else {
            return nil
        }
        let state = parts[1].dropFirst("state=".count).prefix { $0.isLetter || $0.isNumber || $0 == ":" }
        guard !state.isEmpty else { return nil }
        self.init(generatedAt: date, fingerprint: String(state))
    }
}

import AccessPolicy
import ArgumentParser
import EntraModel
import Foundation
import Lockout
import Paths
import Posture

extension Scenario: ExpressibleByArgument {}

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Which admins get in under failure scenarios (MFA down, federation down, …)?",
        discussion: """
            Evaluates every active administrator (emergency accounts first) × scenario × admin resource (Azure portal, \
            Microsoft 365 admin center, Graph from PowerShell/CLI). A scenario is recoverable when at least one \
            Global Administrator gets in. Scenarios: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")). \
            In admin-compromise every Global Administrator (active or eligible) but the emergency accounts is disabled; the take-over and \
            lock-out paths that remain are listed. Exit 1 when a scenario is unrecoverable.
            Example: breakglass simulate --snapshot snap --config breakglass.yml --policy new-policy.json
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(name: .customLong("scenario"), help: "Only these scenarios (repeatable).")
    var scenarios: [Scenario] = []

    @Option(name: .customLong("policy"), help: "Policy JSON files or folders as they will be deployed: added, or replacing the policy with the same id.",
            completion: .file(extensions: ["json"]))
    var policyPaths: [String] = []

    @Flag(help: "Evaluate every user, not just administrators: who cannot reach which admin resource, and which users no MFA policy covers.")
    var allUsers = false

    @Option(help: "text or json.") var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() async throws {
        let context = try tenant.loadContext()
        let changes = try PolicyChange.load(policyPaths).map(\.policy)
        let policies = changes.isEmpty ? nil : PolicyChange.apply(changes, to: context.snapshot.policies)
        let emergency = context.resolvedAccounts.map(\.user)
        let simulation = Simulation(evaluator: context.evaluator, policies: policies,
                                    emergencyAccountIDs: Set(emergency.map(\.id)))
        var users = emergency
        let admins = context.directory.activeAdministrators(at: context.now)
        for admin in admins where !users.contains(where: { $0.id == admin.id }) { users.append(admin) }
        let scenarios = self.scenarios.isEmpty ? Scenario.allCases : self.scenarios
        // Columns: every administrator, and with --all-users every user, evaluated as set algebra over bitsets.
        let population = PopulationEvaluator(evaluator: simulation.evaluator)
        let matrix = LockoutMatrix(simulation: simulation, users: users, priority: Set(emergency.map(\.id)), scenarios: scenarios,
                                   population: population)
        let coverage = allUsers
            ? await Coverage(simulation: simulation, users: context.directory.users, scenarios: scenarios, population: population)
            : nil
        // What an attacker holding none of the disabled administrators could still do to the emergency accounts.
        let remaining = scenarios.contains(.adminCompromise)
            ? TierZeroAnalysis(directory: context.directory, emergencyAccounts: emergency.map(\.id),
                               exclusionGroups: context.exclusionGroups, now: context.now,
                               disabled: simulation.compromisedAdministrators)
            : nil
        switch format {
        case .text:
            Terminal.write(SimulationText.render(matrix, coverage: coverage, remaining: remaining, color: Terminal.supportsColor))
        case .json: Terminal.write(try SimulationJSON.render(matrix, coverage: coverage, remaining: remaining))
        }
        if matrix.verdicts.contains(where: { !$0.isRecoverable }) { throw ExitCode(1) }
    }
}

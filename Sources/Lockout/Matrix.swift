import AccessPolicy
import EntraModel
import Foundation

/// Every user × scenario × admin resource, and whether each scenario is recoverable: at least one active Global
/// Administrator reaches an admin resource.
public struct LockoutMatrix: Sendable {
    public struct Row: Sendable, Hashable {
        public var user: User
        public var isPriority: Bool
        public var isGlobalAdministrator: Bool
        /// Outcome per scenario and resource.
        public var outcomes: [Scenario: [AdminResource: Simulation.Outcome]]

        public func reachesAdminResource(in scenario: Scenario) -> Bool {
            outcomes[scenario]?.values.contains(where: \.succeeded) ?? false
        }
    }

    public struct Verdict: Sendable, Hashable {
        public var scenario: Scenario
        public var isRecoverable: Bool
        /// Global Administrators who get in, by name.
        public var globalAdministratorsIn: [String]
        /// The priority (emergency) accounts that get in, by name.
        public var priorityIn: [String]
    }

    public var rows: [Row]
    public var verdicts: [Verdict]
    public var scenarios: [Scenario]

    /// Simulates `users` (all active administrators, typically); `priority` ids (the emergency accounts) come first.
    /// With `population`, the users are evaluated in columns (`Simulation.attempts`), with the same outcomes.
    public init(simulation: Simulation, users: [User], priority: Set<String>, scenarios: [Scenario] = Scenario.allCases,
                population: PopulationEvaluator? = nil) {
        let directory = simulation.evaluator.directory
        let now = simulation.evaluator.now
        let globalAdmins = Set(directory.activeHolders(ofRole: WellKnownRole.globalAdministrator, at: now).map { $0.id.lowercased() })
        let priority = Set(priority.map { $0.lowercased() })
        self.scenarios = scenarios
        var outcomes = [[Scenario: [AdminResource: Simulation.Outcome]]](repeating: [:], count: users.count)
        for scenario in scenarios {
            for resource in AdminResource.allCases {
                let column = population.map {
                    simulation.attempts(users, scenario: scenario, resource: resource, population: $0)
                } ?? users.map { simulation.attempt($0, scenario: scenario, resource: resource) }
                for (index, outcome) in column.enumerated() { outcomes[index][scenario, default: [:]][resource] = outcome }
            }
        }
        let rows = zip(users, outcomes).map { user, outcomes in
            Row(user: user, isPriority: priority.contains(user.id.lowercased()),
                isGlobalAdministrator: globalAdmins.contains(user.id.lowercased()), outcomes: outcomes)
        }
        .sorted { a, b in
            if a.isPriority != b.isPriority { return a.isPriority }
            return a.user.name.lowercased() < b.user.name.lowercased()
        }
        self.rows = rows
        verdicts = scenarios.map { scenario in
            let inside = rows.filter { $0.reachesAdminResource(in: scenario) }
            let admins = inside.filter(\.isGlobalAdministrator).map(\.user.name)
            return Verdict(scenario: scenario, isRecoverable: !admins.isEmpty, globalAdministratorsIn: admins,
                           priorityIn: inside.filter(\.isPriority).map(\.user.name))
        }
    }

    public func verdict(_ scenario: Scenario) -> Verdict? { verdicts.first { $0.scenario == scenario } }
}

import AccessPolicy
import EntraModel
import Foundation

/// Conditional Access gap analysis over every user: who cannot reach which admin resource in each scenario, and who
/// gets into an application with a password alone (no policy requires MFA, a strength, or a managed device, or
/// blocks).
///
/// Users are evaluated in columns (`PopulationEvaluator`): they fall into a few classes that the scenarios give the
/// same sign-in (same domain federation, sync state and registered methods); for each class, scenario and resource
/// one sign-in is evaluated for all its users at once, the users condition answered from bitsets. The cost does not
/// depend on how diverse group memberships are.
public struct Coverage: Sendable {
    public struct Entry: Sendable, Hashable {
        public var user: User
        public var resources: [String]
    }

    /// The enabled users evaluated.
    public let users: [User]
    /// Each enabled user's position in the directory's users, or nil for a user the directory does not hold.
    private let positions: [Int?]
    /// Users denied each admin resource, per scenario, by position.
    private let denied: [Scenario: [AdminResource: Bitset]]
    /// Users who get into each gap resource with a password alone, by position.
    private let open: [String: Bitset]
    /// Users the directory does not hold, evaluated one by one, by index in `users`.
    private let strays: [Int: (denied: [Scenario: [String]], open: [String])]
    public let userCount: Int

    /// Distinct sign-ins evaluated (class × scenario × resource, each for all the class's users at once).
    public let classCount: Int

    /// Users who cannot reach an admin resource in the scenario, with the resources.
    public func blocked(in scenario: Scenario) -> [Entry] {
        users.indices.compactMap { index in
            let resources = deniedResources(index, scenario)
            return resources.isEmpty ? nil : Entry(user: users[index], resources: resources)
        }
    }

    public func blockedCount(in scenario: Scenario) -> Int {
        users.indices.reduce(0) { $0 + (deniedResources($1, scenario).isEmpty ? 0 : 1) }
    }

    private func deniedResources(_ index: Int, _ scenario: Scenario) -> [String] {
        guard let position = positions[index] else { return strays[index]?.denied[scenario] ?? [] }
        guard let byResource = denied[scenario] else { return [] }
        return AdminResource.allCases.filter { byResource[$0]?.contains(position) == true }.map(\.rawValue)
    }

    /// Users who get in with a password alone, from an untrusted network and an unmanaged device.
    public var passwordOnly: [Entry] {
        users.indices.compactMap { index in
            let aliases: [String]
            if let position = positions[index] {
                aliases = Self.gapResources.map(\.alias).filter { open[$0]?.contains(position) == true }
            } else {
                aliases = strays[index]?.open ?? []
            }
            return aliases.isEmpty ? nil : Entry(user: users[index], resources: aliases)
        }
    }

    /// The applications checked for password-only access. The admin portals are left out: Microsoft's mandatory MFA
    /// covers them whatever Conditional Access says.
    public static let gapResources: [(alias: String, id: String)] = [
        ("exchange-online", Resource.exchangeOnline), ("sharepoint-online", Resource.sharePointOnline),
        ("teams", Resource.teams), ("graph", Resource.graph),
    ]

    /// What of a user `Simulation.context` reads besides the id: the scenarios give users of one class the same
    /// sign-in.
    struct ClassKey: Hashable, Sendable {
        var federated: Bool
        var synchronized: Bool
        var methods: [AuthenticationMethod]?
        /// Disabled in the `admin-compromise` scenario (a Global Administrator who is not an emergency account).
        var compromised: Bool = false
    }

    /// Evaluates every enabled user in every scenario. `population` must be built from `simulation.evaluator`
    /// (nil: built here).
    public init(simulation: Simulation, users: [User], scenarios: [Scenario] = Scenario.allCases,
                population: PopulationEvaluator? = nil) async {
        let evaluator = simulation.evaluator
        let directory = evaluator.directory
        let population = population ?? PopulationEvaluator(evaluator: evaluator)
        let domains = Dictionary(directory.snapshot.domains.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let enabled = users.filter { $0.accountEnabled != false }
        userCount = users.count
        self.users = enabled
        let positions = enabled.map { directory.userPosition($0.id) }
        self.positions = positions

        var classIndex: [ClassKey: Int] = [:]
        var representatives: [User] = []
        var members: [Bitset] = []
        let methods = directory.snapshot.authenticationMethods
        var federatedByDomain: [Substring: Bool] = [:]
        for (user, position) in zip(enabled, positions) {
            guard let position else { continue }
            // The UPN's domain, looked up once per distinct spelling.
            var federated = false
            if let upn = user.userPrincipalName, let at = upn.lastIndex(of: "@") {
                let domain = upn[upn.index(after: at)...]
                if let known = federatedByDomain[domain] {
                    federated = known
                } else {
                    federated = domains[domain.lowercased()]?.isFederated ?? false
                    federatedByDomain[domain] = federated
                }
            }
            // The methods as the evaluator reads them (usable now, a certificate binding); most users have none.
            let registered = methods[Directory.normalized(user.id)] == nil
                ? nil : directory.authenticationMethods(ofUser: user.id, at: evaluator.now)
            let key = ClassKey(federated: federated, synchronized: user.isSynchronized, methods: registered,
                               compromised: simulation.isDisabled(user, in: .adminCompromise))
            let index: Int
            if let existing = classIndex[key] {
                index = existing
            } else {
                index = representatives.count
                classIndex[key] = index
                representatives.append(user)
                members.append(Bitset(capacity: population.userCount))
            }
            members[index].insert(position)
        }

        var denied: [Scenario: [AdminResource: Bitset]] = [:]
        var open: [String: Bitset] = [:]
        let none = Bitset(capacity: population.userCount)
        let untrusted = simulation.context(for: users.first ?? User(id: ""), scenario: .untrustedNetwork, resource: .azurePortal).0
        var evaluated = 0
        for (representative, classUsers) in zip(representatives, members) {
            // Scenarios often give the same sign-in (federation down changes nothing for a cloud-only user).
            var seen: [SignInContext: Bitset] = [:]
            for scenario in scenarios {
                for resource in AdminResource.allCases {
                    let (context, _) = simulation.context(for: representative, scenario: scenario, resource: resource)
                    let deniedUsers: Bitset
                    if let context {
                        if let known = seen[context] {
                            deniedUsers = known
                        } else {
                            evaluated += 1
                            let outcome = population.outcome(of: context, for: classUsers)
                            // Conditional Access, then Microsoft's mandatory MFA (`Simulation.outcome`).
                            let mandatory = Simulation.mandatoryMFA(resource: resource, capabilities: outcome.capabilities)
                            deniedUsers = mandatory == nil ? outcome.blocked : classUsers
                            seen[context] = deniedUsers
                        }
                    } else {
                        deniedUsers = classUsers
                    }
                    denied[scenario, default: [:]][resource, default: none].formUnion(deniedUsers)
                }
            }
            for (alias, id) in Self.gapResources {
                // As for the users the directory does not hold (below): the password and terms of use only.
                let context = SignInContext(userID: representative.id, resource: id, clientApp: "browser", platform: "windows",
                                            ipAddress: untrusted?.ipAddress, country: untrusted?.country,
                                            device: .unregistered, capabilities: [.termsOfUse])
                evaluated += 1
                let outcome = population.outcome(of: context, for: classUsers)
                let closed = outcome.blockedOrRequiring { !$0.hasPrefix("termsOfUse:") }
                open[alias, default: none].formUnion(classUsers.subtracting(closed))
            }
        }
        self.denied = denied
        self.open = open
        classCount = evaluated

        // Users the directory does not hold (not in users.json): one by one, as `Simulation` would.
        var strays: [Int: (denied: [Scenario: [String]], open: [String])] = [:]
        for (index, user) in enabled.enumerated() where positions[index] == nil {
            var result: (denied: [Scenario: [String]], open: [String]) = ([:], [])
            for scenario in scenarios {
                result.denied[scenario] = AdminResource.allCases.filter {
                    !simulation.attempt(user, scenario: scenario, resource: $0).succeeded
                }.map(\.rawValue)
            }
            for (alias, id) in Self.gapResources {
                // A person with only the password can still accept terms of use: a policy that asks for nothing
                // else leaves the application open.
                let context = SignInContext(userID: user.id, resource: id, clientApp: "browser", platform: "windows",
                                            ipAddress: untrusted?.ipAddress, country: untrusted?.country,
                                            device: .unregistered, capabilities: [.termsOfUse])
                let evaluation = evaluator.evaluate(context)
                if evaluation.decision != .block,
                    evaluation.requiredControls.allSatisfy({ $0.hasPrefix("termsOfUse:") })
                {
                    result.open.append(alias)
                }
            }
            strays[index] = result
        }
        self.strays = strays
    }
}

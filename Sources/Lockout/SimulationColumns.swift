import AccessPolicy
import EntraModel
import Foundation

extension Simulation {
    /// `attempt` for many users at once, in columns: each user's sign-in is built as `attempt` builds it; users whose
    /// sign-ins differ only by the user (and who have the same registered methods) are evaluated together by
    /// `population`, the users condition answered from its bitsets. The outcomes are `attempt`'s, in order.
    public func attempts(_ users: [User], scenario: Scenario, resource: AdminResource,
                         population: PopulationEvaluator) -> [Outcome] {
        let directory = evaluator.directory
        let methods = directory.snapshot.authenticationMethods
        let now = evaluator.now
        // Users of a federated domain present the federated MFA combinations (`AuthenticationAtHand`).
        let federatedDomains = Set(directory.snapshot.domains.filter(\.isFederated).map { $0.id.lowercased() })
        var outcomes = [Outcome](repeating: .cannotAuthenticate("cannot authenticate"), count: users.count)
        var groups: [SignInGroupKey: (context: SignInContext, users: Bitset, members: [(index: Int, position: Int)])] = [:]
        for (index, user) in users.enumerated() {
            let (context, failure) = context(for: user, scenario: scenario, resource: resource)
            guard let context else {
                outcomes[index] = .cannotAuthenticate(failure ?? "cannot authenticate")
                continue
            }
            guard let position = directory.userPosition(user.id) else {
                outcomes[index] = outcome(of: context, resource: resource)
                continue
            }
            // The methods as the evaluator reads them (usable now, a certificate binding); most users have none.
            let registered = methods[Directory.normalized(user.id)] == nil
                ? nil : directory.authenticationMethods(ofUser: user.id, at: now)
            let key = SignInGroupKey(context, methods: registered,
                                     federated: user.upnDomain.map(federatedDomains.contains) ?? false)
            groups[key, default: (context, Bitset(capacity: population.userCount), [])].users.insert(position)
            groups[key]?.members.append((index, position))
        }
        for group in groups.values {
            let outcome = population.outcome(of: group.context, for: group.users)
            for (index, position) in group.members {
                let details = outcome.details(of: position)
                outcomes[index] = Self.outcome(details.decision, blockReasons: details.blockReasons,
                                               requiredControls: details.requiredControls,
                                               capabilities: outcome.capabilities, resource: resource)
            }
        }
        return outcomes
    }
}

/// A sign-in with the user left out, the user's registered methods and whether the user's domain is federated:
/// users with equal keys get the same evaluation but for the users condition.
struct SignInGroupKey: Hashable {
    var context: SignInContext
    var methods: [AuthenticationMethod]?
    var federated: Bool

    init(_ context: SignInContext, methods: [AuthenticationMethod]?, federated: Bool) {
        var context = context
        context.userID = ""
        self.context = context
        self.methods = methods
        self.federated = federated
    }
}

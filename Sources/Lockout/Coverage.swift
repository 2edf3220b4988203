import AccessPolicy
import EntraModel
import Foundation

/// Conditional Access gap analysis over every user: who cannot reach which admin resource in each scenario, and who
/// gets into an application with a password alone (no policy requires MFA, a strength, or a managed device, or
/// blocks).
///
/// Users fall into classes that Conditional Access cannot tell apart (`AudienceKey`, plus the domain and sync facts
/// the scenarios read); one member of each class is evaluated and the answer holds for the class.
public struct Coverage: Sendable {
    public struct Entry: Sendable, Hashable {
        public var user: User
        public var resources: [String]
    }

    /// The enabled users evaluated, and the class of each.
    public let users: [User]
    private let classOfUser: [Int]
    private let results: [ClassResult]
    public let userCount: Int

    /// Distinct classes evaluated.
    public var classCount: Int { results.count }

    /// Users who cannot reach an admin resource in the scenario, with the resources.
    public func blocked(in scenario: Scenario) -> [Entry] {
        zip(users, classOfUser).compactMap { user, index in
            guard let denied = results[index].denied[scenario], !denied.isEmpty else { return nil }
            return Entry(user: user, resources: denied)
        }
    }

    public func blockedCount(in scenario: Scenario) -> Int {
        classOfUser.reduce(0) { $0 + ((results[$1].denied[scenario]?.isEmpty ?? true) ? 0 : 1) }
    }

    /// Users who get in with a password alone, from an untrusted network and an unmanaged device.
    public var passwordOnly: [Entry] {
        zip(users, classOfUser).compactMap { user, index in
            results[index].open.isEmpty ? nil : Entry(user: user, resources: results[index].open)
        }
    }

    /// The applications checked for password-only access. The admin portals are left out: Microsoft's mandatory MFA
    /// covers them whatever Conditional Access says.
    public static let gapResources: [(alias: String, id: String)] = [
        ("exchange-online", Resource.exchangeOnline), ("sharepoint-online", Resource.sharePointOnline),
        ("teams", Resource.teams), ("graph", Resource.graph),
    ]

    struct ClassKey: Hashable, Sendable {
        var audience: AudienceKey
        var federated: Bool
        var synchronized: Bool
        /// Disabled in the `admin-compromise` scenario (a Global Administrator who is not an emergency account).
        var compromised: Bool = false
    }

    struct ClassResult: Sendable {
        var denied: [Scenario: [String]] = [:]
        var open: [String] = []
    }

    /// Evaluates every enabled user in every scenario; the class keys and the class evaluations run on every core.
    public init(simulation: Simulation, users: [User], scenarios: [Scenario] = Scenario.allCases) async {
        let evaluator = simulation.evaluator
        let domains = Dictionary(evaluator.directory.snapshot.domains.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let enabled = users.filter { $0.accountEnabled != false }
        userCount = users.count
        self.users = enabled
        let keys = await enabled.parallelMap { user in
            ClassKey(
                audience: evaluator.audienceKey(ofUser: user.id),
                federated: user.upnDomain.flatMap { domains[$0]?.isFederated } ?? false,
                synchronized: user.isSynchronized,
                compromised: simulation.isDisabled(user, in: .adminCompromise))
        }
        var classIndex: [ClassKey: Int] = [:]
        var representatives: [User] = []
        var classOfUser: [Int] = []
        classOfUser.reserveCapacity(enabled.count)
        for (user, key) in zip(enabled, keys) {
            if let index = classIndex[key] {
                classOfUser.append(index)
            } else {
                classIndex[key] = representatives.count
                classOfUser.append(representatives.count)
                representatives.append(user)
            }
        }
        self.classOfUser = classOfUser
        let untrusted = simulation.context(for: users.first ?? User(id: ""), scenario: .untrustedNetwork, resource: .azurePortal).0
        results = await representatives.parallelMap { user in
            var result = ClassResult()
            // Scenarios often give the same sign-in (federation down changes nothing for a cloud-only user).
            var seen: [SignInContext: Bool] = [:]
            for scenario in scenarios {
                result.denied[scenario] = AdminResource.allCases.filter { resource in
                    let (context, _) = simulation.context(for: user, scenario: scenario, resource: resource)
                    guard let context else { return true }
                    if let succeeded = seen[context] { return !succeeded }
                    let succeeded = simulation.outcome(of: context, resource: resource).succeeded
                    seen[context] = succeeded
                    return !succeeded
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
            return result
        }
    }
}

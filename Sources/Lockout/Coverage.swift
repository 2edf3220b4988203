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

    /// Users who cannot reach an admin resource, per scenario.
    public var blocked: [Scenario: [Entry]]
    /// Users who get in with a password alone, from an untrusted network and an unmanaged device.
    public var passwordOnly: [Entry]
    public var userCount: Int
    /// Distinct classes evaluated.
    public var classCount: Int

    /// The applications checked for password-only access.
    public static let gapResources: [(alias: String, id: String)] = [
        ("exchange-online", Resource.exchangeOnline), ("sharepoint-online", Resource.sharePointOnline),
        ("azure-portal", Resource.azurePortal), ("graph", Resource.graph),
    ]

    struct ClassKey: Hashable {
        var audience: AudienceKey
        var federated: Bool
        var synchronized: Bool
    }

    struct ClassResult {
        var denied: [Scenario: [String]] = [:]
        var open: [String] = []
    }

    public init(simulation: Simulation, users: [User], scenarios: [Scenario] = Scenario.allCases) {
        let evaluator = simulation.evaluator
        let domains = Dictionary(evaluator.directory.snapshot.domains.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let enabled = users.filter { $0.accountEnabled != false }
        userCount = users.count
        var keys: [ClassKey] = []
        keys.reserveCapacity(enabled.count)
        var representatives: [ClassKey: User] = [:]
        for user in enabled {
            let key = ClassKey(
                audience: evaluator.audienceKey(ofUser: user.id),
                federated: user.upnDomain.flatMap { domains[$0]?.isFederated } ?? false,
                synchronized: user.isSynchronized)
            keys.append(key)
            if representatives[key] == nil { representatives[key] = user }
        }
        classCount = representatives.count
        let untrusted = simulation.context(for: users.first ?? User(id: ""), scenario: .untrustedNetwork, resource: .azurePortal).0
        var results: [ClassKey: ClassResult] = [:]
        for (key, user) in representatives {
            var result = ClassResult()
            for scenario in scenarios {
                result.denied[scenario] = AdminResource.allCases
                    .filter { !simulation.attempt(user, scenario: scenario, resource: $0).succeeded }.map(\.rawValue)
            }
            for (alias, id) in Self.gapResources {
                let context = SignInContext(userID: user.id, resource: id, clientApp: "browser", platform: "windows",
                                            ipAddress: untrusted?.ipAddress, country: untrusted?.country,
                                            device: .unregistered, capabilities: [])
                if evaluator.evaluate(context).decision == .grant { result.open.append(alias) }
            }
            results[key] = result
        }
        var blocked: [Scenario: [Entry]] = [:]
        var passwordOnly: [Entry] = []
        for (user, key) in zip(enabled, keys) {
            guard let result = results[key] else { continue }
            for scenario in scenarios {
                if let denied = result.denied[scenario], !denied.isEmpty {
                    blocked[scenario, default: []].append(Entry(user: user, resources: denied))
                }
            }
            if !result.open.isEmpty { passwordOnly.append(Entry(user: user, resources: result.open)) }
        }
        self.blocked = blocked
        self.passwordOnly = passwordOnly
    }
}

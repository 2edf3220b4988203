import AccessPolicy
import EntraModel
import Foundation

/// Conditional Access gap analysis over every user: who cannot reach which admin resource in each scenario, and who
/// gets into an application with a password alone (no policy requires MFA, a strength, or a managed device, or
/// blocks).
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

    /// The applications checked for password-only access.
    public static let gapResources: [(alias: String, id: String)] = [
        ("exchange-online", Resource.exchangeOnline), ("sharepoint-online", Resource.sharePointOnline),
        ("azure-portal", Resource.azurePortal), ("graph", Resource.graph),
    ]

    public init(simulation: Simulation, users: [User], scenarios: [Scenario] = Scenario.allCases) {
        userCount = users.count
        var blocked: [Scenario: [Entry]] = [:]
        var passwordOnly: [Entry] = []
        let untrusted = simulation.context(for: users.first ?? User(id: ""), scenario: .untrustedNetwork, resource: .azurePortal).0
        for user in users where user.accountEnabled != false {
            for scenario in scenarios {
                let denied = AdminResource.allCases.filter { !simulation.attempt(user, scenario: scenario, resource: $0).succeeded }
                if !denied.isEmpty { blocked[scenario, default: []].append(Entry(user: user, resources: denied.map(\.rawValue))) }
            }
            var open: [String] = []
            for (alias, id) in Self.gapResources {
                var context = SignInContext(userID: user.id, resource: id, clientApp: "browser", platform: "windows",
                                            ipAddress: untrusted?.ipAddress, country: untrusted?.country,
                                            device: .unregistered, capabilities: [])
                context.userID = user.id
                if simulation.evaluator.evaluate(context, policies: simulation.policies).decision == .grant { open.append(alias) }
            }
            if !open.isEmpty { passwordOnly.append(Entry(user: user, resources: open)) }
        }
        self.blocked = blocked
        self.passwordOnly = passwordOnly
    }
}

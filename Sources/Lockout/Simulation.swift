import AccessPolicy
import EntraModel
import Foundation

/// Runs sign-ins of users to the admin resources under failure scenarios.
public struct Simulation: Sendable {
    public let evaluator: Evaluator
    /// The policies as they would be (after a `--policy` change), already compiled into `evaluator`; nil = the
    /// tenant's.
    public let policies: [ConditionalAccessPolicy]?
    private let trustedAddress: String?
    private let untrustedAddress: String
    private let untrustedCountry: String

    public init(evaluator: Evaluator, policies: [ConditionalAccessPolicy]? = nil) {
        // A changed set of policies is compiled once here rather than on every sign-in.
        self.evaluator = policies.map { Evaluator(directory: evaluator.directory, now: evaluator.now, policies: $0) } ?? evaluator
        self.policies = policies
        let locations = evaluator.directory.snapshot.namedLocations ?? []
        trustedAddress = locations.first { $0.kind == .ip && $0.isTrusted }?.ipRanges.first.flatMap(NetworkPicker.hostAddress)
        untrustedAddress = NetworkPicker.addressOutside(locations)
        untrustedCountry = NetworkPicker.countryOutside(locations)
    }

    public enum Outcome: Sendable, Hashable {
        /// Signed in; the controls it had to satisfy (empty: none).
        case signedIn([String])
        /// Conditional Access blocks, with the reasons.
        case blocked([String])
        /// The user cannot even authenticate (federation or on-premises down).
        case cannotAuthenticate(String)

        public var succeeded: Bool { if case .signedIn = self { true } else { false } }

        public var explanation: String {
            switch self {
            case .signedIn(let controls): controls.isEmpty ? "signed in" : "signed in with \(controls.joined(separator: ", "))"
            case .blocked(let reasons): reasons.first ?? "blocked"
            case .cannotAuthenticate(let reason): reason
            }
        }
    }

    /// The sign-in context a scenario gives the user for the resource; nil when the user cannot authenticate.
    public func context(for user: User, scenario: Scenario, resource: AdminResource) -> (SignInContext?, String?) {
        let directory = evaluator.directory
        let domain = user.upnDomain.flatMap { name in directory.snapshot.domains.first { $0.id.lowercased() == name } }
        let federated = domain?.isFederated == true
        if scenario == .federationOutage, federated {
            return (nil, "cannot authenticate: \(domain?.id ?? "its domain") is federated and federation is down")
        }
        if scenario == .onPremOutage, federated || user.isSynchronized {
            return (nil, federated
                ? "cannot authenticate: \(domain?.id ?? "its domain") is federated and on-premises is down"
                : "cannot authenticate: the account is synchronized from on-premises AD, which is down")
        }
        let managedDevice = Device(isRegistered: true, isCompliant: true, isHybridJoined: true, properties: [:])
        let device = scenario == .deviceComplianceOutage ? Device.unregistered : managedDevice
        var capabilities = baseCapabilities(of: user, device: device)
        switch scenario {
        case .mfaOutage:
            capabilities.subtract([.mfa, .phishingResistantMfa])
        case .phoneMFAOutage:
            let strong = evaluator.directory.snapshot.authenticationMethods[user.id.lowercased()]?
                .contains(where: \.isPhishingResistant) ?? false
            capabilities.subtract([.mfa, .phishingResistantMfa])
            if strong { capabilities.formUnion([.mfa, .phishingResistantMfa]) }
        case .deviceComplianceOutage:
            capabilities.subtract([.compliantDevice, .domainJoinedDevice])
        default:
            break
        }
        var context = SignInContext(
            userID: user.id, resource: resource.applicationID, clientApp: resource.clientApp, platform: "windows",
            device: device, capabilities: capabilities)
        switch scenario {
        case .untrustedNetwork:
            context.ipAddress = untrustedAddress
            context.country = untrustedCountry
        case .riskFlagged:
            context.ipAddress = trustedAddress
            context.userRisk = "high"
            context.signInRisk = "high"
        default:
            context.ipAddress = trustedAddress
        }
        return (context, nil)
    }

    /// Registered methods and the device give the capabilities; a user whose methods the snapshot does not hold
    /// (snapshots capture methods for emergency accounts only) is assumed to have ordinary MFA, as every admin
    /// must under mandatory MFA.
    func baseCapabilities(of user: User, device: Device) -> Set<Capability> {
        var capabilities = evaluator.capabilities(ofUser: user.id, device: device) ?? [.mfa]
        capabilities.formUnion([.termsOfUse, .passwordChange])
        if device.isCompliant { capabilities.insert(.compliantDevice) }
        if device.isHybridJoined { capabilities.insert(.domainJoinedDevice) }
        return capabilities
    }

    /// Microsoft's mandatory MFA for the Azure portal, the Entra and Intune admin centers (October 2024) and the
    /// Microsoft 365 admin center (February 2025) is not Conditional Access and excludes nobody, emergency accounts
    /// included (Learn, "Mandatory Microsoft Entra multifactor authentication"). Graph from PowerShell is outside it.
    static func mandatoryMFA(resource: AdminResource, capabilities: Set<Capability>) -> String? {
        guard resource != .graph, capabilities.isDisjoint(with: [.mfa, .phishingResistantMfa]) else { return nil }
        return "Microsoft's mandatory MFA for the \(resource.displayName) needs MFA, which cannot be excluded"
    }

    public func attempt(_ user: User, scenario: Scenario, resource: AdminResource) -> Outcome {
        let (context, failure) = context(for: user, scenario: scenario, resource: resource)
        guard let context else { return .cannotAuthenticate(failure ?? "cannot authenticate") }
        return outcome(of: context, resource: resource)
    }

    /// What Conditional Access, then Microsoft's mandatory MFA, make of a sign-in.
    public func outcome(of context: SignInContext, resource: AdminResource) -> Outcome {
        let evaluation = evaluator.evaluate(context)
        return Self.outcome(evaluation.decision, blockReasons: evaluation.blockReasons,
                            requiredControls: evaluation.requiredControls, context: context, resource: resource)
    }

    static func outcome(_ decision: Decision, blockReasons: [String], requiredControls: [String], context: SignInContext,
                        resource: AdminResource) -> Outcome {
        switch decision {
        case .block: return .blocked(blockReasons.isEmpty ? ["blocked by Conditional Access"] : blockReasons)
        case .grant, .grantWithControls:
            if let mandatory = Self.mandatoryMFA(resource: resource, capabilities: context.capabilities ?? []) {
                return .blocked([mandatory])
            }
            return .signedIn(requiredControls)
        }
    }
}

/// Picks addresses and countries for the scenarios from the tenant's named locations.
enum NetworkPicker {
    /// An address inside a CIDR range: the network address + 1 for IPv4 (`10.0.0.0/8` → `10.0.0.1`).
    static func hostAddress(_ cidr: String) -> String? {
        let address = String(cidr.split(separator: "/").first ?? "")
        guard !address.isEmpty else { return nil }
        if address.contains(":") { return address.hasSuffix("::") ? address + "1" : address }
        var octets = address.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return nil }
        if octets[3] < 254 { octets[3] += 1 }
        return octets.map(String.init).joined(separator: ".")
    }

    static let candidateAddresses = ["198.51.100.23", "203.0.113.77", "192.0.2.44", "100.64.12.34", "172.31.250.9"]

    static func addressOutside(_ locations: [NamedLocation]) -> String {
        let ranges = locations.filter { $0.kind == .ip }.flatMap(\.ipRanges).compactMap(CIDRRange.init)
        return candidateAddresses.first { address in
            guard let ip = IPAddress(address) else { return false }
            return !ranges.contains { $0.contains(ip) }
        } ?? candidateAddresses[0]
    }

    static let candidateCountries = ["AQ", "BV", "HM", "TF", "UM"]

    static func countryOutside(_ locations: [NamedLocation]) -> String {
        let listed = Set(locations.flatMap(\.countriesAndRegions).map { $0.uppercased() })
        return candidateCountries.first { !listed.contains($0) } ?? "AQ"
    }
}

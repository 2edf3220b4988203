import AccessPolicy
import EntraModel
import Foundation

/// Runs sign-ins of users to the admin resources under failure scenarios.
public struct Simulation: Sendable {
    public let evaluator: Evaluator
    /// The policies as they would be (after a `--policy` change), already compiled into `evaluator`; nil = the
    /// tenant's.
    public let policies: [ConditionalAccessPolicy]?
    /// Where the scenarios sign in from: the tenant's trusted network and country (spec/evaluation.md, "Failure
    /// scenarios"), and for `untrusted-network` an address and a country in no named location.
    public let trustedNetwork: (ip: String?, country: String)
    private let untrustedAddress: String
    private let untrustedCountry: String
    /// Global Administrators (active or PIM-eligible) other than the emergency accounts: disabled in `admin-compromise`.
    public let compromisedAdministrators: Set<String>

    /// `emergencyAccountIDs` are spared in the `admin-compromise` scenario; every other Global Administrator is
    /// disabled in it.
    public init(evaluator: Evaluator, policies: [ConditionalAccessPolicy]? = nil, emergencyAccountIDs: Set<String> = []) {
        // A changed set of policies is compiled once here rather than on every sign-in.
        self.evaluator = policies.map { Evaluator(directory: evaluator.directory, now: evaluator.now, policies: $0) } ?? evaluator
        self.policies = policies
        let snapshot = evaluator.directory.snapshot
        let locations = snapshot.namedLocations ?? []
        trustedNetwork = NetworkPicker.trustedNetwork(locations, organization: snapshot.organization)
        untrustedAddress = NetworkPicker.addressOutside(locations)
        untrustedCountry = NetworkPicker.countryOutside(locations)
        let spared = Set(emergencyAccountIDs.map(Directory.normalized))
        compromisedAdministrators = Self.globalAdministrators(evaluator.directory, at: evaluator.now).subtracting(spared)
    }

    /// Active and PIM-eligible Global Administrators (users, directly or through a group), normalised ids.
    static func globalAdministrators(_ directory: Directory, at date: Date) -> Set<String> {
        var holders = Set(directory.activeHolders(ofRole: WellKnownRole.globalAdministrator, at: date).map { Directory.normalized($0.id) })
        for schedule in directory.snapshot.roleEligibilitySchedules ?? []
        where directory.templateID(schedule.roleDefinitionId) == WellKnownRole.globalAdministrator {
            if let end = schedule.scheduleInfo?.expiration?.endDateTime, end <= date { continue }
            let principal = Directory.normalized(schedule.principalId)
            if directory.group(principal) != nil {
                holders.formUnion(directory.transitiveUsers(ofGroup: principal).users)
            } else {
                holders.insert(principal)
            }
        }
        return holders
    }

    /// Whether the scenario disables the user before any sign-in.
    public func isDisabled(_ user: User, in scenario: Scenario) -> Bool {
        scenario == .adminCompromise && compromisedAdministrators.contains(Directory.normalized(user.id))
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
        if isDisabled(user, in: scenario) {
            return (nil, "cannot sign in: every Global Administrator but the emergency accounts is disabled (admin compromise)")
        }
        if scenario == .federationOutage, federated {
            return (nil, "cannot authenticate: \(domain?.id ?? "its domain") is federated and federation is down")
        }
        if scenario == .onPremOutage, federated || user.isSynchronized {
            return (nil, federated
                ? "cannot authenticate: \(domain?.id ?? "its domain") is federated and on-premises is down"
                : "cannot authenticate: the account is synchronized from on-premises AD, which is down; whether it "
                    + "signs in with password hash synchronization (cloud) or pass-through authentication (on-premises "
                    + "agents) is not in the snapshot, so it is counted as unable")
        }
        let managedDevice = Device(isRegistered: true, isCompliant: true, isHybridJoined: true, properties: [:])
        let device = scenario == .deviceComplianceOutage ? Device.unregistered : managedDevice
        var context = SignInContext(
            userID: user.id, resource: resource.applicationID, clientApp: resource.clientApp, platform: "windows",
            ipAddress: trustedNetwork.ip, country: trustedNetwork.country, device: device,
            capabilities: assumedCapabilities(of: user))
        switch scenario {
        case .mfaOutage: context.outage = .allMFA
        case .phoneMFAOutage: context.outage = .phoneMFA
        case .untrustedNetwork:
            context.ipAddress = untrustedAddress
            context.country = untrustedCountry
        case .riskFlagged:
            context.userRisk = "high"
            context.signInRisk = "high"
        default:
            break
        }
        return (context, nil)
    }

    /// nil — the registered methods decide — when the snapshot holds the user's methods (emergency accounts).
    /// Snapshots capture methods for emergency accounts only; any other administrator is assumed to have ordinary
    /// (phone-based) MFA, as every admin must under mandatory MFA.
    func assumedCapabilities(of user: User) -> Set<Capability>? {
        guard evaluator.directory.authenticationMethods(ofUser: user.id, at: evaluator.now) == nil else { return nil }
        return [.mfa, .termsOfUse, .passwordChange]
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
                            requiredControls: evaluation.requiredControls, capabilities: evaluation.capabilities,
                            resource: resource)
    }

    /// `capabilities`: those the decision used (`Evaluation.capabilities`).
    static func outcome(_ decision: Decision, blockReasons: [String], requiredControls: [String],
                        capabilities: Set<Capability>?, resource: AdminResource) -> Outcome {
        switch decision {
        case .block: return .blocked(blockReasons.isEmpty ? ["blocked by Conditional Access"] : blockReasons)
        case .grant, .grantWithControls:
            if let mandatory = Self.mandatoryMFA(resource: resource, capabilities: capabilities ?? []) {
                return .blocked([mandatory])
            }
            return .signedIn(requiredControls)
        }
    }
}

/// Picks addresses and countries for the scenarios from the tenant's named locations.
enum NetworkPicker {
    /// The tenant's trusted network (spec/evaluation.md, "Failure scenarios"): the first usable address of the first
    /// trusted IP location's first range — inside it also for /32, /31 and IPv6 /128 — and the tenant's country
    /// (`organization.countryLetterCode`, else US), so no scenario lands in an "unknown country" location.
    static func trustedNetwork(_ locations: [NamedLocation], organization: Organization) -> (ip: String?, country: String) {
        let country = organization.countryLetterCode.flatMap { $0.count == 2 ? $0.uppercased() : nil } ?? "US"
        let address = locations.first { $0.kind == .ip && $0.isTrusted && !$0.ipRanges.isEmpty }?.ipRanges
            .lazy.compactMap(CIDRRange.init).first?.firstUsableAddress.description
        return (address, country)
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

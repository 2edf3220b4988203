import EntraModel
import Foundation

/// `conditions.applications`, lowercased once. Targets: `All`, `None`, an application id, the `Office365` and
/// `MicrosoftAdminPortals` groups, and the Windows Azure Service Management API, which covers the Azure portal too
/// (spec/evaluation.md, "Resource aliases").
struct ApplicationCondition: Sendable {
    let include: Set<String>
    let exclude: Set<String>
    let userActions: [String]
    let authenticationContexts: [String]

    init(_ applications: ConditionalAccessPolicy.Applications) {
        include = Set(applications.includeApplications.map { $0.lowercased() })
        exclude = Set(applications.excludeApplications.map { $0.lowercased() })
        userActions = applications.includeUserActions
        authenticationContexts = applications.includeAuthenticationContextClassReferences
    }

    /// Why the policy can apply to no ordinary sign-in, or nil: `None`, nothing targeted, or only user actions or
    /// authentication contexts.
    var reasonTargetsNoSignIn: String? {
        if include.contains("none") { return "includeApplications is None: the policy targets no resource" }
        guard include.isEmpty else { return nil }
        if !userActions.isEmpty {
            return "targets user actions (\(userActions.joined(separator: ", "))), not an ordinary sign-in"
        }
        if !authenticationContexts.isEmpty {
            return "targets authentication contexts (\(authenticationContexts.joined(separator: ", "))), "
                + "not an ordinary sign-in"
        }
        return "includeApplications is empty: the policy targets no resource"
    }

    func match(_ resource: ResourceFacts) -> ConditionMatch {
        if let reason = reasonTargetsNoSignIn { return .no(reason) }
        guard let inclusion = Self.target(in: include, covering: resource) else {
            return .no("resource \(resource.name) not in includeApplications")
        }
        if let exclusion = Self.target(in: exclude, covering: resource) {
            return .no("resource \(resource.name) excluded by \(exclusion)")
        }
        return .yes(["resource \(resource.name) included by \(inclusion)"])
    }

    /// Which entry of the list covers the resource, as a person reads it.
    static func target(in list: Set<String>, covering resource: ResourceFacts) -> String? {
        if list.isEmpty { return nil }
        if list.contains("all") { return "All resources" }
        if list.contains(resource.id) { return "its application id" }
        if resource.isOffice365, list.contains("office365") { return "Office365" }
        if resource.isAdminPortal, list.contains("microsoftadminportals") { return "MicrosoftAdminPortals" }
        if resource.isInAzureManagementSuite, list.contains(Resource.azureManagement) {
            return "Windows Azure Service Management API (\(Resource.azureManagement))"
        }
        return nil
    }

    static func name(of resource: String) -> String {
        Resource.alias(forID: resource).map { "\($0) (\(resource))" } ?? resource
    }
}

/// The resource of a sign-in and the groups it belongs to, worked out once per evaluation.
struct ResourceFacts: Sendable {
    /// Lowercased application id.
    let id: String
    /// The alias and id, as a person reads it.
    let name: String
    let isOffice365: Bool
    let isAdminPortal: Bool
    let isInAzureManagementSuite: Bool

    init(_ resource: String) {
        id = resource.lowercased()
        name = ApplicationCondition.name(of: id)
        isOffice365 = Resource.isOffice365(id)
        isAdminPortal = Resource.isAdminPortal(id)
        isInAzureManagementSuite = Resource.isInAzureManagementSuite(id)
    }
}

/// `clientAppTypes`: empty or `all` matches; `easSupported` is Exchange ActiveSync.
struct ClientAppCondition: Sendable {
    /// nil = every client.
    let types: Set<String>?

    init(_ types: [String]) {
        let lowered = Set(types.map { $0.lowercased() == "eassupported" ? "exchangeactivesync" : $0.lowercased() })
        self.types = lowered.isEmpty || lowered.contains("all") ? nil : lowered
    }

    /// `clientApp` lowercased.
    func match(_ clientApp: String) -> ConditionMatch {
        guard let types else { return .yes([]) }
        return types.contains(clientApp)
            ? .yes(["client app \(clientApp) in clientAppTypes"]) : .no("client app \(clientApp) not in clientAppTypes")
    }
}

/// `platforms`: an `unknown` platform matches only `all`.
struct PlatformCondition: Sendable {
    let include: Set<String>
    let exclude: Set<String>

    init(_ platforms: ConditionalAccessPolicy.Platforms?) {
        include = Set((platforms?.includePlatforms ?? []).map { $0.lowercased() })
        exclude = Set((platforms?.excludePlatforms ?? []).map { $0.lowercased() })
    }

    /// `platform` lowercased.
    func match(_ platform: String) -> ConditionMatch {
        guard !include.isEmpty else { return .yes([]) }
        let known = platform != "unknown"
        guard include.contains("all") || (known && include.contains(platform)) else {
            return .no("platform \(platform) not in includePlatforms")
        }
        if known && exclude.contains(platform) || exclude.contains("all") {
            return .no("platform \(platform) excluded by excludePlatforms")
        }
        return .yes(["platform \(platform) included"])
    }
}

/// `userRiskLevels` or `signInRiskLevels`: empty matches, otherwise the level must be listed.
struct RiskCondition: Sendable {
    let name: String
    let levels: Set<String>

    init(name: String, levels: [String]) {
        self.name = name
        self.levels = Set(levels.map { $0.lowercased() })
    }

    /// `level` lowercased.
    func match(_ level: String) -> ConditionMatch {
        guard !levels.isEmpty else { return .yes([]) }
        return levels.contains(level)
            ? .yes(["\(name) \(level) listed"]) : .no("\(name) \(level) not in \(name)Levels")
    }
}

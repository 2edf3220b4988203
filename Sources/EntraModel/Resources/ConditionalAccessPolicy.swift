import Foundation

/// `GET /identity/conditionalAccess/policies` (one element). Lists are never nil: Graph's null, a missing key and
/// an empty array all mean "not configured".
public struct ConditionalAccessPolicy: Decodable, Sendable, Hashable, Identifiable {
    /// Graph's id; a policy file written for deployment may have none, then this is `new:<displayName>`.
    public var id: String
    public var displayName: String
    public var state: String
    public var createdDateTime: Date?
    public var modifiedDateTime: Date?
    public var conditions: Conditions
    public var grantControls: GrantControls?
    public var sessionControls: JSONValue?

    public init(id: String, displayName: String, state: String = PolicyState.enabled, conditions: Conditions = .init(),
                grantControls: GrantControls? = nil, sessionControls: JSONValue? = nil) {
        self.id = id
        self.displayName = displayName
        self.state = state
        self.conditions = conditions
        self.grantControls = grantControls
        self.sessionControls = sessionControls
    }

    enum CodingKeys: String, CodingKey {
        case id, displayName, state, createdDateTime, modifiedDateTime, conditions, grantControls, sessionControls
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let displayName = try container.decodeIfPresent(String.self, forKey: .displayName) ?? "(unnamed policy)"
        self.displayName = displayName
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? "new:\(displayName)"
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? PolicyState.enabled
        createdDateTime = try container.decodeIfPresent(Date.self, forKey: .createdDateTime)
        modifiedDateTime = try container.decodeIfPresent(Date.self, forKey: .modifiedDateTime)
        conditions = try container.decodeIfPresent(Conditions.self, forKey: .conditions) ?? Conditions()
        grantControls = try container.decodeIfPresent(GrantControls.self, forKey: .grantControls)
        sessionControls = try container.decodeIfPresent(JSONValue.self, forKey: .sessionControls)
    }

    public var isEnabled: Bool { state == PolicyState.enabled }
    public var isReportOnly: Bool { state == PolicyState.reportOnly }

    /// Names of the session controls that are set (`signInFrequency`, `persistentBrowser`, …).
    public var sessionControlNames: [String] {
        guard case .object(let controls)? = sessionControls else { return [] }
        return controls.filter { !$0.value.isEmpty && $0.key != "disableResilienceDefaults" }.keys.sorted()
    }
}

public enum PolicyState {
    public static let enabled = "enabled"
    public static let disabled = "disabled"
    public static let reportOnly = "enabledForReportingButNotEnforced"
}

extension ConditionalAccessPolicy {
    public struct Conditions: Decodable, Sendable, Hashable {
        public var users: Users
        public var applications: Applications
        public var clientAppTypes: [String]
        public var platforms: Platforms?
        public var locations: Locations?
        public var userRiskLevels: [String]
        public var signInRiskLevels: [String]
        /// `minor`, `moderate`, `elevated` (Graph sends the flags comma-joined in one string).
        public var insiderRiskLevels: [String]
        public var devices: Devices?
        /// Service principals targeted (workload identity policies). A user sign-in is never one of them.
        public var clientApplications: JSONValue?
        /// Conditions present and set that the evaluator does not model (`insiderRiskLevels`, `authenticationFlows`,
        /// `servicePrincipalRiskLevels`, conditions Graph adds later…), by name.
        public var unmodeled: [String]

        public init(users: Users = .init(), applications: Applications = .init(), clientAppTypes: [String] = ["all"],
                    platforms: Platforms? = nil, locations: Locations? = nil, userRiskLevels: [String] = [],
                    signInRiskLevels: [String] = [], insiderRiskLevels: [String] = [], devices: Devices? = nil,
                    unmodeled: [String] = []) {
            self.users = users
            self.applications = applications
            self.clientAppTypes = clientAppTypes
            self.platforms = platforms
            self.locations = locations
            self.userRiskLevels = userRiskLevels
            self.signInRiskLevels = signInRiskLevels
            self.insiderRiskLevels = insiderRiskLevels
            self.devices = devices
            self.unmodeled = unmodeled
        }

        static let modelled: Set<String> = [
            "users", "applications", "clientAppTypes", "platforms", "locations", "userRiskLevels", "signInRiskLevels",
            "insiderRiskLevels", "devices", "clientApplications",
        ]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
            users = try container.decodeIfPresent(Users.self, forKey: key("users")) ?? Users()
            applications = try container.decodeIfPresent(Applications.self, forKey: key("applications"))
                ?? Applications()
            clientAppTypes = try container.lenientList(String.self, forKey: key("clientAppTypes"))
            platforms = try container.decodeIfPresent(Platforms.self, forKey: key("platforms"))
            locations = try container.decodeIfPresent(Locations.self, forKey: key("locations"))
            userRiskLevels = try container.lenientList(String.self, forKey: key("userRiskLevels"))
            signInRiskLevels = try container.lenientList(String.self, forKey: key("signInRiskLevels"))
            insiderRiskLevels = try container.lenientList(String.self, forKey: key("insiderRiskLevels"))
                .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.isEmpty }
            devices = try container.decodeIfPresent(Devices.self, forKey: key("devices"))
            clientApplications = try container.decodeIfPresent(JSONValue.self, forKey: key("clientApplications"))
            var unmodeled: [String] = []
            for codingKey in container.allKeys
            where !Self.modelled.contains(codingKey.stringValue) && !codingKey.stringValue.hasPrefix("@odata") {
                let value = try container.decode(JSONValue.self, forKey: codingKey)
                if !value.isEmpty, !Self.isNeutral(value, key: codingKey.stringValue) {
                    unmodeled.append(codingKey.stringValue)
                }
            }
            if let filter = applications.applicationFilter, !filter.isEmpty { unmodeled.append("applications.applicationFilter") }
            self.unmodeled = unmodeled.sorted()
        }

        /// Graph fills some conditions with values that mean "any": an explicit `all` list, and `authenticationFlows`
        /// whose `transferMethods` is `none` — Learn, "conditionalAccessAuthenticationFlows resource type": "the
        /// transfer methods in scope for the policy", a flags enum whose `none` puts no flow in scope (an ordinary
        /// sign-in, whose transfer method is `none` in What If's `authenticationFlow`, still matches).
        static func isNeutral(_ value: JSONValue, key: String = "") -> Bool {
            if case .array(let items) = value { return items.allSatisfy { $0.stringValue == "all" } }
            if key == "authenticationFlows", case .object(let fields) = value {
                let methods = (fields["transferMethods"]?.stringValue ?? "").split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
                let others = fields.filter { $0.key != "transferMethods" && !$0.key.hasPrefix("@odata") }
                return methods.allSatisfy { $0 == "none" } && others.values.allSatisfy(\.isEmpty)
            }
            return false
        }
    }

    public struct Users: Decodable, Sendable, Hashable {
        public var includeUsers: [String]
        public var excludeUsers: [String]
        public var includeGroups: [String]
        public var excludeGroups: [String]
        public var includeRoles: [String]
        public var excludeRoles: [String]
        public var includeGuestsOrExternalUsers: GuestsOrExternalUsers?
        public var excludeGuestsOrExternalUsers: GuestsOrExternalUsers?

        public init(includeUsers: [String] = [], excludeUsers: [String] = [], includeGroups: [String] = [],
                    excludeGroups: [String] = [], includeRoles: [String] = [], excludeRoles: [String] = [],
                    includeGuestsOrExternalUsers: GuestsOrExternalUsers? = nil,
                    excludeGuestsOrExternalUsers: GuestsOrExternalUsers? = nil) {
            self.includeUsers = includeUsers
            self.excludeUsers = excludeUsers
            self.includeGroups = includeGroups
            self.excludeGroups = excludeGroups
            self.includeRoles = includeRoles
            self.excludeRoles = excludeRoles
            self.includeGuestsOrExternalUsers = includeGuestsOrExternalUsers
            self.excludeGuestsOrExternalUsers = excludeGuestsOrExternalUsers
        }

        enum CodingKeys: String, CodingKey {
            case includeUsers, excludeUsers, includeGroups, excludeGroups, includeRoles, excludeRoles
            case includeGuestsOrExternalUsers, excludeGuestsOrExternalUsers
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            includeUsers = try c.lenientList(String.self, forKey: .includeUsers)
            excludeUsers = try c.lenientList(String.self, forKey: .excludeUsers)
            includeGroups = try c.lenientList(String.self, forKey: .includeGroups)
            excludeGroups = try c.lenientList(String.self, forKey: .excludeGroups)
            includeRoles = try c.lenientList(String.self, forKey: .includeRoles)
            excludeRoles = try c.lenientList(String.self, forKey: .excludeRoles)
            includeGuestsOrExternalUsers = try c.decodeIfPresent(GuestsOrExternalUsers.self, forKey: .includeGuestsOrExternalUsers)
            excludeGuestsOrExternalUsers = try c.decodeIfPresent(GuestsOrExternalUsers.self, forKey: .excludeGuestsOrExternalUsers)
        }
    }

    public struct GuestsOrExternalUsers: Decodable, Sendable, Hashable {
        /// Graph sends a comma-joined flags string: `internalGuest,b2bCollaborationGuest`.
        public var guestOrExternalUserTypes: [String]
        public var externalTenants: ExternalTenants?

        public init(guestOrExternalUserTypes: [String], externalTenants: ExternalTenants? = nil) {
            self.guestOrExternalUserTypes = guestOrExternalUserTypes
            self.externalTenants = externalTenants
        }

        enum CodingKeys: String, CodingKey { case guestOrExternalUserTypes, externalTenants }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let types = try c.lenientList(String.self, forKey: .guestOrExternalUserTypes)
            guestOrExternalUserTypes = types.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            externalTenants = try c.decodeIfPresent(ExternalTenants.self, forKey: .externalTenants)
        }
    }

    public struct ExternalTenants: Decodable, Sendable, Hashable {
        public var membershipKind: String?
        public var members: [String]

        enum CodingKeys: String, CodingKey { case membershipKind, members }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            membershipKind = try c.decodeIfPresent(String.self, forKey: .membershipKind)
            members = try c.lenientList(String.self, forKey: .members)
        }
    }

    public struct Applications: Decodable, Sendable, Hashable {
        public var includeApplications: [String]
        public var excludeApplications: [String]
        public var includeUserActions: [String]
        public var includeAuthenticationContextClassReferences: [String]
        public var applicationFilter: JSONValue?

        public init(includeApplications: [String] = ["All"], excludeApplications: [String] = [],
                    includeUserActions: [String] = [], includeAuthenticationContextClassReferences: [String] = []) {
            self.includeApplications = includeApplications
            self.excludeApplications = excludeApplications
            self.includeUserActions = includeUserActions
            self.includeAuthenticationContextClassReferences = includeAuthenticationContextClassReferences
        }

        enum CodingKeys: String, CodingKey {
            case includeApplications, excludeApplications, includeUserActions
            case includeAuthenticationContextClassReferences, applicationFilter
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            includeApplications = try c.lenientList(String.self, forKey: .includeApplications)
            excludeApplications = try c.lenientList(String.self, forKey: .excludeApplications)
            includeUserActions = try c.lenientList(String.self, forKey: .includeUserActions)
            includeAuthenticationContextClassReferences = try c.lenientList(
                String.self, forKey: .includeAuthenticationContextClassReferences)
            applicationFilter = try c.decodeIfPresent(JSONValue.self, forKey: .applicationFilter)
        }
    }

    public struct Platforms: Decodable, Sendable, Hashable {
        public var includePlatforms: [String]
        public var excludePlatforms: [String]

        public init(includePlatforms: [String], excludePlatforms: [String] = []) {
            self.includePlatforms = includePlatforms
            self.excludePlatforms = excludePlatforms
        }

        enum CodingKeys: String, CodingKey { case includePlatforms, excludePlatforms }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            includePlatforms = try c.lenientList(String.self, forKey: .includePlatforms)
            excludePlatforms = try c.lenientList(String.self, forKey: .excludePlatforms)
        }
    }

    public struct Locations: Decodable, Sendable, Hashable {
        public var includeLocations: [String]
        public var excludeLocations: [String]

        public init(includeLocations: [String], excludeLocations: [String] = []) {
            self.includeLocations = includeLocations
            self.excludeLocations = excludeLocations
        }

        enum CodingKeys: String, CodingKey { case includeLocations, excludeLocations }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            includeLocations = try c.lenientList(String.self, forKey: .includeLocations)
            excludeLocations = try c.lenientList(String.self, forKey: .excludeLocations)
        }
    }

    public struct Devices: Decodable, Sendable, Hashable {
        public var deviceFilter: DeviceFilter?
        /// Deprecated device-state condition (`All`, `Compliant`, `DomainJoined`).
        public var includeDevices: [String]
        public var excludeDevices: [String]

        public init(deviceFilter: DeviceFilter?) {
            self.deviceFilter = deviceFilter
            includeDevices = []
            excludeDevices = []
        }

        enum CodingKeys: String, CodingKey { case deviceFilter, includeDevices, excludeDevices }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            deviceFilter = try c.decodeIfPresent(DeviceFilter.self, forKey: .deviceFilter)
            includeDevices = try c.lenientList(String.self, forKey: .includeDevices)
            excludeDevices = try c.lenientList(String.self, forKey: .excludeDevices)
        }
    }

    public struct DeviceFilter: Decodable, Sendable, Hashable {
        /// `include` or `exclude`.
        public var mode: String
        public var rule: String

        public init(mode: String, rule: String) {
            self.mode = mode
            self.rule = rule
        }
    }

    public struct GrantControls: Decodable, Sendable, Hashable {
        /// `AND` or `OR`.
        public var `operator`: String
        public var builtInControls: [String]
        public var customAuthenticationFactors: [String]
        public var termsOfUse: [String]
        public var authenticationStrength: AuthenticationStrengthPolicy?

        public init(operator: String = "OR", builtInControls: [String], customAuthenticationFactors: [String] = [],
                    termsOfUse: [String] = [], authenticationStrength: AuthenticationStrengthPolicy? = nil) {
            self.operator = `operator`
            self.builtInControls = builtInControls
            self.customAuthenticationFactors = customAuthenticationFactors
            self.termsOfUse = termsOfUse
            self.authenticationStrength = authenticationStrength
        }

        enum CodingKeys: String, CodingKey {
            case `operator`, builtInControls, customAuthenticationFactors, termsOfUse, authenticationStrength
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            `operator` = try c.decodeIfPresent(String.self, forKey: .operator) ?? "OR"
            builtInControls = try c.lenientList(String.self, forKey: .builtInControls)
            customAuthenticationFactors = try c.lenientList(String.self, forKey: .customAuthenticationFactors)
            termsOfUse = try c.lenientList(String.self, forKey: .termsOfUse)
            authenticationStrength = try c.decodeIfPresent(AuthenticationStrengthPolicy.self, forKey: .authenticationStrength)
        }

        public var blocks: Bool { builtInControls.contains { $0.caseInsensitiveCompare("block") == .orderedSame } }
    }
}

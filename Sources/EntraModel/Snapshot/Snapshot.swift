import Foundation

/// The files of a snapshot folder (spec/snapshot.md).
public enum SnapshotFile: String, CaseIterable, Sendable {
    case manifest = "manifest.json"
    case organization = "organization.json"
    case domains = "domains.json"
    case users = "users.json"
    case groups = "groups.json"
    case groupMembers = "group-members"
    case roleDefinitions = "role-definitions.json"
    case roleAssignments = "role-assignments.json"
    case roleAssignmentScheduleInstances = "role-assignment-schedule-instances.json"
    case roleEligibilitySchedules = "role-eligibility-schedules.json"
    case policies = "conditional-access-policies.json"
    case namedLocations = "named-locations.json"
    case authenticationStrengths = "authentication-strengths.json"
    case securityDefaults = "security-defaults.json"
    case authenticationMethods = "authentication-methods"
    case signIns = "sign-ins.json"
    case directoryAudits = "directory-audits.json"
    case diagnosticSettings = "diagnostic-settings.json"
    case alertRules = "alert-rules.json"
    // Who can take over or lock out the emergency accounts (issue 15).
    case groupOwners = "group-owners"
    case administrativeUnits = "administrative-units.json"
    case administrativeUnitMembers = "administrative-unit-members"
    case servicePrincipals = "service-principals.json"
    case graphServicePrincipal = "graph-service-principal.json"
    case graphAppRoleAssignments = "graph-app-role-assignments.json"
    case applications = "applications.json"
    case servicePrincipalOwners = "service-principal-owners"
    case applicationOwners = "application-owners"
    case authenticationMethodsPolicy = "authentication-methods-policy.json"

    public var isRequired: Bool {
        switch self {
        case .organization, .domains, .users, .groups, .roleDefinitions, .roleAssignments, .policies: true
        default: false
        }
    }

    /// What it takes to read the file, for an `unknown` result's message.
    public var requirement: String? {
        switch self {
        case .roleAssignmentScheduleInstances, .roleEligibilitySchedules:
            "Entra ID P2 and RoleManagement.Read.Directory"
        case .signIns: "Entra ID P1 and AuditLog.Read.All"
        case .directoryAudits: "AuditLog.Read.All"
        case .authenticationMethods: "UserAuthenticationMethod.Read.All"
        case .diagnosticSettings, .alertRules: "Reader on the Azure subscription (ARM)"
        case .namedLocations, .authenticationStrengths, .securityDefaults, .policies: "Policy.Read.All"
        case .groupOwners: "GroupMember.Read.All"
        case .administrativeUnits, .administrativeUnitMembers: "AdministrativeUnit.Read.All"
        case .servicePrincipals, .graphServicePrincipal, .graphAppRoleAssignments, .applications,
             .servicePrincipalOwners, .applicationOwners: "Application.Read.All"
        case .authenticationMethodsPolicy: "Policy.Read.AuthenticationMethod"
        default: nil
        }
    }
}

/// `manifest.json`: not Graph; written by `breakglass snapshot`.
public struct Manifest: Codable, Sendable, Hashable {
    public var tenantId: String?
    public var cloud: String?
    public var capturedAt: Date?
    public var capturedBy: String?
    public var files: [String: FileEntry]?
    /// The Graph base URL the capture read (`https://graph.microsoft.com`, or an emulator's address).
    public var graphEndpoint: String?
    /// Whether `graphEndpoint` is one of Microsoft's Graph hosts; false for an emulator or any other host.
    public var graphEndpointIsMicrosoft: Bool?

    /// A capture from a Graph endpoint that is not Microsoft's: its reports say "emulated".
    public var isEmulated: Bool { graphEndpointIsMicrosoft == false }

    public struct FileEntry: Codable, Sendable, Hashable {
        /// `ok`, `forbidden`, `notLicensed` or `error`.
        public var status: String
        public var message: String?

        public init(status: String, message: String? = nil) {
            self.status = status
            self.message = message
        }
    }

    public init(tenantId: String?, cloud: String?, capturedAt: Date?, capturedBy: String?,
                files: [String: FileEntry]? = nil) {
        self.tenantId = tenantId
        self.cloud = cloud
        self.capturedAt = capturedAt
        self.capturedBy = capturedBy
        self.files = files
    }

    public init(tenantId: String?, cloud: String?, capturedAt: Date?, capturedBy: String?,
                files: [String: FileEntry]? = nil, graphEndpoint: String?, graphEndpointIsMicrosoft: Bool?) {
        self.init(tenantId: tenantId, cloud: cloud, capturedAt: capturedAt, capturedBy: capturedBy, files: files)
        self.graphEndpoint = graphEndpoint
        self.graphEndpointIsMicrosoft = graphEndpointIsMicrosoft
    }
}

/// Why an optional file's data is not there.
public struct Unavailable: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var status: String
    public var message: String?

    public var description: String {
        let requirement = SnapshotFile(rawValue: file)?.requirement.map { " (needs \($0))" } ?? ""
        switch status {
        case "missing": return "\(file) is not in the snapshot\(requirement)"
        case "notLicensed": return "\(file) was not captured: the tenant lacks the licence\(requirement)"
        case "forbidden": return "\(file) was not captured: permission denied\(requirement)"
        default: return "\(file) was not captured (\(status)\(message.map { ": \($0)" } ?? ""))"
        }
    }
}

/// A tenant as read from a snapshot folder, the embedded demo or a live capture. Optional data is nil when it was
/// not available; `unavailable` says why.
public struct Snapshot: Sendable {
    public var manifest: Manifest?
    public var organization: Organization
    public var domains: [Domain]
    public var users: [User]
    public var groups: [Group]
    /// Direct members by group id; a group without an entry has unknown membership.
    public var groupMembers: [String: [DirectoryObjectReference]]
    public var roleDefinitions: [RoleDefinition]
    public var roleAssignments: [RoleAssignment]
    public var roleAssignmentScheduleInstances: [RoleAssignmentScheduleInstance]?
    public var roleEligibilitySchedules: [RoleEligibilitySchedule]?
    public var policies: [ConditionalAccessPolicy]
    public var namedLocations: [NamedLocation]?
    public var authenticationStrengths: [AuthenticationStrengthPolicy]?
    public var securityDefaults: SecurityDefaults?
    /// Registered methods by user id; a user without an entry has unknown methods.
    public var authenticationMethods: [String: [AuthenticationMethod]]
    public var signIns: [SignIn]?
    public var directoryAudits: [DirectoryAudit]?
    public var diagnosticSettings: [DiagnosticSetting]?
    public var alertRules: [AlertRule]?
    /// Owners by group id (the exclusion groups and role-assignable groups holding roles); no entry = unknown.
    public var groupOwners: [String: [DirectoryObjectReference]] = [:]
    public var administrativeUnits: [AdministrativeUnit]?
    /// Members by administrative unit id (restricted-management units and units scoping a role); no entry = unknown.
    public var administrativeUnitMembers: [String: [DirectoryObjectReference]] = [:]
    public var servicePrincipals: [ServicePrincipal]?
    /// Microsoft Graph's own service principal with its `appRoles`: the names of its application permissions.
    public var graphServicePrincipal: ServicePrincipal?
    /// Every Microsoft Graph application permission granted in the tenant.
    public var graphAppRoleAssignments: [AppRoleAssignment]?
    public var applications: [Application]?
    /// Owners by service principal id and by application object id; no entry = unknown.
    public var servicePrincipalOwners: [String: [DirectoryObjectReference]] = [:]
    public var applicationOwners: [String: [DirectoryObjectReference]] = [:]
    public var authenticationMethodsPolicy: AuthenticationMethodsPolicy?
    /// Optional files that could not be used, by file name.
    public var unavailable: [String: Unavailable]

    public init(organization: Organization, domains: [Domain] = [], users: [User] = [], groups: [Group] = [],
                groupMembers: [String: [DirectoryObjectReference]] = [:], roleDefinitions: [RoleDefinition] = [],
                roleAssignments: [RoleAssignment] = [], policies: [ConditionalAccessPolicy] = []) {
        self.organization = organization
        self.domains = domains
        self.users = users
        self.groups = groups
        self.groupMembers = groupMembers
        self.roleDefinitions = roleDefinitions
        self.roleAssignments = roleAssignments
        self.policies = policies
        authenticationMethods = [:]
        unavailable = [:]
    }

    public var capturedAt: Date? { manifest?.capturedAt }

    /// Why `file`'s data is missing, or nil when it is there.
    public func whyUnavailable(_ file: SnapshotFile) -> Unavailable? { unavailable[file.rawValue] }

    public var initialDomain: String? {
        organization.initialDomain ?? domains.first { $0.isInitial == true }?.id.lowercased()
    }
}

import EntraModel
import Foundation

/// One sign-in to evaluate (spec/evaluation.md, "Sign-in context").
public struct SignInContext: Sendable, Hashable {
    /// The user's object id.
    public var userID: String
    /// An application id (use `Resource.id(forAlias:)` to turn `azure-portal` into one).
    public var resource: String
    /// `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, `other`.
    public var clientApp: String
    /// `android`, `iOS`, `windows`, `windowsPhone`, `macOS`, `linux`, `unknown`.
    public var platform: String
    public var ipAddress: String?
    /// ISO 3166 alpha-2.
    public var country: String?
    /// `none`, `low`, `medium`, `high`.
    public var userRisk: String
    public var signInRisk: String
    public var device: Device
    /// What the person can satisfy now; nil = derived from the user's registered methods. The device flags add
    /// `compliantDevice` / `domainJoinedDevice` either way.
    public var capabilities: Set<Capability>?
    /// `none`, `minor`, `moderate`, `elevated` (Microsoft Purview Insider Risk Management).
    public var insiderRisk: String
    /// An authentication service that is down (failure scenarios): what stops working is not at hand.
    public var outage: AuthenticationOutage

    public init(userID: String, resource: String = Resource.azurePortal, clientApp: String = "browser",
                platform: String = "windows", ipAddress: String? = nil, country: String? = nil,
                userRisk: String = "none", signInRisk: String = "none", device: Device = .unregistered,
                capabilities: Set<Capability>? = nil, insiderRisk: String = "none",
                outage: AuthenticationOutage = .none) {
        self.userID = userID
        self.resource = resource
        self.clientApp = clientApp
        self.platform = platform
        self.ipAddress = ipAddress
        self.country = country
        self.userRisk = userRisk
        self.signInRisk = signInRisk
        self.device = device
        self.capabilities = capabilities
        self.insiderRisk = insiderRisk
        self.outage = outage
    }

    /// Exchange ActiveSync and other legacy clients cannot perform MFA nor present device state (Learn, "Conditional
    /// Access: client apps").
    public var isLegacyClient: Bool {
        ["exchangeactivesync", "other"].contains(clientApp.lowercased())
    }
}

/// The device of a sign-in. Unregistered: every filter property is null. Registered: `properties` gives what is
/// known; a filter that reads anything else cannot be evaluated (`applies: unknown`), except `extensionAttribute1-15`,
/// which are null unless the device is Intune-managed, compliant or hybrid-joined (Learn, "Conditional Access:
/// filter for devices").
public struct Device: Sendable, Hashable {
    public var isRegistered: Bool
    public var isCompliant: Bool
    public var isHybridJoined: Bool
    /// Device-filter properties by name (`trustType`, `extensionAttribute1`, …).
    public var properties: [String: String]

    public static let unregistered = Device(isRegistered: false, isCompliant: false, isHybridJoined: false, properties: [:])

    public init(isRegistered: Bool, isCompliant: Bool, isHybridJoined: Bool, properties: [String: String]) {
        self.isRegistered = isRegistered
        self.isCompliant = isCompliant
        self.isHybridJoined = isHybridJoined
        self.properties = properties
    }
}

/// A control a person can satisfy (spec/evaluation.md, `capabilities`).
public enum Capability: String, Sendable, Hashable, CaseIterable, Codable {
    case mfa
    case phishingResistantMfa
    case compliantDevice
    case domainJoinedDevice
    case approvedApplication
    case compliantApplication
    case passwordChange
    case termsOfUse
}

/// Well-known resources and the groups policies target (spec/evaluation.md, "Resource aliases").
public enum Resource {
    public static let azurePortal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
    public static let azureManagement = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
    public static let m365AdminCenter = "00000006-0000-0ff1-ce00-000000000000"
    public static let graph = "00000003-0000-0000-c000-000000000000"
    public static let exchangeOnline = "00000002-0000-0ff1-ce00-000000000000"
    public static let sharePointOnline = "00000003-0000-0ff1-ce00-000000000000"
    public static let teams = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"

    public static let aliases: [String: String] = [
        "azure-portal": azurePortal, "azure-management": azureManagement, "m365-admin-center": m365AdminCenter,
        "graph": graph, "exchange-online": exchangeOnline, "sharepoint-online": sharePointOnline, "teams": teams,
    ]

    /// An alias or an application id, as an application id; nil when it is neither.
    public static func id(forAlias value: String) -> String? {
        if let id = aliases[value.lowercased()] { return id }
        let isGUID = UUID(uuidString: value) != nil
        return isGUID ? value.lowercased() : nil
    }

    public static func alias(forID id: String) -> String? {
        aliases.first { $0.value == id.lowercased() }?.key
    }

    public static func isOffice365(_ id: String) -> Bool {
        [m365AdminCenter, exchangeOnline, sharePointOnline, teams].contains(id.lowercased())
    }

    public static func isAdminPortal(_ id: String) -> Bool { [azurePortal, m365AdminCenter].contains(id.lowercased()) }

    public static func isInAzureManagementSuite(_ id: String) -> Bool {
        [azurePortal, azureManagement].contains(id.lowercased())
    }
}

import AccessPolicy
import EntraModel
import Foundation

/// A failure scenario: a named change of the sign-in conditions (spec/evaluation.md; issue "Conditional Access
/// engine", item 3).
public enum Scenario: String, CaseIterable, Sendable, Codable {
    case normal
    case mfaOutage = "mfa-outage"
    case phoneMFAOutage = "phone-mfa-outage"
    case federationOutage = "federation-outage"
    case onPremOutage = "onprem-outage"
    case deviceComplianceOutage = "device-compliance-outage"
    case untrustedNetwork = "untrusted-network"
    case riskFlagged = "risk-flagged"
    /// Every Global Administrator but the emergency accounts is disabled (issue 15): the day the admins are compromised.
    case adminCompromise = "admin-compromise"

    public var summary: String {
        switch self {
        case .normal: "Everything works: registered methods, a compliant hybrid-joined device, a trusted network."
        case .mfaOutage: "No MFA of any kind works (the MFA service or every registered device is unavailable)."
        case .phoneMFAOutage: "Phone-based MFA is down (SMS, voice, Authenticator); only FIDO2 keys, passkeys and certificates work."
        case .federationOutage: "The federation service (AD FS) is down: accounts in federated domains cannot authenticate."
        case .onPremOutage: "On-premises AD is down: synchronized and federated accounts cannot authenticate."
        case .deviceComplianceOutage: "Intune or hybrid join is broken: no device is compliant or domain-joined."
        case .untrustedNetwork: "Signing in from an IP address and country in no named location."
        case .riskFlagged: "Identity Protection rates the user and the sign-in high risk."
        case .adminCompromise: "The admins are compromised: every Global Administrator (active or eligible) but the emergency accounts is disabled."
        }
    }
}

/// The admin resources a recovery needs, each with the client it is reached from.
public enum AdminResource: String, CaseIterable, Sendable, Codable {
    case azurePortal = "azure-portal"
    case m365AdminCenter = "m365-admin-center"
    case graph = "graph"

    public var applicationID: String {
        switch self {
        case .azurePortal: Resource.azurePortal
        case .m365AdminCenter: Resource.m365AdminCenter
        case .graph: Resource.graph
        }
    }

    /// The Azure and Microsoft 365 portals from a browser; Graph from PowerShell or the CLI.
    public var clientApp: String { self == .graph ? "mobileAppsAndDesktopClients" : "browser" }

    public var displayName: String {
        switch self {
        case .azurePortal: "Azure portal / Entra admin center"
        case .m365AdminCenter: "Microsoft 365 admin center"
        case .graph: "Microsoft Graph (PowerShell/CLI)"
        }
    }
}

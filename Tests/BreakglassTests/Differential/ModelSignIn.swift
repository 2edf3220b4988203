import Foundation

/// A sign-in as the model sees it (spec/evaluation.md, "Sign-in context"), in the spec's own words.
struct ModelSignIn: CustomStringConvertible {
    var userID: String
    /// An application id.
    var resource: String
    var clientApp = "browser"
    var platform = "windows"
    var ip: String?
    var country: String?
    var userRisk = "none"
    var signInRisk = "none"
    var insiderRisk = "none"
    /// `nil`: unregistered (every filter property null).
    var device: ModelDevice?
    /// What the person can satisfy now; nil = derived from the registered methods and the device flags.
    var capabilities: Set<String>?

    var isLegacyClient: Bool { clientApp == "exchangeActiveSync" || clientApp == "other" }

    var description: String {
        var parts = ["user \(userID)", "resource \(ModelAliases.name(resource))", "clientApp \(clientApp)",
                     "platform \(platform)"]
        if let ip { parts.append("ip \(ip)") }
        if let country { parts.append("country \(country)") }
        if userRisk != "none" { parts.append("userRisk \(userRisk)") }
        if signInRisk != "none" { parts.append("signInRisk \(signInRisk)") }
        if insiderRisk != "none" { parts.append("insiderRisk \(insiderRisk)") }
        parts.append(device.map { "device \($0)" } ?? "unregistered device")
        parts.append(capabilities.map { "capabilities [\($0.sorted().joined(separator: ", "))]" }
                     ?? "capabilities from registered methods")
        return parts.joined(separator: ", ")
    }
}

/// A registered device: `device` flags and the filter properties the sign-in gives.
struct ModelDevice: CustomStringConvertible {
    var isCompliant = false
    var isHybridJoined = false
    var properties: [String: String] = [:]

    var description: String {
        let flags = [isCompliant ? "compliant" : nil, isHybridJoined ? "hybridJoined" : nil].compactMap { $0 }
        let properties = self.properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "registered [\(flags.joined(separator: ", "))] {\(properties.joined(separator: ", "))}"
    }

    /// spec/evaluation.md, `deviceProperties`: given properties count; `isCompliant` and `trustType` follow from the
    /// flags when not given; `extensionAttribute1-15` are null unless the device is compliant or hybrid-joined
    /// (Learn, "filter for devices": "Devices must be Microsoft Intune managed, compliant, or Microsoft Entra hybrid
    /// joined for a value to be available in extensionAttributes1-15"); anything else not given is unknown.
    func value(of property: String) -> ModelDeviceRule.Value {
        let name = property.lowercased()
        let given = properties.first { $0.key.lowercased() == name }?.value
        if name.hasPrefix("extensionattribute"), !(isCompliant || isHybridJoined) {
            return .null
        }
        if let given { return .text(given) }
        switch name {
        case "iscompliant": return .text(isCompliant ? "True" : "False")
        // A hybrid-joined device is ServerAD; otherwise Entra joined or registered, which the flags do not say.
        case "trusttype" where isHybridJoined: return .text("ServerAD")
        default: return .unknown
        }
    }
}

/// The spec's resource alias table (spec/evaluation.md, "Resource aliases"), kept separately from the product's.
enum ModelAliases {
    static let azurePortal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
    static let azureManagement = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
    static let m365AdminCenter = "00000006-0000-0ff1-ce00-000000000000"
    static let graph = "00000003-0000-0000-c000-000000000000"
    static let exchangeOnline = "00000002-0000-0ff1-ce00-000000000000"
    static let sharePointOnline = "00000003-0000-0ff1-ce00-000000000000"
    static let teams = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"
    /// Azure CLI: a resource in none of the groups (Learn, mandatory MFA).
    static let azureCLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

    static let names = [
        azurePortal: "azure-portal", azureManagement: "azure-management", m365AdminCenter: "m365-admin-center",
        graph: "graph", exchangeOnline: "exchange-online", sharePointOnline: "sharepoint-online", teams: "teams",
    ]

    static func name(_ id: String) -> String { names[id.lowercased()] ?? id }

    static func isOffice365(_ id: String) -> Bool {
        [m365AdminCenter, exchangeOnline, sharePointOnline, teams].contains(id.lowercased())
    }

    static func isAdminPortal(_ id: String) -> Bool { [azurePortal, m365AdminCenter].contains(id.lowercased()) }

    /// Learn, "Conditional Access: target resources", Windows Azure Service Management API: the app id covers the
    /// Azure portal and Azure Resource Manager.
    static func isInAzureManagementSuite(_ id: String) -> Bool {
        [azurePortal, azureManagement].contains(id.lowercased())
    }
}

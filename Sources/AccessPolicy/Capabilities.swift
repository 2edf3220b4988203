import EntraModel
import Foundation

/// What a person can satisfy, from registered authentication methods and the device.
///
/// `termsOfUse` and `passwordChange` are assumed available: a person at the sign-in screen can accept terms and
/// change a password. `approvedApplication` and `compliantApplication` are never assumed (they need a specific
/// client app on a managed phone); give them in the context when they hold.
enum CapabilityDerivation {
    static func capabilities(methods: [AuthenticationMethod], device: Device) -> Set<Capability> {
        var capabilities = deviceCapabilities(device)
        for method in methods {
            if method.isPhishingResistant {
                capabilities.insert(.phishingResistantMfa)
                capabilities.insert(.mfa)
            } else if method.satisfiesMFA {
                capabilities.insert(.mfa)
            }
        }
        return capabilities
    }

    /// The device flags plus what a person can always do; no MFA.
    static func deviceCapabilities(_ device: Device) -> Set<Capability> {
        var capabilities: Set<Capability> = [.termsOfUse, .passwordChange]
        if device.isCompliant { capabilities.insert(.compliantDevice) }
        if device.isHybridJoined { capabilities.insert(.domainJoinedDevice) }
        return capabilities
    }
}

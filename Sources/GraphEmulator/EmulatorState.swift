import Foundation

/// The emulator's mutable state: the request counter, issued tokens and pending device codes.
actor EmulatorState {
    var graphRequests = 0
    var tokens: [String: EmulatorGrant] = [:]
    var deviceCodes: [String: DeviceCode] = [:]

    struct DeviceCode {
        var expires: Date
        var polls: Int
    }

    func nextRequestNumber() -> Int {
        graphRequests += 1
        return graphRequests
    }

    func issueToken(_ grant: EmulatorGrant) -> String {
        let token = "emulator-" + UUID().uuidString + UUID().uuidString
        tokens[token] = grant
        return token
    }

    func grant(for token: String) -> EmulatorGrant? { tokens[token] }

    func startDeviceCode(lifetime: Int) -> String {
        let code = "device-" + UUID().uuidString
        deviceCodes[code] = DeviceCode(expires: Date().addingTimeInterval(TimeInterval(lifetime)), polls: 0)
        return code
    }

    enum Poll { case unknown, expired, pending, slowDown, signedIn }

    func poll(_ code: String, pendingPolls: Int) -> Poll {
        guard var entry = deviceCodes[code] else { return .unknown }
        guard entry.expires > Date() else { return .expired }
        entry.polls += 1
        deviceCodes[code] = entry
        if entry.polls <= pendingPolls { return .pending }
        if entry.polls == pendingPolls + 1 { return .slowDown }
        deviceCodes[code] = nil
        return .signedIn
    }
}

import AccessPolicy
import ArgumentParser
import EntraModel
import Foundation
import Posture
import SafeInput

struct WhatIfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "What would Conditional Access do with this sign-in? Like Entra's What If tool, offline.",
        discussion: """
            One sign-in from the flags, or many from --batch FILE (JSON Lines: {"user": "…", "resource": \
            "azure-portal", "clientApp": "browser", "platform": "windows", "ip": "…", "country": "…", "userRisk": \
            "none", "signInRisk": "none", "insiderRisk": "none", "device": ["compliant"], "deviceProperties": \
            {"trustType": "AzureAD", "isCompliant": true}, "capabilities": ["mfa"]}, every field but user optional), answered one JSON line each, in order; a bad line gives {"line": N, "error": "…"}.
            Resources: \(Resource.aliases.keys.sorted().joined(separator: ", ")) or an application id.
            Example: breakglass whatif --demo --user bg-02@contoso.onmicrosoft.com --resource azure-portal --format json
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(help: "The user: object id or UPN.") var user: String?
    @Option(help: "An application id or alias (default azure-portal).") var resource: String?
    @Option(help: "browser, mobileAppsAndDesktopClients, exchangeActiveSync, other.") var clientApp: String?
    @Option(help: "android, iOS, windows, windowsPhone, macOS, linux, unknown.") var platform: String?
    @Option(help: "The client's IPv4 or IPv6 address.") var ip: String?
    @Option(help: "ISO 3166 two-letter country.") var country: String?
    @Option(help: "none, low, medium, high.") var userRisk: String?
    @Option(help: "none, low, medium, high.") var signInRisk: String?
    @Option(help: "none, minor, moderate, elevated (Insider Risk Management).") var insiderRisk: String?
    @Option(help: "Device flags, comma-separated: compliant, hybridJoined (default: unregistered).") var device: String?
    @Option(name: .customLong("device-property"), help: "A device-filter property, name=value (repeatable).")
    var deviceProperties: [String] = []
    @Option(help: "What the person can satisfy now, comma-separated (default: from registered methods); the device flags add compliantDevice/domainJoinedDevice.")
    var capabilities: String?
    @Option(help: "JSON Lines file of sign-ins (- for stdin).", completion: .file()) var batch: String?
    @Option(help: "text or json.") var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Flag(help: "With --tenant: also ask Microsoft's own What If (Graph) for each sign-in and report every policy where the two disagree (exit 1 when any do).")
    var compareLive = false

    func validate() throws {
        guard (user == nil) != (batch == nil) else { throw ValidationError("Give --user for one sign-in, or --batch FILE.") }
        for property in deviceProperties where !property.contains("=") {
            throw ValidationError("--device-property '\(property)' must be name=value.")
        }
        if compareLive, tenant.live.tenant == nil {
            throw ValidationError("--compare-live asks the live tenant: give it with --tenant ID.")
        }
    }

    /// The sign-in the flags describe.
    var flagRequest: SignInRequest {
        var request = SignInRequest(user: user ?? "")
        request.resource = resource
        request.clientApp = clientApp
        request.platform = platform
        request.ip = ip
        request.country = country
        request.userRisk = userRisk
        request.signInRisk = signInRisk
        request.insiderRisk = insiderRisk
        request.device = device.map(Self.list)
        request.capabilities = capabilities.map(Self.list)
        if !deviceProperties.isEmpty {
            request.deviceProperties = Dictionary(deviceProperties.map { property in
                let parts = property.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { _, last in last })
        }
        return request
    }

    func run() async throws {
        if compareLive { return try await runCompareLive() }
        let context = try tenant.loadContext()
        if let batch { return try runBatch(batch, context: context) }
        let request = flagRequest
        let (signIn, user): (SignInContext, User)
        do {
            (signIn, user) = try request.resolve(in: context.directory)
        } catch let invalid as SignInRequest.Invalid {
            throw UsageError(invalid.description)
        }
        // Group membership from the column index: no group list is walked for the decision.
        let evaluation = PopulationEvaluator(evaluator: context.evaluator).evaluate(signIn)
        switch format {
        case .json: Terminal.write(try WhatIfOutput.json(evaluation, pretty: true))
        case .text: Terminal.write(WhatIfOutput.text(user: user, context: signIn, evaluation: evaluation, evaluator: context.evaluator,
                                                   color: Terminal.supportsColor))
        }
    }

    /// The lines of a `--batch` file (or stdin), numbered from 1, blank ones left out.
    static func batchLines(_ path: String) throws -> [(number: Int, text: String)] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = try InputFile.read(atPath: path, limit: InputFile.batchLimit)
        }
        guard let utf8 = TextEncoding.utf8(data) else { throw OutputError(message: "\(path): not UTF-8 or UTF-16 text") }
        return String(decoding: utf8, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .filter { !$0.text.isEmpty }
    }

    private func runBatch(_ path: String, context: TenantContext) throws {
        let decoder = JSONDecoder()
        let population = PopulationEvaluator(evaluator: context.evaluator)
        for (number, text) in try Self.batchLines(path) {
            do {
                let request = try decoder.decode(SignInRequest.self, from: Data(text.utf8))
                let (signIn, _) = try request.resolve(in: context.directory)
                let evaluation = population.evaluate(signIn)
                Terminal.write(try WhatIfOutput.json(evaluation, pretty: false))
            } catch {
                let message: String
                switch error {
                case let invalid as SignInRequest.Invalid: message = invalid.description
                case is DecodingError: message = "not a sign-in object: \(WhatIfOutput.describe(error))"
                default: message = "\(error)"
                }
                let object: [String: Any] = ["line": number, "error": message]
                let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                Terminal.write(String(decoding: json, as: UTF8.self))
            }
        }
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

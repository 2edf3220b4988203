import ArgumentParser
import Foundation
import Graph

/// The container's HEALTHCHECK: the runtime image has no curl or wget, so the binary probes its own service.
struct HealthcheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Probe a running watch service's /healthz: exit 0 when it answers 2xx, 1 otherwise.",
        discussion: """
            For container health checks (Docker's HEALTHCHECK, Kubernetes exec probes) where the image has no curl. \
            Sends one GET without credentials and prints the status line and body, or why it failed, on one line. \
            Exit codes: 0 healthy (2xx), 1 unhealthy (other status, refused, timed out), 2 usage error.
            Example: breakglass healthcheck --url http://127.0.0.1:8080/healthz --timeout 3
            """
    )

    @Option(help: "The health endpoint.") var url = "http://127.0.0.1:8080/healthz"
    @Option(help: "Seconds to wait for the answer.") var timeout = 5

    func validate() throws {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
              parsed.host?.isEmpty == false else {
            throw ValidationError("--url '\(url)' is not an absolute http(s) URL.")
        }
        guard timeout > 0, timeout <= 300 else { throw ValidationError("--timeout must be between 0 and 300 seconds.") }
    }

    func run() async throws {
        guard let endpoint = URL(string: url) else { throw ValidationError("--url '\(url)' is not a URL.") }
        let transport = AsyncHTTPTransport(maximumBodySize: 64 * 1024)
        let outcome: Result<GraphResponse, any Error>
        do {
            outcome = .success(try await transport.send(GraphRequest(url: endpoint), timeout: .seconds(timeout)))
        } catch {
            outcome = .failure(error)
        }
        try? await transport.shutdown()
        switch outcome {
        case .success(let response):
            let body = String(decoding: response.body.prefix(512), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
            Terminal.write("\(response.status) \(body)")
            if !(200..<300).contains(response.status) { throw ExitCode(1) }
        case .failure(let error):
            Terminal.note("unhealthy: \(url): \(error)")
            throw ExitCode(1)
        }
    }
}

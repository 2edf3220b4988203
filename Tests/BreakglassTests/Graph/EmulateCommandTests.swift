import Foundation
import Graph
import Testing

@Suite("breakglass emulate")
struct EmulateCommandTests {
    @Test("Prints `listening on http://127.0.0.1:PORT` first (--port 0 picks a free port), serves, and stops on SIGTERM")
    func listening() async throws {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["emulate", "--snapshot", Fixture.url("good").path, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let first = try #require(text.split(separator: "\n").first.map(String.init))
        #expect(first.range(of: #"^listening on http://127\.0\.0\.1:\d+$"#, options: .regularExpression) != nil, "\(first)")
        let port = try #require(first.split(separator: ":").last.flatMap { Int($0) })
        #expect(port > 0)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/t/oauth2/v2.0/token"))
        let transport = AsyncHTTPTransport()
        let response = try await transport.send(GraphRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("grant_type=client_credentials&client_id=a&client_secret=b".utf8)), timeout: .seconds(10))
        try await transport.shutdown()
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("access_token"))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit || process.terminationReason == .uncaughtSignal)
    }
}

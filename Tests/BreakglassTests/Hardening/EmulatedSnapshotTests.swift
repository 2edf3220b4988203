import EntraModel
import Foundation
import GraphEmulator
import Posture
import Reports
import Testing

/// A snapshot captured from anything but Microsoft Graph says so in manifest.json, and every report made from it
/// says "emulated" (issue 10, item 15).
@Suite("Emulated snapshots", .serialized)
struct EmulatedSnapshotTests {
    @Test("A capture from the emulator records its endpoint; audits of it say emulated in every format")
    func emulatedCaptureIsLabelled() async throws {
        let out = Fixture.temporaryDirectory().appendingPathComponent("captured")
        let options = EmulatorOptions(clientID: "app", clientSecret: "s3cret")
        let (captured, endpoint) = try await InProcessEmulator.with(try CaptureTests.served(), options: options) { base in
            let result = try await CaptureTests().capture(base, out: out)
            return (result, base.absoluteString)
        }
        #expect(captured.status == 0, "\(captured.stderr)")
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
                as? [String: Any])
        #expect(manifest["graphEndpoint"] as? String == endpoint)
        #expect(manifest["graphEndpointIsMicrosoft"] as? Bool == false)

        let config = CaptureTests.config
        func audit(_ format: String) throws -> String {
            let result = try CLI.run(["audit", "--snapshot", out.path, "--config", config, "--format", format])
            #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
            return result.stdout
        }
        #expect(try audit("text").contains("EMULATED"))
        #expect(try audit("markdown").contains("EMULATED"))
        #expect(try audit("html").contains("EMULATED"))
        #expect(try audit("junit").contains("(emulated)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(audit("json").utf8)) as? [String: Any])
        let tenant = try #require(json["tenant"] as? [String: Any])
        #expect(tenant["emulated"] as? Bool == true)
        #expect(tenant["graphEndpoint"] as? String == endpoint)
        let sarif = try audit("sarif")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        #expect((run["properties"] as? [String: Any])?["emulated"] as? Bool == true)
    }

    @Test("SARIF results of an emulated snapshot say so in their message, where code scanning shows them")
    func sarifMessagesAreLabelled() throws {
        var snapshot = try Fixture.snapshot("bad")
        snapshot.manifest = Manifest(tenantId: nil, cloud: "global", capturedAt: snapshot.capturedAt, capturedBy: "test",
                                     graphEndpoint: "http://127.0.0.1:8080", graphEndpointIsMicrosoft: false)
        let context = TenantContext(snapshot: snapshot, configuration: try Fixture.configuration("bad"), now: Date())
        let report = AuditReport(context: context, findings: Catalogue.run(in: context), version: "test")
        let sarif = ReportRenderer().render(report, format: .sarif)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let results = try #require((document["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        try #require(!results.isEmpty)
        for result in results {
            let text = (result["message"] as? [String: Any])?["text"] as? String ?? ""
            #expect(text.hasPrefix("[emulated data, not Microsoft Graph] "))
        }
    }

    @Test("A snapshot from Microsoft Graph, or without the field, is not labelled", arguments: [true, nil] as [Bool?])
    func microsoftCaptureIsNotLabelled(isMicrosoft: Bool?) throws {
        var snapshot = try Fixture.snapshot("good")
        snapshot.manifest?.graphEndpoint = isMicrosoft == nil ? nil : "https://graph.microsoft.com"
        snapshot.manifest?.graphEndpointIsMicrosoft = isMicrosoft
        let context = TenantContext(snapshot: snapshot, configuration: try Fixture.configuration("good"), now: Date())
        let report = AuditReport(context: context, findings: Catalogue.run(in: context), version: "test")
        #expect(report.tenant.emulated == (isMicrosoft.map { !$0 }))
        for format in ReportFormat.allCases {
            let text = ReportRenderer().render(report, format: format)
            #expect(!text.lowercased().contains("emulated data") && !text.contains("(emulated)"), "\(format)")
        }
    }
}

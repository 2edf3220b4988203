import Foundation
import Testing

@Suite("breakglass whatif")
struct WhatIfCommandTests {
    let good = Fixture.url("good").path

    @Test func jsonFollowsTheSpecShapeAndListsEveryPolicy() throws {
        let result = try CLI.run(["whatif", "--snapshot", good, "--user", "alice@fabrikam.com", "--resource", "exchange-online",
                                  "--capabilities", "", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["user"] as? [String: Any])?["userPrincipalName"] as? String == "alice@fabrikam.com")
        #expect(object["decision"] as? String == "block")
        let policies = try #require(object["policies"] as? [[String: Any]])
        #expect(policies.count == 6)
        let mfa = try #require(policies.first { $0["id"] as? String == "p-all-mfa" })
        #expect(mfa["applies"] as? Bool == true)
        #expect(mfa["satisfied"] as? Bool == false)
        let disabled = try #require(policies.first { $0["id"] as? String == "p-old" })
        #expect(disabled["applies"] as? Bool == false)
    }

    @Test func textReadsLikeWhatIf() throws {
        let result = try CLI.run(["whatif", "--snapshot", good, "--user", "bg-01@fabrikam.onmicrosoft.com"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Decision: GRANT"))
        #expect(result.stdout.contains("Policies that do not apply (6)"))
    }

    @Test func batchAnswersEachLineInOrderAndReportsBadLines() throws {
        let lines = [
            #"{"user": "alice@fabrikam.com", "resource": "azure-portal", "capabilities": ["mfa"]}"#,
            #"{"user": "nobody@fabrikam.com"}"#,
            "not json",
            "",
            #"{"user": "bob@fabrikam.com", "clientApp": "exchangeActiveSync"}"#,
            #"{"user": "bob@fabrikam.com", "platform": "amiga"}"#,
        ]
        let result = try CLI.run(["whatif", "--snapshot", good, "--batch", "-"], stdin: Data(lines.joined(separator: "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(outputs.count == 5)
        #expect(outputs[0]?["decision"] as? String == "grantWithControls")
        #expect(outputs[1]?["line"] as? Int == 2)
        #expect((outputs[1]?["error"] as? String)?.contains("nobody@fabrikam.com") == true)
        #expect(outputs[2]?["line"] as? Int == 3)
        #expect(outputs[3]?["decision"] as? String == "block")
        #expect(outputs[4]?["line"] as? Int == 6)
    }

    @Test func badFlagsAreUsageErrors() throws {
        #expect(try CLI.run(["whatif", "--snapshot", good]).status == 2)
        #expect(try CLI.run(["whatif", "--snapshot", good, "--user", "nobody"]).status == 2)
        #expect(try CLI.run(["whatif", "--snapshot", good, "--user", "bob@fabrikam.com", "--ip", "999.1.1.1"]).status == 2)
        #expect(try CLI.run(["whatif", "--snapshot", good, "--user", "bob@fabrikam.com", "--resource", "nonsense"]).status == 2)
    }
}

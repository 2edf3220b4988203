import Foundation
import PropertyBased
import Testing

@testable import Bench
@testable import EntraModel
@testable import Posture

@Suite("The fast users.json decoder agrees with JSONDecoder")
struct FastUserDecoderTests {
    func reference(_ data: Data) throws -> [User] {
        try JSONDecoder.graph().decode(ListEnvelope<User>.self, from: data).items
    }

    @Test func agreesOnEveryFixtureAndTheDemoAndASyntheticTenant() throws {
        var files: [Data] = []
        for name in ["good", "bad"] {
            files.append(try Data(contentsOf: Fixture.url(name).appendingPathComponent("users.json")))
        }
        files.append(try #require(DemoTenant.files["users.json"]))
        files.append(try #require(SyntheticTenant(users: 500, groups: 20, policies: 10).files()["users.json"]))
        for data in files {
            let fast = try #require(FastUserDecoder.decode(data))
            #expect(fast == (try reference(data)))
        }
    }

    @Test func escapesUnicodeAndOddShapes() throws {
        let json = #"""
        [ {"id":"u\u00e9\"1","displayName":"Zo\u00eb \ud83d\ude00 \\ \/ \n","userPrincipalName":"z@t","accountEnabled":false,
           "assignedLicenses":[{"skuId":"s1","disabledPlans":["p1","p2"]},{"skuId":null}],"extra":{"a":[1,2.5e3,-0.1,true,null,{"b":"c"}]},
           "signInActivity":{"lastSignInDateTime":"2026-01-02T03:04:05.1234567Z","lastSuccessfulSignInDateTime":null}} ]
        """#
        let data = Data(json.utf8)
        let fast = try #require(FastUserDecoder.decode(data))
        #expect(fast == (try reference(data)))
        #expect(fast.first?.displayName == "Zoë 😀 \\ / \n")
    }

    @Test("Anything unexpected is left to JSONDecoder", arguments: [
        #"{"value":[{"id":"u1","accountEnabled":"yes"}]}"#,
        #"{"value":[{"displayName":"no id"}]}"#,
        #"{"value":[{"id":"u1","createdDateTime":"yesterday"}]}"#,
        #"{"id":"single object"}"#,
        #"{"value":[{"id":"u1"}]} trailing"#,
        #"{"value":[{"id":"u1",}]}"#,
        #"{"value":[{"id":"u1\u12"}]}"#,
    ])
    func fallsBack(json: String) {
        #expect(FastUserDecoder.decode(Data(json.utf8)) == nil)
    }

    @Test func randomUsersRoundTrip() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000)) { seed in
            let data = SyntheticTenant(users: 12, groups: 4, policies: 1, seed: UInt64(seed)).files()["users.json"] ?? Data()
            let fast = FastUserDecoder.decode(data)
            #expect(fast != nil)
            #expect(fast == (try? reference(data)))
        }
    }
}

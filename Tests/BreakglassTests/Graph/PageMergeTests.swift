import Foundation
import EntraModel
import Graph
import Testing

@Suite("Graph pages merged by bytes")
struct PageMergeTests {
    @Test("The value array and next link are found whatever their order, strings holding brackets and escapes",
          arguments: [
              #"{"@odata.context":"x","@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=a","value":[{"id":"1","n":"a]}\"{["},{"id":"2","v":[1,{"x":null}],"b":true}]}"#,
              #"{ "value" : [ {"id":"1","n":"a]}\"{["} , {"id":"2","v":[1,{"x":null}],"b":true} ] , "@odata.nextLink" : "https:\/\/graph.microsoft.com\/v1.0\/users?$skiptoken=a" }"#,
          ])
    func scan(page: String) throws {
        let scanned = try #require(JSONListScanner.scan(Data(page.utf8), itemRanges: true))
        #expect(scanned.count == 2)
        #expect(scanned.itemRanges.map { String(decoding: Data(page.utf8).subdata(in: $0), as: UTF8.self).prefix(10) }
                == [#"{"id":"1","#, #"{"id":"2","#])
        #expect(scanned.nextLink == "https://graph.microsoft.com/v1.0/users?$skiptoken=a")
        let items = Data(page.utf8).subdata(in: scanned.items)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data("[".utf8) + items + Data("]".utf8)) as? [[String: Any]])
        #expect(parsed.map { $0["id"] as? String } == ["1", "2"])
        #expect(parsed.first?["n"] as? String == "a]}\"{[")
    }

    @Test("Azure Resource Manager's nextLink is followed like Graph's, and null ends the list")
    func armNextLink() throws {
        let page = #"{"value":[{"id":"r1"}],"nextLink":"https://management.azure.com/subscriptions/s/providers/Microsoft.Insights/scheduledQueryRules?api-version=2023-12-01&$skiptoken=2"}"#
        let scanned = try #require(JSONListScanner.scan(Data(page.utf8)))
        #expect(scanned.count == 1)
        #expect(scanned.nextLink?.hasSuffix("$skiptoken=2") == true)
        let last = try #require(JSONListScanner.scan(Data(#"{"nextLink":null,"value":[{"id":"r2"}]}"#.utf8)))
        #expect(last.count == 1 && last.nextLink == nil)
    }

    @Test("Empty pages, and pages it cannot read, fall back safely")
    func edges() throws {
        #expect(JSONListScanner.scan(Data(#"{"value":[]}"#.utf8))?.count == 0)
        #expect(JSONListScanner.scan(Data(#"{"value":[1,2,3]}"#.utf8))?.count == 3)
        #expect(JSONListScanner.scan(Data(#"{"error":{"code":"x"}}"#.utf8)) == nil)
        #expect(JSONListScanner.scan(Data(#"[1,2]"#.utf8)) == nil)
        #expect(JSONListScanner.scan(Data(#"{"value":[{"id":"1"}"#.utf8)) == nil)
    }

    @Test("Merged pages are one valid value list, empty pages included")
    func merge() async throws {
        let transport = ScriptedTransport([
            json(200, #"{"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/groups?$skiptoken=1"}"#),
            json(200, #"{"value":[{"id":"a"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/groups?$skiptoken=2"}"#),
            json(200, #"{"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/groups?$skiptoken=3"}"#),
            json(200, #"{"@odata.nextLink":null,"value":[{"id":"b"},{"id":"c"}]}"#),
        ])
        let data = try await GraphClient.testing(transport).list("/groups")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["value"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["a", "b", "c"])
    }
}

import Foundation
import Graph
import Testing

@Suite("Graph clouds and URLs")
struct GraphEndpointsTests {
    @Test("Each cloud has its own sign-in and Graph hosts", arguments: [
        (GraphCloud.global, "https://login.microsoftonline.com/t/oauth2/v2.0/token", "https://graph.microsoft.com/v1.0/users"),
        (.usgov, "https://login.microsoftonline.us/t/oauth2/v2.0/token", "https://graph.microsoft.us/v1.0/users"),
        (.dod, "https://login.microsoftonline.us/t/oauth2/v2.0/token", "https://dod-graph.microsoft.us/v1.0/users"),
        (.china, "https://login.chinacloudapi.cn/t/oauth2/v2.0/token", "https://microsoftgraph.chinacloudapi.cn/v1.0/users"),
    ])
    func hosts(cloud: GraphCloud, token: String, users: String) {
        let endpoints = GraphEndpoints(cloud: cloud)
        #expect(endpoints.tokenURL(tenant: "t").absoluteString == token)
        #expect(endpoints.url("/users")?.absoluteString == users)
        #expect(endpoints.scope == "https://\(cloud.graphHost)/.default")
    }

    @Test("ARM hosts per cloud; ARM paths carry no Graph version")
    func arm() {
        #expect(GraphCloud.allCases.map(\.armHost)
                == ["management.azure.com", "management.usgovcloudapi.net", "management.usgovcloudapi.net", "management.chinacloudapi.cn"])
        let arm = GraphEndpoints(cloud: .china, graph: URL(string: "https://\(GraphCloud.china.armHost)"))
        #expect(arm.url("/providers/microsoft.aadiam/diagnosticSettings", version: "",
                        query: [URLQueryItem(name: "api-version", value: "2017-04-01-preview")])?.absoluteString
                == "https://management.chinacloudapi.cn/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01-preview")
        #expect(arm.scope == "https://management.chinacloudapi.cn/.default")
    }

    @Test("Configuration names map to clouds")
    func names() {
        #expect(GraphCloud(name: "usgovhigh") == .usgov)
        #expect(GraphCloud(name: "DoD") == .dod)
        #expect(GraphCloud(name: "mars") == nil)
    }

    @Test("--graph-endpoint and --authority override the cloud's hosts")
    func overrides() {
        let endpoints = GraphEndpoints(cloud: .usgov, graph: URL(string: "http://127.0.0.1:9000/"),
                                       authority: URL(string: "http://127.0.0.1:9001"))
        #expect(endpoints.url("/groups", version: "beta")?.absoluteString == "http://127.0.0.1:9000/beta/groups")
        #expect(endpoints.deviceCodeURL(tenant: "c.onmicrosoft.com").absoluteString
                == "http://127.0.0.1:9001/c.onmicrosoft.com/oauth2/v2.0/devicecode")
        #expect(endpoints.scope == "http://127.0.0.1:9000/.default")
    }

    @Test("$select and $filter are encoded; + is not a space")
    func query() throws {
        let url = try #require(GraphEndpoints().url("/auditLogs/signIns", query: [
            URLQueryItem(name: "$filter", value: "userId eq 'a+b'"), URLQueryItem(name: "$select", value: "id,displayName"),
        ]))
        #expect(url.absoluteString.contains("$filter=userId%20eq%20'a%2Bb'"))
        #expect(url.absoluteString.contains("$select=id,displayName"))
    }
}

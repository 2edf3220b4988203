import Foundation
import Testing

@testable import EntraModel

@Suite("The snapshot reader is lenient where Graph varies and strict where data is wrong")
struct SnapshotReaderTests {
    static let minimal: [String: String] = [
        "organization.json": #"{"value":[{"id":"t1","displayName":"T","verifiedDomains":[{"name":"t.onmicrosoft.com","isInitial":true}]}]}"#,
        "domains.json": #"{"value":[]}"#,
        "users.json": #"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"u1","userPrincipalName":"A@T.onmicrosoft.com","accountEnabled":true,"@odata.etag":"W/1","futureProperty":{"x":1}}]}"#,
        "groups.json": #"{"value":[]}"#,
        "role-definitions.json": #"{"value":[]}"#,
        "role-assignments.json": #"{"value":[]}"#,
        "conditional-access-policies.json": #"{"value":[]}"#,
    ]

    func read(_ overrides: [String: Data]) throws -> Snapshot {
        var files = Self.minimal.mapValues { Data($0.utf8) }
        files.merge(overrides) { _, new in new }
        return try SnapshotReader().read(from: MemorySource(files))
    }

    @Test func annotationsAndUnknownPropertiesAreIgnored() throws {
        let snapshot = try read([:])
        #expect(snapshot.users.count == 1)
        #expect(Directory(snapshot).user(idOrUPN: "a@t.ONMICROSOFT.com")?.id == "u1")
    }

    @Test("UTF-8 with BOM, UTF-16 LE and BE with BOM (Windows PowerShell) decode alike",
          arguments: ["utf8bom", "utf16le", "utf16be", "utf16le-nobom"])
    func encodings(encoding: String) throws {
        let json = #"{"value":[{"id":"u1","displayName":"Zoë Ünal","userPrincipalName":"z@t.onmicrosoft.com"}]}"#
        let data: Data
        switch encoding {
        case "utf8bom": data = Data([0xEF, 0xBB, 0xBF]) + Data(json.utf8)
        case "utf16le": data = Data([0xFF, 0xFE]) + (json.data(using: .utf16LittleEndian) ?? Data())
        case "utf16be": data = Data([0xFE, 0xFF]) + (json.data(using: .utf16BigEndian) ?? Data())
        default: data = json.data(using: .utf16LittleEndian) ?? Data()
        }
        let snapshot = try read(["users.json": data])
        #expect(snapshot.users.first?.displayName == "Zoë Ünal")
    }

    @Test("A bare array or a single object is accepted where a list is expected")
    func listShapes() throws {
        let bare = try read(["users.json": Data(#"[{"id":"u1"},{"id":"u2"}]"#.utf8)])
        #expect(bare.users.map(\.id) == ["u1", "u2"])
        let single = try read(["users.json": Data(#"{"id":"u9","userPrincipalName":"x@t"}"#.utf8)])
        #expect(single.users.map(\.id) == ["u9"])
        let organization = try read(["organization.json": Data(#"{"id":"t2"}"#.utf8)])
        #expect(organization.organization.id == "t2")
    }

    @Test func unknownEnumValuesAndConditionsAreKept() throws {
        let policy = #"""
        {"value":[{"id":"p1","displayName":"Agents","state":"enabledForSomethingNew",
          "conditions":{"users":{"includeUsers":"All"},"applications":{"includeApplications":["All"]},
            "clientAppTypes":["all"],"agentIdRiskLevels":"high","insiderRiskLevels":null,"agents":{"includeAgents":["x"]},
            "authenticationFlows":{"transferMethods":"deviceCodeFlow"},"servicePrincipalRiskLevels":[]},
          "grantControls":{"operator":"OR","builtInControls":["mfa","riskRemediation","unknownFutureValue"]}}]}
        """#
        let snapshot = try read(["conditional-access-policies.json": Data(policy.utf8)])
        let parsed = try #require(snapshot.policies.first)
        #expect(parsed.state == "enabledForSomethingNew")
        #expect(parsed.conditions.users.includeUsers == ["All"])
        #expect(parsed.conditions.unmodeled == ["agentIdRiskLevels", "agents", "authenticationFlows"])
        #expect(parsed.grantControls?.builtInControls.contains("unknownFutureValue") == true)
        #expect(!parsed.isEnabled && !parsed.isReportOnly)
    }

    @Test func graphDatesWithSevenFractionalDigitsAndOffsets() throws {
        let a = try #require(GraphDate.parse("2026-03-01T08:15:00.1234567Z"))
        let b = try #require(GraphDate.parse("2026-03-01T09:15:00+01:00"))
        #expect(abs(a.timeIntervalSince(b) - 0.1234567) < 0.000_01)
        #expect(GraphDate.parse("2026-13-01T00:00:00Z") == nil)
        #expect(GraphDate.parse("yesterday") == nil)
    }

    @Test("A malformed file names the file and the JSON path")
    func malformedIsNamed() {
        let users = #"{"value":[{"id":"u1"},{"id":"u2","accountEnabled":"yes"}]}"#
        #expect(throws: SnapshotError.malformed(file: "users.json", jsonPath: "value[1].accountEnabled", reason: "expected a boolean")) {
            try read(["users.json": Data(users.utf8)])
        }
        #expect(throws: SnapshotError.malformed(file: "users.json", jsonPath: "value[0].id", reason: "required property is missing")) {
            try read(["users.json": Data(#"{"value":[{"displayName":"x"}]}"#.utf8)])
        }
        #expect(throws: SnapshotError.malformed(file: "sign-ins.json", jsonPath: "value[0].createdDateTime", reason: "expected an ISO 8601 date-time, found \"last tuesday\"")) {
            try read(["sign-ins.json": Data(#"{"value":[{"createdDateTime":"last tuesday"}]}"#.utf8)])
        }
    }

    /// users.json and the member files decode at once, the member files in chunks: every file still lands under its
    /// own group, and of several malformed files the error names the first in reading order (users.json, then the
    /// member files by name, then groups.json), as a serial read would.
    @Test func concurrentDecodeKeepsEveryFileAndTheFirstError() throws {
        var files: [String: Data] = [:]
        for index in 0..<40 {
            files["group-members/g\(String(format: "%02d", index)).json"] = Data(##"{"value":[{"id":"u1","@odata.type":"#microsoft.graph.user"}]}"##.utf8)
        }
        let snapshot = try read(files)
        #expect(snapshot.groupMembers.count == 40)
        #expect(snapshot.groupMembers["g07"]?.map(\.id) == ["u1"])

        files["group-members/g31.json"] = Data(#"{"value":[{"id":7}]}"#.utf8)
        files["group-members/g23.json"] = Data(#"{"value":[{"id":7}]}"#.utf8)
        // groups.json decodes in a job of its own, but its error comes after the member files', as it always did.
        files["groups.json"] = Data(#"{"value":[{"id":"g1","securityEnabled":"yes"}]}"#.utf8)
        #expect(throws: SnapshotError.malformed(file: "group-members/g23.json", jsonPath: "value[0].id", reason: "expected a string")) {
            try read(files)
        }
        files["users.json"] = Data(#"{"value":[{"id":"u1","accountEnabled":"yes"}]}"#.utf8)
        #expect(throws: SnapshotError.malformed(file: "users.json", jsonPath: "value[0].accountEnabled", reason: "expected a boolean")) {
            try read(files)
        }
    }

    @Test func invalidJSONAndMissingRequiredFiles() throws {
        do {
            _ = try read(["groups.json": Data("{\"value\": [".utf8)])
            Issue.record("expected an error")
        } catch let error as SnapshotError {
            guard case .malformed(let file, let path, let reason) = error else { throw error }
            #expect(file == "groups.json" && path == "$" && reason.hasPrefix("not valid JSON"))
        }
        var files = Self.minimal.mapValues { Data($0.utf8) }
        files["users.json"] = nil
        #expect(throws: SnapshotError.missingRequiredFile("users.json")) {
            try SnapshotReader().read(from: MemorySource(files))
        }
    }

    @Test func missingOptionalFilesAreRecordedNotErrors() throws {
        let snapshot = try read([:])
        #expect(snapshot.signIns == nil)
        #expect(snapshot.whyUnavailable(.signIns)?.status == "missing")
        #expect(snapshot.whyUnavailable(.signIns)?.description.contains("Entra ID P1") == true)
    }
}

@Suite("The directory index")
struct DirectoryTests {
    func snapshot(members: [String: [(String, String)]], assignments: String = "[]", instances: String? = nil,
                  eligible: String? = nil) throws -> Snapshot {
        var files = SnapshotReaderTests.minimal.mapValues { Data($0.utf8) }
        files["users.json"] = Data(#"{"value":[{"id":"u1","userPrincipalName":"one@t"},{"id":"u2","userPrincipalName":"two@t"}]}"#.utf8)
        let groups = Set(members.keys).union(members.values.flatMap { $0.filter { $0.0 == "group" }.map(\.1) })
        files["groups.json"] = Data(("{\"value\":[" + groups.sorted().map { "{\"id\":\"\($0)\",\"displayName\":\"\($0)\"}" }.joined(separator: ",") + "]}").utf8)
        for (group, list) in members {
            let entries = list.map { "{\"@odata.type\":\"#microsoft.graph.\($0.0)\",\"id\":\"\($0.1)\"}" }
            files["group-members/\(group).json"] = Data(("{\"value\":[" + entries.joined(separator: ",") + "]}").utf8)
        }
        files["role-definitions.json"] = Data(#"{"value":[{"id":"62e90394-69f5-4237-9190-012177145e10","displayName":"Global Administrator","templateId":"62e90394-69f5-4237-9190-012177145e10"}]}"#.utf8)
        files["role-assignments.json"] = Data("{\"value\":\(assignments)}".utf8)
        if let instances { files["role-assignment-schedule-instances.json"] = Data("{\"value\":\(instances)}".utf8) }
        if let eligible { files["role-eligibility-schedules.json"] = Data("{\"value\":\(eligible)}".utf8) }
        return try SnapshotReader().read(from: MemorySource(files))
    }

    @Test func transitiveMembershipIsSafeOnCycles() throws {
        let directory = Directory(try snapshot(members: [
            "g1": [("user", "u1"), ("group", "g2")], "g2": [("group", "g3")], "g3": [("group", "g1"), ("user", "u2")],
        ]))
        #expect(directory.transitiveGroups(of: "u1") == ["g1", "g2", "g3"])
        #expect(directory.transitiveGroups(of: "U2") == ["g1", "g2", "g3"])
        #expect(directory.transitiveUsers(ofGroup: "g2").users == ["u1", "u2"])
    }

    @Test func activeHoldersAreKeptApartFromEligible() throws {
        let ga = "62e90394-69f5-4237-9190-012177145e10"
        let now = try #require(GraphDate.parse("2026-11-01T00:00:00Z"))
        let directory = Directory(try snapshot(
            members: ["admins": [("user", "u2")]],
            assignments: #"[{"id":"a","principalId":"u1","roleDefinitionId":"\#(ga)","directoryScopeId":"/"}]"#,
            instances: #"""
            [{"id":"i1","principalId":"u1","roleDefinitionId":"\#(ga)","directoryScopeId":"/","assignmentType":"Assigned","endDateTime":null},
             {"id":"i2","principalId":"admins","roleDefinitionId":"\#(ga)","directoryScopeId":"/","assignmentType":"Activated","startDateTime":"2026-10-31T23:00:00Z","endDateTime":"2026-11-01T07:00:00Z"}]
            """#,
            eligible: #"[{"id":"e1","principalId":"u2","roleDefinitionId":"\#(ga)","directoryScopeId":"/"}]"#))
        #expect(directory.activeHolders(ofRole: ga, at: now).map(\.id) == ["u1", "u2"])
        let later = now.addingTimeInterval(8 * 3600)
        #expect(directory.activeHolders(ofRole: ga, at: later).map(\.id) == ["u1"])
        let holding = try #require(directory.activeRoles(of: "u2", at: now).first)
        #expect(holding.kind == .activated && holding.path == .group("admins"))
        #expect(directory.eligibleRoles(of: "u2", at: later)?.count == 1)
        #expect(directory.activeRoles(of: "u2", at: later).isEmpty)
    }
}

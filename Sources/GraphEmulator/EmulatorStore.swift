import EntraModel
import Foundation
import SafeInput

/// A snapshot folder held as Graph would return it: lists of JSON objects, by file.
/// Immutable after loading, so shared freely between requests.
final class EmulatorStore: @unchecked Sendable {
    /// Top-level lists by file name (`users.json`), and folder lists by `group-members/{id}` (lower-cased).
    let lists: [String: [[String: Any]]]
    /// Single objects (`security-defaults.json`).
    let objects: [String: [String: Any]]
    /// manifest.json's statuses: files the tenant "cannot" serve.
    let statuses: [String: String]
    /// Each list item's JSON, encoded once, and the keys a list's items use: pages whose `$select` keeps every key
    /// are served by joining these bytes.
    let encoded: [String: [Data]]
    let keys: [String: Set<String>]

    init(folder: URL) throws {
        let manager = FileManager.default
        var lists: [String: [[String: Any]]] = [:]
        var objects: [String: [String: Any]] = [:]
        var encoded: [String: [Data]] = [:]
        func parse(_ url: URL, name: String) throws -> Any {
            let data: Data
            do throws(InputFileError) {
                data = try InputFile.read(atPath: url.path, limit: InputFile.snapshotFileLimit)
            } catch {
                throw SnapshotError.unreadable(file: name, reason: error.reason)
            }
            guard let utf8 = TextEncoding.utf8(data) else {
                throw SnapshotError.unreadable(file: name, reason: "not UTF-8 or UTF-16 text")
            }
            guard JSONNesting.isWithin(utf8) else {
                throw SnapshotError.malformed(
                    file: name, jsonPath: "$", reason: "nested more than \(JSONValue.maximumDepth) levels deep")
            }
            let json: Any
            do {
                json = try JSONSerialization.jsonObject(with: utf8)
            } catch {
                throw SnapshotError.unreadable(file: name, reason: "not JSON")
            }
            // Keep each item's bytes as the file has them, to serve without re-encoding.
            if let page = JSONListScanner.scan(utf8, itemRanges: true) {
                let base = utf8.startIndex
                encoded[name] = page.itemRanges.map { utf8.subdata(in: (base + $0.lowerBound)..<(base + $0.upperBound)) }
            }
            return json
        }
        func store(_ json: Any, as name: String) {
            if let array = json as? [[String: Any]] {
                lists[name] = array
            } else if let object = json as? [String: Any] {
                if let value = object["value"] as? [[String: Any]] {
                    lists[name] = value
                } else {
                    objects[name] = object
                    lists[name] = [object]
                }
            }
        }
        for file in SnapshotFile.allCases where file != .manifest {
            let url = folder.appendingPathComponent(file.rawValue)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                for name in try manager.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".json") {
                    let key = "\(file.rawValue)/\(name.dropLast(5).lowercased())"
                    store(try parse(url.appendingPathComponent(name), name: key), as: key)
                }
            } else {
                store(try parse(url, name: file.rawValue), as: file.rawValue)
            }
        }
        var statuses: [String: String] = [:]
        let manifestURL = folder.appendingPathComponent(SnapshotFile.manifest.rawValue)
        if manager.fileExists(atPath: manifestURL.path),
           let manifest = try parse(manifestURL, name: SnapshotFile.manifest.rawValue) as? [String: Any],
           let files = manifest["files"] as? [String: Any] {
            for (name, entry) in files {
                if let status = (entry as? [String: Any])?["status"] as? String { statuses[name] = status }
            }
        }
        guard lists[SnapshotFile.organization.rawValue] != nil else {
            throw SnapshotError.missingRequiredFile(SnapshotFile.organization.rawValue)
        }
        var keys: [String: Set<String>] = [:]
        for (name, items) in lists {
            if encoded[name]?.count != items.count {
                encoded[name] = items.map {
                    (try? JSONSerialization.data(withJSONObject: $0, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
                }
            }
            keys[name] = items.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        }
        self.lists = lists
        self.objects = objects
        self.statuses = statuses
        self.encoded = encoded
        self.keys = keys
    }

    var tenantID: String {
        (lists[SnapshotFile.organization.rawValue]?.first?["id"] as? String) ?? "00000000-0000-0000-0000-000000000000"
    }
}

import Foundation

/// Reads a `group-members/{id}.json` file (`id` and `@odata.type` of each member) without `Codable`: a harsh
/// tenant has 20,000 such files. Like `FastUserDecoder`, anything it does not expect returns nil and the caller
/// decodes with `JSONDecoder`, which either succeeds or names the file and JSON path of the problem.
enum FastReferenceDecoder {
    /// The member types Graph sends, shared rather than allocated once per member.
    private static let knownTypes: [(bytes: StaticString, text: String)] = [
        ("#microsoft.graph.user", "#microsoft.graph.user"), ("#microsoft.graph.group", "#microsoft.graph.group"),
        ("#microsoft.graph.device", "#microsoft.graph.device"),
        ("#microsoft.graph.servicePrincipal", "#microsoft.graph.servicePrincipal"),
    ]

    static func decode(_ data: Data) -> [DirectoryObjectReference]? {
        data.withUnsafeBytes { raw -> [DirectoryObjectReference]? in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return nil }
            var json = FastJSON(base: base, count: raw.count)
            var members: [DirectoryObjectReference] = []
            let element: (inout FastJSON) -> Bool = { json in
                guard let member = Self.member(&json) else { return false }
                members.append(member)
                return true
            }
            return json.graphList(element) ? members : nil
        }
    }

    private static func member(_ json: inout FastJSON) -> DirectoryObjectReference? {
        var id: String?
        var type: String?
        let ok = json.object { json, key in
            if json.equals(key, "id") {
                id = json.string()
                return id != nil
            }
            if json.equals(key, "@odata.type") {
                if json.consumeNull() {
                    type = nil
                    return true
                }
                let start = json.index
                if let range = json.rawKey(), let known = knownTypes.first(where: { json.equals(range, $0.bytes) }) {
                    type = known.text
                    return true
                }
                json.index = start
                type = json.string()
                return type != nil
            }
            return json.skipValue()
        }
        guard ok, let id else { return nil }
        return DirectoryObjectReference(id: id, odataType: type)
    }
}

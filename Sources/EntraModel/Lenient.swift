import Foundation

extension KeyedDecodingContainer {
    /// A list that Graph (or a PowerShell export of it) may give as null, a single value or an array.
    func lenientList<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> [T] {
        guard contains(key), try !decodeNil(forKey: key) else { return [] }
        if let list = try? decode([T].self, forKey: key) { return list }
        do {
            return [try decode(T.self, forKey: key)]
        } catch {
            // Report the failure as the list it should have been.
            return try decode([T].self, forKey: key)
        }
    }

    func optional<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try decodeIfPresent(T.self, forKey: key)
    }
}

/// A Graph list response: `{"value": [...]}`, a bare array, or a single object.
struct ListEnvelope<Element: Decodable>: Decodable {
    var items: [Element]

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyCodingKey.self) {
            if object.contains(AnyCodingKey("value")) {
                items = try object.lenientList(Element.self, forKey: AnyCodingKey("value"))
            } else {
                items = [try Element(from: decoder)]
            }
        } else {
            items = try decoder.singleValueContainer().decode([Element].self)
        }
    }
}

/// A Graph single-object response, also accepted inside a one-element `value` list.
struct ObjectEnvelope<Element: Decodable>: Decodable {
    var item: Element

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyCodingKey.self), object.contains(AnyCodingKey("value")) {
            let items = try object.lenientList(Element.self, forKey: AnyCodingKey("value"))
            guard let first = items.first else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [AnyCodingKey("value")], debugDescription: "expected one object, found none"))
            }
            item = first
        } else if var array = try? decoder.unkeyedContainer() {
            item = try array.decode(Element.self)
        } else {
            item = try Element(from: decoder)
        }
    }
}

import EntraModel
import Foundation

/// A scripted timeline for the emulator: records that appear in Graph's logs over time (a sign-in, an audit, with
/// the delay Graph's logs really have) and changes to users (a password changed). Times are seconds after the
/// emulator starts, on the emulator's clock (`EmulatorOptions.now`).
///
/// ```json
/// {"events": [
///   {"at": 0,  "add": "sign-ins.json", "item": {"id": "s1", "userId": "…", "status": {"errorCode": 0}}, "lag": 120},
///   {"at": 60, "add": "directory-audits.json", "item": {"id": "a1", "activityDisplayName": "Reset user password", …}},
///   {"at": 60, "update": "users.json", "id": "…", "set": {"lastPasswordChangeDateTime": "$now"}}
/// ]}
/// ```
/// An added record without its time (`createdDateTime`, `activityDateTime`) gets the time it appears minus `lag`
/// seconds; `"$now"` in `set` is the time the change appears.
public struct EmulatorTimeline: @unchecked Sendable {
    public enum Change {
        case add(file: String, item: [String: Any])
        case update(file: String, id: String, set: [String: Any])
    }

    public struct Entry: @unchecked Sendable {
        public var at: TimeInterval
        public var lag: TimeInterval
        public var change: Change

        public init(at: TimeInterval, lag: TimeInterval = 0, change: Change) {
            self.at = at
            self.lag = lag
            self.change = change
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries.sorted { $0.at < $1.at } }

    public init(json data: Data) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let events = root["events"] as? [[String: Any]] else {
            throw EmulatorError.badTimeline("expected {\"events\": [...]}")
        }
        var entries: [Entry] = []
        for (index, event) in events.enumerated() {
            guard let at = (event["at"] as? NSNumber)?.doubleValue, at >= 0 else {
                throw EmulatorError.badTimeline("events[\(index)].at: seconds after the start, 0 or more")
            }
            let lag = (event["lag"] as? NSNumber)?.doubleValue ?? 0
            if let file = event["add"] as? String {
                guard let item = event["item"] as? [String: Any] else {
                    throw EmulatorError.badTimeline("events[\(index)]: add needs an item object")
                }
                entries.append(Entry(at: at, lag: lag, change: .add(file: file, item: item)))
            } else if let file = event["update"] as? String {
                guard let id = event["id"] as? String, let set = event["set"] as? [String: Any] else {
                    throw EmulatorError.badTimeline("events[\(index)]: update needs an id and a set object")
                }
                entries.append(Entry(at: at, lag: lag, change: .update(file: file, id: id, set: set)))
            } else {
                throw EmulatorError.badTimeline("events[\(index)]: give add or update")
            }
        }
        self.init(entries: entries)
    }

    static let timeFields = ["sign-ins.json": "createdDateTime", "directory-audits.json": "activityDateTime"]

    /// Whether any entry touches `file`.
    func touches(_ file: String) -> Bool {
        entries.contains { entry in
            switch entry.change {
            case .add(let name, _), .update(let name, _, _): name == file
            }
        }
    }

    /// `base` as it stands `elapsed` seconds after `start`: added records appended (newest last), updates applied.
    func apply(to base: [[String: Any]], file: String, start: Date, elapsed: TimeInterval) -> [[String: Any]] {
        var items = base
        for entry in entries where entry.at <= elapsed {
            let appeared = start.addingTimeInterval(entry.at)
            switch entry.change {
            case .add(let name, var item) where name == file:
                if let field = Self.timeFields[file], item[field] == nil {
                    item[field] = GraphDate.format(appeared.addingTimeInterval(-entry.lag))
                }
                items.append(item)
            case .update(let name, let id, let set) where name == file:
                for index in items.indices where (items[index]["id"] as? String)?.lowercased() == id.lowercased() {
                    for (key, value) in set {
                        items[index][key] = (value as? String) == "$now" ? GraphDate.format(appeared) : value
                    }
                }
            default:
                continue
            }
        }
        return items
    }
}

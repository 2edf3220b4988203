import Foundation

/// What an apply did so far, kept beside the plan (`PLAN.journal`) and rewritten atomically after every change, so a
/// run that stopped anywhere resumes where it stopped. It holds object ids and share set ids, never a secret.
public struct Journal: Codable, Sendable {
    public static let format = "breakglass journal v1"

    public enum Status: String, Codable, Sendable {
        /// The request may have been sent: on resume, look at the tenant before sending it again.
        case started
        case done
        /// Already as planned when the step came: nothing sent.
        case skipped
    }

    public struct Entry: Codable, Sendable {
        public var step: String
        public var status: Status
        public var at: String
        /// Ids the step created or found: `{{user:UPN}}`, `{{group}}`.
        public var outputs: [String: String]
        /// The share set made for this step's password (written before the password was sent).
        public var shareSet: String?
        /// For a password change: `lastPasswordChangeDateTime` before the request, to tell afterwards whether it ran.
        public var passwordChangedBefore: String?
        public var message: String?
    }

    public var format: String
    public var planHash: String
    public var entries: [Entry]

    public static func path(forPlanAt planPath: String) -> String { planPath + ".journal" }

    /// The journal at `path`, or a new one for `planHash`; refuses a journal of another plan.
    public static func open(atPath path: String, planHash: String) throws -> Journal {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Journal(format: format, planHash: planHash, entries: [])
        }
        guard let journal = try? JSONDecoder().decode(Journal.self, from: data), journal.format == format else {
            throw ProvisionError.unreadable(path: path, reason: "not a breakglass journal")
        }
        guard journal.planHash == planHash else { throw ProvisionError.journalMismatch(path: path) }
        return journal
    }

    public func entry(_ step: String) -> Entry? { entries.last { $0.step == step } }

    public var outputs: [String: String] {
        entries.reduce(into: [:]) { result, entry in result.merge(entry.outputs) { _, new in new } }
    }

    mutating func record(_ entry: Entry) {
        entries.removeAll { $0.step == entry.step }
        entries.append(entry)
    }

    /// Drops a step's entry: the step runs again on the next apply (its effect was undone).
    mutating func forget(_ step: String) {
        entries.removeAll { $0.step == step }
    }

    func write(toPath path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ProvisionError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}

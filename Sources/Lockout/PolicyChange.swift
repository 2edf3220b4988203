import EntraModel
import Foundation
import SafeInput

public enum PolicyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformed(file: String, jsonPath: String, reason: String)
    case empty(String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .malformed(let file, let path, let reason): "\(file): \(path): \(reason)"
        case .empty(let path): "\(path) holds no policy JSON files"
        }
    }
}

/// Policies as they will be deployed: Graph-shaped JSON, one per file or a `value` list, UTF-8 or UTF-16.
public enum PolicyChange {
    /// Reads files and folders (every `*.json` inside, sorted) into policies, each with the file it came from.
    public static func load(_ paths: [String]) throws -> [(policy: ConditionalAccessPolicy, file: String)] {
        var loaded: [(ConditionalAccessPolicy, String)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw PolicyFileError.unreadable(file: path, reason: "no such file or folder")
            }
            let files: [String]
            if isDirectory.boolValue {
                files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                    .filter { $0.lowercased().hasSuffix(".json") }.sorted().map { "\(path)/\($0)" }
                guard !files.isEmpty else { throw PolicyFileError.empty(path) }
            } else {
                files = [path]
            }
            for file in files {
                let data: Data
                do throws(InputFileError) {
                    data = try InputFile.read(atPath: file, limit: InputFile.policyFileLimit)
                } catch {
                    throw PolicyFileError.unreadable(file: file, reason: error.reason)
                }
                do {
                    for policy in try decode(data) { loaded.append((policy, file)) }
                } catch let error as SnapshotError {
                    if case .malformed(_, let path, let reason) = error {
                        throw PolicyFileError.malformed(file: file, jsonPath: path, reason: reason)
                    }
                    throw PolicyFileError.unreadable(file: file, reason: error.description)
                }
            }
        }
        return loaded
    }

    static func decode(_ data: Data) throws -> [ConditionalAccessPolicy] {
        try SnapshotReader().policies(from: data, file: "policy")
    }

    /// The tenant's policies after the change: a policy with the id of an existing one replaces it, others are added.
    public static func apply(_ changes: [ConditionalAccessPolicy], to policies: [ConditionalAccessPolicy]) -> [ConditionalAccessPolicy] {
        var result = policies
        for change in changes {
            if let index = result.firstIndex(where: { $0.id.lowercased() == change.id.lowercased() }) {
                result[index] = change
            } else {
                result.append(change)
            }
        }
        return result
    }
}

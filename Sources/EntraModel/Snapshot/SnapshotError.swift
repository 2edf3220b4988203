import Foundation

public enum SnapshotError: Error, Equatable, Sendable {
    case notAFolder(String)
    case missingRequiredFile(String)
    case requiredFileUnavailable(file: String, status: String, message: String?)
    case unreadable(file: String, reason: String)
    case malformed(file: String, jsonPath: String, reason: String)
    case destinationNotEmpty(String)
}

extension SnapshotError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path) is not a snapshot folder"
        case .missingRequiredFile(let file): "\(file) is required but not in the snapshot"
        case .requiredFileUnavailable(let file, let status, let message):
            "\(file) is required but was not captured (\(status)\(message.map { ": \($0)" } ?? ""))"
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .malformed(let file, let path, let reason): "\(file): \(path): \(reason)"
        case .destinationNotEmpty(let path): "\(path) already exists and is not empty; choose a new folder"
        }
    }

    public var errorDescription: String? { description }
}

extension SnapshotError {
    /// Names the JSON path and the problem of a decoding error, as a person would want to read it.
    static func from(_ error: any Error, file: String) -> SnapshotError {
        if let nesting = error as? JSONNestingError {
            return .malformed(file: file, jsonPath: nesting.path, reason: "nested more than \(nesting.limit) levels deep")
        }
        guard let error = error as? DecodingError else {
            return .unreadable(file: file, reason: "\(error)")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .malformed(file: file, jsonPath: path(context.codingPath), reason: "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return .malformed(
                file: file, jsonPath: path(context.codingPath), reason: "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context):
            return .malformed(
                file: file, jsonPath: path(context.codingPath + [key]), reason: "required property is missing")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return .malformed(file: file, jsonPath: "$", reason: "not valid JSON" + (detail.map { " (\($0))" } ?? ""))
            }
            return .malformed(file: file, jsonPath: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .unreadable(file: file, reason: "\(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var result = ""
        for key in keys {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += (result.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return result.isEmpty ? "$" : result
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type, is Bool?.Type: "a boolean"
        case is String.Type, is String?.Type: "a string"
        case is Int.Type, is Double.Type, is Int64.Type: "a number"
        case is Date.Type: "an ISO 8601 date-time string"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}

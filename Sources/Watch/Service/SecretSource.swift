import Custody
import Foundation

/// Where a secret comes from: an environment variable or a file — never the configuration in clear. The value is
/// held as a `Secret` (redacted in every description).
public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
    case environment(String)
    case file(String)

    public var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }

    /// One of `env` or `file` (both or neither is the caller's error to report).
    public static func from(env: String?, file: String?) -> SecretSource? {
        if let env { return .environment(env) }
        if let file { return .file(file) }
        return nil
    }

    /// The secret, trimmed of surrounding whitespace (a trailing newline in a file). A file that others may read is
    /// refused, as ssh refuses a private key.
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Secret {
        switch self {
        case .environment(let name):
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw SecretSourceError.missing("\(self) is not set")
            }
            return Secret(utf8: value)
        case .file(let path):
            var info = stat()
            guard stat(path, &info) == 0 else { throw SecretSourceError.missing("cannot read \(self)") }
            guard info.st_mode & 0o007 == 0 else {
                throw SecretSourceError.exposed("\(self) can be read by every user: chmod 600 \(path)")
            }
            guard var bytes = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else {
                throw SecretSourceError.missing("cannot read \(self)")
            }
            while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 { bytes.removeLast() }
            guard !bytes.isEmpty else { throw SecretSourceError.missing("\(self) is empty") }
            return Secret(wiping: &bytes)
        }
    }
}

public enum SecretSourceError: Error, Equatable, Sendable {
    case missing(String)
    case exposed(String)
}

extension SecretSourceError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .missing(let text), .exposed(let text): text
        }
    }

    public var errorDescription: String? { description }
}

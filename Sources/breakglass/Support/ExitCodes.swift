import Custody
import Dashboard
import EntraModel
import Foundation
import Graph
import GraphEmulator
import Lockout
import Monitoring
import Posture
import SafeInput
import Watch

/// An error the CLI reports as one line and a specific exit code (spec/report.md).
protocol ExitCodeProviding: Error {
    var exitCode: Int32 { get }
    var message: String { get }
}

/// A custody error outside the custody commands (the ledger of `provision apply`, `rotate apply`): the same codes.
extension CustodyError: ExitCodeProviding {
    var exitCode: Int32 { custodyExitCode }
    var message: String { "\(self)" }
}

extension SnapshotError: ExitCodeProviding {
    var exitCode: Int32 {
        switch self {
        case .destinationNotEmpty: 2
        default: 3
        }
    }
    var message: String { description }
}

extension ConfigurationError: ExitCodeProviding {
    var exitCode: Int32 { 2 }
    var message: String { description }
}

/// A usage error found after parsing (exit 2).
struct UsageError: ExitCodeProviding {
    var message: String
    var exitCode: Int32 { 2 }

    init(_ message: String) { self.message = message }
}

/// A file that could not be written (exit 3: the output path is input the user gave).
struct OutputError: ExitCodeProviding {
    var message: String
    var exitCode: Int32 { 3 }
}

extension PolicyFileError: ExitCodeProviding {
    var exitCode: Int32 { 3 }
    var message: String { description }
}

extension MonitoringError: ExitCodeProviding {
    var exitCode: Int32 {
        switch self {
        case .noAccounts, .destinationHasOtherFiles: 2
        case .cannotWrite: 3
        }
    }
    var message: String { description }
}

extension LogScanError: ExitCodeProviding {
    var exitCode: Int32 { 3 }
    var message: String { description }
}

/// Graph and sign-in failures are remote errors (exit 4); missing credentials or an unusable certificate are the
/// user's to fix (exit 2).
extension GraphError: ExitCodeProviding {
    var exitCode: Int32 {
        switch self {
        case .missingCredentials, .invalidCertificate, .insecureEndpoint: 2
        case .credentialsRefused: 5
        default: 4
        }
    }
    var message: String { description }
}

extension EmulatorError: ExitCodeProviding {
    var exitCode: Int32 { 2 }
    var message: String { description }
}

/// An input file that is not a regular file, is a symbolic link or is too large (exit 3).
extension InputFileError: ExitCodeProviding {
    var exitCode: Int32 { 3 }
    var message: String { description }
}

extension WatchSetupError: ExitCodeProviding {
    var exitCode: Int32 { 2 }
    var message: String { description }
}

extension SecretSourceError: ExitCodeProviding {
    var exitCode: Int32 { 2 }
    var message: String { description }
}

extension NotifierError: ExitCodeProviding {
    var exitCode: Int32 { 2 }
    var message: String { description }
}

/// A database URL the user wrote is theirs to fix (2); a database that does not answer is remote (4).
extension WatchStoreError: ExitCodeProviding {
    var exitCode: Int32 {
        switch self {
        case .badDatabaseURL: 2
        case .unreachable, .failed: 4
        }
    }
    var message: String { description }
}

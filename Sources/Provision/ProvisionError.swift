import Foundation

/// What stops a plan or an apply. Messages name what to fix and never hold a password, a share or a token.
public enum ProvisionError: Error, Equatable, Sendable {
    /// The configuration or the tenant cannot give the design (exit 2).
    case cannotPlan(String)
    /// A plan, key or journal file that cannot be read (exit 3).
    case unreadable(path: String, reason: String)
    /// Not enough distinct custodians signed (exit 5).
    case notApproved(required: Int, valid: [String], problems: [String])
    /// The tenant is not the one the plan was computed from (exit 5).
    case tenantChanged([String])
    /// The journal beside the plan belongs to another plan (exit 5).
    case journalMismatch(path: String)
    /// A step could not be applied: which, and Graph's answer (exit 4).
    case stepFailed(step: String, reason: String)
    /// A step found the tenant in a state it cannot safely continue from (exit 5).
    case unsafe(step: String, reason: String)
    /// Writing a file failed (exit 3).
    case cannotWrite(path: String, reason: String)
}

extension ProvisionError: LocalizedError, CustomStringConvertible {
    public var description: String {
        switch self {
        case .cannotPlan(let reason): "cannot plan: \(reason)"
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .notApproved(let required, let valid, let problems):
            "refused: the plan needs \(required) approvals by distinct custodians listed in breakglass.yml; "
                + "\(valid.count) valid (\(valid.isEmpty ? "none" : valid.joined(separator: ", ")))"
                + (problems.isEmpty ? "" : "; not counted: \(problems.joined(separator: "; "))")
        case .tenantChanged(let changes):
            "refused: the tenant changed since the plan was made, so what was approved is not what would happen: "
                + changes.joined(separator: "; ") + ". Make a new plan and have it approved again."
        case .journalMismatch(let path):
            "refused: \(path) records the apply of another plan; move it away or apply that plan"
        case .stepFailed(let step, let reason): "step \(step) failed: \(reason)"
        case .unsafe(let step, let reason): "refused at step \(step): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

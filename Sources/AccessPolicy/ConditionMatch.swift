/// One condition of a policy against one sign-in.
enum ConditionMatch: Sendable, Hashable {
    /// Matches; the reasons say how (may be empty for an unconfigured condition).
    case yes([String])
    /// Could not be decided; treated as matching (the safe assumption for lock-out analysis).
    case unknown([String])
    /// Does not match, and why: the policy does not apply.
    case no(String)
}

import Foundation

/// A drill that was planned for an account: a sign-in it covers opens its incident already acknowledged (the
/// password must still be rotated afterwards).
public struct PlannedDrill: Sendable, Hashable {
    /// Who planned or runs it, as the acknowledgement will say.
    public var plannedBy: String
    public var note: String?

    public init(plannedBy: String, note: String? = nil) {
        self.plannedBy = plannedBy
        self.note = note
    }
}

/// Consulted when a sign-in opens an incident: was it a planned drill? `breakglass drill start` records drills in the
/// custody ledger, which ``LedgerDrills`` reads.
public protocol DrillSource: Sendable {
    func plannedDrill(tenantID: String, accountID: String, at: Date) async throws -> PlannedDrill?
}

/// No drill is ever planned.
public struct NoPlannedDrills: DrillSource {
    public init() {}
    public func plannedDrill(tenantID: String, accountID: String, at: Date) async throws -> PlannedDrill? { nil }
}

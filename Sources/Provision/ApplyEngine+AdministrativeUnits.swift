import EntraModel
import Foundation

/// Creating an object exactly once (the exclusion group, the unit), and the restricted-management administrative
/// unit's steps: create it, add an account, and take an account out for a change only the unit's own administrators
/// could make (RestrictedUnitSteps) — put back at once when that fails.
extension ApplyEngine {
    /// A step creating one object that must never exist twice: `found` are the objects already named as the step
    /// names it. One found is adopted only when an interrupted run of this plan created it; more, or one this plan
    /// did not create, stop the apply.
    func createOnce(_ step: PlanStep, named name: String, noun: String, found: [JSONValue], placeholder: String,
                    previous: Journal.Entry?, outputs: [String: String], journal: inout Journal,
                    journalPath: String) async throws -> StepResult {
        if found.count > 1 {
            throw ProvisionError.unsafe(step: step.id, reason: "\(found.count) \(noun)s are named '\(name)'; remove the extra ones")
        }
        if let object = found.first, let id = object["id"]?.stringValue {
            guard previous != nil else {
                throw ProvisionError.unsafe(step: step.id, reason: "a \(noun) named '\(name)' appeared that this plan did not create")
            }
            return StepResult(status: .done, outputs: [placeholder: id.lowercased()],
                              message: "\(noun) '\(name)' found (id \(id)): created by the interrupted run")
        }
        try started(step, journal: &journal, journalPath: journalPath)
        let response = try await send(step.request, outputs: outputs, step: step)
        guard let id = Self.field("id", in: response.body) else {
            throw ProvisionError.stepFailed(step: step.id, reason: "Graph's answer has no id")
        }
        return StepResult(status: .done, outputs: [placeholder: id.lowercased()], message: "created \(noun) '\(name)' (id \(id))")
    }

    func createAdministrativeUnit(_ step: PlanStep, previous: Journal.Entry?, outputs: [String: String],
                                  journal: inout Journal, journalPath: String) async throws -> StepResult {
        let name = step.parameters["administrativeUnitName"] ?? ""
        let found = try await objects("/directory/administrativeUnits", filter: "displayName eq '\(Self.quoted(name))'",
                                      select: ["id", "displayName", "isMemberManagementRestricted"])
            .filter { $0["isMemberManagementRestricted"] == JSONValue.bool(true) }
        return try await createOnce(step, named: name, noun: "restricted-management administrative unit", found: found,
                                    placeholder: PlanPlaceholder.administrativeUnit, previous: previous, outputs: outputs,
                                    journal: &journal, journalPath: journalPath)
    }

    func addAdministrativeUnitMember(_ step: PlanStep, outputs: [String: String], journal: inout Journal,
                                     journalPath: String) async throws -> StepResult {
        let user = try resolved(PlanPlaceholder.user(step.parameters["upn"] ?? ""), outputs: outputs, step: step)
        let unit = try unitID(of: step, outputs: outputs)
        let upn = step.parameters["upn"] ?? user
        if try await isMember(user, of: unit) {
            return StepResult(status: .skipped, message: "\(upn) is already in the unit")
        }
        try started(step, journal: &journal, journalPath: journalPath)
        do {
            _ = try await send(step.request, outputs: outputs, step: step)
        } catch {
            // A lost answer to a POST that Graph carried out: the member is there.
            guard try await isMember(user, of: unit) else { throw error }
        }
        return StepResult(status: .done, message: "added \(upn) to administrative unit \(unit)")
    }

    /// `DELETE …/members/{id}/$ref` — with `/$ref`, which removes the membership only (without it Graph would delete
    /// the account itself where it may: Learn, administrativeunit-delete-members).
    func removeAdministrativeUnitMember(_ step: PlanStep, outputs: [String: String], journal: inout Journal,
                                        journalPath: String) async throws -> StepResult {
        guard let user = step.parameters["userID"]?.lowercased(), step.request.path.hasSuffix("/$ref") else {
            throw ProvisionError.unsafe(step: step.id, reason: "the step does not name the account's membership (…/members/{id}/$ref)")
        }
        let unit = try unitID(of: step, outputs: outputs)
        let upn = step.parameters["upn"] ?? user
        guard try await isMember(user, of: unit) else {
            return StepResult(status: .skipped, message: "\(upn) is not in administrative unit \(unit)")
        }
        try started(step, journal: &journal, journalPath: journalPath)
        do {
            _ = try await send(step.request, outputs: outputs, step: step)
        } catch {
            // A retried DELETE whose first attempt went through answers 404: the account is out, as planned.
            guard !(try await isMember(user, of: unit)) else { throw error }
        }
        return StepResult(status: .done,
                          message: "took \(upn) out of administrative unit \(unit) until step \(step.parameters["rejoinStep"] ?? "?") puts it back")
    }

    /// After a failed step: every account this plan took out of a unit and has not put back yet goes back in, and
    /// the step that took it out is forgotten, so that a re-run takes it out again right before the change. What
    /// cannot be put back is said, loudly: BG016 fails until it is.
    func restoreUnitMemberships(outputs: [String: String], journal: inout Journal, journalPath: String) async {
        for leave in plan.steps where leave.action == .removeAdministrativeUnitMember {
            guard journal.entry(leave.id) != nil, let rejoinID = leave.parameters["rejoinStep"],
                let rejoin = plan.steps.first(where: { $0.id == rejoinID }),
                ![.done, .skipped].contains(journal.entry(rejoinID)?.status)
            else { continue }
            let upn = leave.parameters["upn"] ?? leave.parameters["userID"] ?? "the account"
            do {
                let result = try await addAdministrativeUnitMember(rejoin, outputs: outputs, journal: &journal, journalPath: journalPath)
                journal.forget(rejoinID)
                journal.forget(leave.id)
                try journal.write(toPath: journalPath)
                guard result.status == .done else { continue }
                context.progress("Put \(upn) back into its restricted-management administrative unit (\(result.message)); a re-run takes it out again for the change.")
                note(.planStep, "\(planLabel) step \(leave.id) undone after a failure: \(result.message)")
            } catch {
                context.progress("WARNING: \(upn) is still OUTSIDE its restricted-management administrative unit "
                    + "\(leave.parameters["administrativeUnitID"] ?? ""): re-run apply, or add it back (\(rejoin.request.summary)). \(error)")
                note(.planStep, "\(planLabel) step \(leave.id): the account could not be put back after a failure")
            }
        }
    }

    func unitID(of step: PlanStep, outputs: [String: String]) throws -> String {
        let parts = try resolvedPath(step.request.path, outputs: outputs, step: step).split(separator: "/")
        guard parts.count > 2 else { throw ProvisionError.unsafe(step: step.id, reason: "\(step.request.path) names no administrative unit") }
        return String(parts[2]).lowercased()
    }

    func isMember(_ user: String, of unit: String) async throws -> Bool {
        try await objects("/directory/administrativeUnits/\(unit)/members", filter: nil, select: ["id"])
            .contains { $0["id"]?.stringValue?.lowercased() == user.lowercased() }
    }
}

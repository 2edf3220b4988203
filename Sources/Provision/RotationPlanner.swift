import EntraModel
import Foundation
import Posture

/// A password rotation: a new password set on the account with `PATCH /users/{id}` (`passwordProfile`), split into
/// new share sheets for the custodians, optionally copied to Key Vault, the old set marked superseded.
public enum RotationPlanner {
    public static func plan(context: TenantContext, files: [String: Data], account: String, options: ProvisionOptions,
                            source: String) throws -> Plan {
        let custody = try ProvisionPlanner.shareRecipients(context.configuration)
        guard let user = context.directory.user(idOrUPN: account) else {
            throw ProvisionError.cannotPlan("no user \(account) in the tenant")
        }
        guard !user.isSynchronized else {
            throw ProvisionError.cannotPlan("\(user.name) is synchronized from on-premises: its password is set there, not in Entra ID")
        }
        let upn = user.userPrincipalName?.lowercased() ?? user.id
        var notes: [String] = []
        if !context.isEmergencyAccount(user.id) {
            notes.append("\(user.name) is not a declared emergency account in breakglass.yml.")
        }
        let changed = user.lastPasswordChangeDateTime.map(PlanClock.text) ?? "never"
        // Learn: user-update (passwordProfile). Least privilege: User-PasswordProfile.ReadWrite.All, and the caller
        // (the signed-in approver, or the app) must hold Privileged Authentication Administrator to reset a Global
        // Administrator's password ("Who can reset passwords").
        let step = PlanStep(
            id: "rotate-password.\(upn.split(separator: "@")[0])", action: .setPassword,
            what: "Set a new password on \(upn) and split it to \(custody.custodians.joined(separator: ", ")) (any \(custody.threshold))",
            why: "After every use (or when it is too old) the emergency password is replaced, and the old share sheets stop opening anything (BG060, BG061).",
            fixes: ["BG060", "BG061"],
            precondition: "\(upn) still has id \(user.id) and its password was last changed \(changed)",
            request: PlanRequest(service: .graph, method: "PATCH", path: "/users/\(user.id)", body: .object([
                "passwordProfile": .object([
                    "forceChangePasswordNextSignIn": .bool(false),
                    "password": .string(PlanPlaceholder.password),
                ]),
            ])),
            keyVault: ProvisionPlanner.keyVaultRequest(options, upn: upn),
            touches: ["user:\(user.id.lowercased())"], parameters: ["upn": upn, "userID": user.id.lowercased()])
        // A member of a restricted-management unit cannot have its password reset from tenant scope: the reset is
        // bracketed by taking the account out of the unit and putting it back (RestrictedUnitSteps).
        let (steps, units) = RestrictedUnitSteps.bracket([step], snapshot: context.snapshot)
        var subjects = Plan.Subjects(accounts: [user.id.lowercased()], groupName: nil, groupID: nil, includesPolicies: false)
        subjects.administrativeUnitID = units.first?.id.lowercased()
        if let unit = units.first {
            notes.append("\(user.name) is a member of the restricted-management administrative unit '\(unit.name)' (\(unit.id))"
                + (units.count > 1 ? " and \(units.count - 1) more" : "")
                + ": no role or app assigned at tenant scope can reset its password, so the plan takes it out of the unit for the reset and puts it back. "
                + "Whoever applies needs AdministrativeUnit.ReadWrite.All and, signed in, Privileged Role Administrator besides Privileged Authentication Administrator; if the reset fails, apply puts the account back at once.")
        } else if context.snapshot.administrativeUnits == nil {
            notes.append("The administrative units are not in the snapshot (needs AdministrativeUnit.Read.All): if \(user.name) is in a restricted-management unit, Entra refuses the reset (403). Capture with that permission and plan again.")
        }
        var state = try TenantState.items(snapshot: context.snapshot, files: files, subjects: subjects)
        state.sort { $0.key < $1.key }
        return Plan(
            format: Plan.format, kind: .rotate, tenantID: context.snapshot.organization.id,
            tenantName: context.snapshot.organization.displayName, createdAt: PlanClock.text(options.now), source: source,
            subjects: subjects, stateHash: TenantState.hash(state), state: state, shares: custody, notes: notes,
            steps: steps, signatures: [])
    }
}

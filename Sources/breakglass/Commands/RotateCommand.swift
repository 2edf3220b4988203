import ArgumentParser
import Foundation
import Provision

struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Change an emergency account's password after use, with two custodians: plan, approve, apply.",
        discussion: """
            apply sets a new password from the Custody generator with PATCH /users/{id} (passwordProfile), splits it \
            into new share sheets for the custodians, optionally stores it in Key Vault as a new secret version, and \
            marks the old share set superseded in the ledger. Least privilege: User-PasswordProfile.ReadWrite.All, \
            and the caller must hold Privileged Authentication Administrator to reset a Global Administrator's \
            password; sign an approver in with --device-code. An account in a restricted-management administrative \
            unit is taken out of it for the reset and put back (DELETE/POST …/members/$ref: \
            AdministrativeUnit.ReadWrite.All, and Privileged Role Administrator for a signed-in approver); if the \
            reset fails it goes back at once. Exit 5 without enough approvals.
            """,
        subcommands: [Plan.self, Approve.self, Apply.self]
    )

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a password rotation and write it to --out.",
            discussion: """
                Example: breakglass rotate plan --tenant contoso.onmicrosoft.com --config breakglass.yml \
                --account bg-01@contoso.onmicrosoft.com --out rotate-plan.json
                """)
        @OptionGroup var source: PlanSourceOptions
        @Option(help: "The account: UPN or object id.") var account: String
        @Option(name: .customLong("key-vault"), help: "Also store the new password in this vault (https://NAME.vault.azure.net).")
        var keyVault: String?
        @Option(name: .customLong("key-vault-expiry-days"), help: "Days until the Key Vault secret version expires.")
        var keyVaultExpiryDays = 180
        @Option(help: "The plan file to write.", completion: .file(extensions: ["json"])) var out: String

        func run() async throws {
            let (context, files, label) = try await source.load()
            let plan = try RotationPlanner.plan(context: context, files: files, account: account,
                                                options: ProvisionOptions(keyVault: keyVault, keyVaultExpiryDays: keyVaultExpiryDays),
                                                source: label)
            try plan.write(toPath: out)
            Terminal.write(PlanText.render(plan))
            Terminal.note("Wrote \(out). Two custodians approve it with `breakglass rotate approve \(out) --key KEY`.")
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the rotation plan's hash with a custodian key.",
            discussion: "Example: breakglass rotate approve rotate-plan.json --key bob.key")
        @Argument(help: "The plan file.", completion: .file(extensions: ["json"])) var plan: String
        @Option(help: "The custodian key file (custodian enroll).", completion: .file()) var key: String
        @OptionGroup var passphrase: PassphraseOptions

        func run() throws { try approvePlan(plan, key: key, passphrase: passphrase, kind: .rotate) }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply an approved rotation plan.",
            discussion: """
                Example: breakglass rotate apply rotate-plan.json --config breakglass.yml \
                --tenant contoso.onmicrosoft.com --ledger custody.db --shares-out shares/
                """)
        @Argument(help: "The plan file.", completion: .file(extensions: ["json"])) var plan: String
        @OptionGroup var apply: ApplyOptions

        func run() async throws { try await apply.run(planPath: plan, kind: .rotate) }
    }
}

import ArgumentParser
import Foundation
import Paths
import Posture
import Reports

extension PathsFormat: ExpressibleByArgument {}

struct PathsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Who can take over or lock out the emergency accounts: roles, app permissions, owners, hop by hop.",
        discussion: """
            Follows active and PIM-eligible roles, Microsoft Graph application permissions, group memberships and the \
            owners of groups, applications and service principals to what each principal can do to an emergency \
            account: take it over (reset it, add a method, make itself Global Administrator) or lock it out (a \
            Conditional Access policy, a method disabled tenant-wide, the exclusion removed). Every hop names the \
            snapshot file and record it comes from. --format dot writes Graphviz (dot -Tsvg paths.dot -o paths.svg). \
            Exit codes: 0 done; 2 usage or configuration error; 3 snapshot or output unreadable; 4 Graph error.
            Example: breakglass paths --snapshot contoso-snapshot --config breakglass.yml --format dot --output paths.dot
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(help: "text, json, dot (Graphviz) or html.") var format: PathsFormat = .text

    @Option(help: "Write to this file (atomically) instead of standard output.", completion: .file())
    var output: String?

    @Option(help: "With --tenant: also write the capture to this snapshot folder.", completion: .directory)
    var save: String?

    func run() async throws {
        let context = try await tenant.loadContext(save: save)
        let organization = context.snapshot.organization
        let report = PathsReport(analysis: context.tierZero, tenant: organization.displayName ?? organization.id)
        let text = report.render(format, color: output == nil && format == .text && Terminal.supportsColor)
        guard let output else { return Terminal.write(text) }
        do {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
        } catch {
            throw OutputError(message: "cannot write \(output): \(error.localizedDescription)")
        }
    }
}

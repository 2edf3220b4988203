import ArgumentParser
import EntraModel
import Foundation
import Posture
import Reports

struct RunbookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Print the emergency-access runbook for this tenant (Markdown or a page to print).",
        discussion: """
            Made from breakglass.yml and the tenant: who may authorise use (runbook.authorizers), the custodians and \
            where their sheets are kept (custody.custodians, runbook.sheetLocations), how each account signs in and \
            which failure scenarios it survives today, and step by step what to do in a federation outage, a \
            Conditional Access lock-out, an MFA outage and a compromise — then rotate with two people and audit. \
            The runbook carries the date and a digest of the tenant state it was made from; name the printed one \
            in runbook.file and `audit` warns (BG064) once the tenant changes.

            Example: breakglass runbook --demo --format html --output runbook.html
            """
    )

    @OptionGroup var tenant: TenantOptions

    @Option(help: "markdown or html.") var format: RunbookFormat = .markdown
    @Option(help: "Paper size of the HTML page: a4 or letter.") var paper: RunbookPaper = .a4
    @Option(help: "Write the runbook to this file (atomically) instead of standard output.", completion: .file())
    var output: String?

    enum RunbookFormat: String, ExpressibleByArgument, CaseIterable { case markdown, html }
    enum RunbookPaper: String, ExpressibleByArgument, CaseIterable { case a4, letter }

    func run() async throws {
        let context = try await tenant.loadContext(save: nil)
        let generatedAt = tenant.asOf.flatMap(GraphDate.parse) ?? Date()
        let runbook = Runbook(context: context, generatedAt: generatedAt)
        let renderer = RunbookRenderer(format: format == .html ? .html : .markdown, paper: paper == .a4 ? .a4 : .letter)
        let text = try renderer.render(runbook)
        guard let output else { return Terminal.write(text) }
        do {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
        } catch {
            throw OutputError(message: "cannot write \(output): \(error.localizedDescription)")
        }
    }
}

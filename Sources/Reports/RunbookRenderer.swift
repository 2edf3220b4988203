import EntraModel
import Foundation
import Mustache
import Posture

/// Prints the runbook as Markdown (for a wiki or a pull request) or as one self-contained HTML page made to be printed
/// on A4 or Letter paper and filed with the share sheets. Both come from Mustache templates (`RunbookTemplates`).
public struct RunbookRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable { case markdown, html }
    public enum Paper: String, Sendable, CaseIterable { case a4, letter }

    public let format: Format
    public let paper: Paper

    public init(format: Format, paper: Paper = .a4) {
        self.format = format
        self.paper = paper
    }

    public func render(_ runbook: Runbook) throws -> String {
        let template = try MustacheTemplate(string: format == .html ? RunbookTemplates.html : RunbookTemplates.markdown)
        let text = template.render(context(runbook))
        guard format == .markdown else { return text }
        // Optional sections leave blank lines behind; Markdown wants one between blocks.
        var markdown = text.replacing(/\n{3,}/, with: "\n\n")
        while markdown.hasSuffix("\n\n") { markdown.removeLast() }
        return markdown
    }

    /// Markdown links a URL only in angle brackets (a bare URL is a lint error); HTML prints it as it is.
    func prose(_ text: String) -> String {
        format == .markdown ? text.replacing(/https:\/\/[^\s)]+/) { "<\($0.output)>" } : text
    }

    /// The template's view of the runbook: plain dictionaries and lists.
    func context(_ runbook: Runbook) -> [String: Any] {
        let date = GraphDate.format(runbook.generatedAt)
        let scenarioNames = runbook.accounts.first?.scenarios.map(\.scenario) ?? []
        let accounts: [[String: Any]] = runbook.accounts.map { account in
            [
                "upn": account.userPrincipalName, "id": account.id, "signsInWith": account.signsInWith,
                "scenarios": account.scenarios.map { result -> [String: Any] in
                    ["scenario": result.scenario, "getsIn": result.getsIn, "mark": result.getsIn ? "gets in" : "LOCKED OUT",
                     "detail": result.detail]
                },
            ]
        }
        func steps(_ steps: [Runbook.Step]) -> [[String: Any]] {
            steps.enumerated().map { index, step in
                var item: [String: Any] = ["number": index + 1, "text": prose(step.text)]
                if let portal = step.portal { item["portal"] = prose(portal) }
                if let command = step.command {
                    // Markdown indents a list item's code block; every line of it, not only the first.
                    item["command"] = format == .markdown
                        ? command.replacingOccurrences(of: "\n", with: "\n   ") : command
                    item["language"] = command.hasPrefix("breakglass") ? "sh" : "powershell"
                }
                return item
            }
        }
        let playbooks: [[String: Any]] = runbook.playbooks.map { playbook in
            let results = runbook.accounts.map { account -> [String: Any] in
                let result = account.scenarios.first { $0.scenario == playbook.scenario }
                return ["upn": account.userPrincipalName, "getsIn": result?.getsIn ?? false,
                        "detail": result?.detail ?? "not simulated"]
            }
            return ["id": playbook.id, "title": playbook.title, "symptoms": playbook.symptoms,
                    "scenario": playbook.scenario, "results": results, "steps": steps(playbook.steps)]
        }
        let lockouts: [[String: Any]] = runbook.accounts.flatMap { account in
            account.scenarios.filter { !$0.getsIn }.map { result -> [String: Any] in
                ["upn": account.userPrincipalName, "scenario": result.scenario, "detail": result.detail]
            }
        }
        let custodians: [[String: Any]] = runbook.custodians.map {
            ["name": $0.name, "location": $0.sheetLocation ?? "not recorded (runbook.sheetLocations in breakglass.yml)"]
        }
        return [
            "tenantName": runbook.tenantName, "tenantID": runbook.tenantID,
            "initialDomain": runbook.initialDomain ?? runbook.tenantID, "date": date,
            "day": String(date.prefix(10)), "fingerprint": runbook.fingerprint, "stamp": runbook.stamp.text,
            "accounts": accounts, "hasAccounts": !accounts.isEmpty,
            "scenarioNames": scenarioNames.map { ["name": $0] },
            "scenarioRows": scenarioNames.map { name -> [String: Any] in
                ["name": name, "cells": runbook.accounts.map { account -> [String: Any] in
                    let getsIn = account.scenarios.first { $0.scenario == name }?.getsIn ?? false
                    return ["getsIn": getsIn, "mark": getsIn ? "gets in" : "LOCKED OUT"]
                }]
            },
            "exclusionGroups": runbook.exclusionGroups.joined(separator: ", ").ifEmpty("none"),
            "custodians": custodians, "hasCustodians": !custodians.isEmpty,
            "threshold": runbook.threshold, "custodianCount": runbook.custodians.count,
            "authorizers": runbook.authorizers.map { ["name": $0] }, "hasAuthorizers": !runbook.authorizers.isEmpty,
            "lockouts": lockouts, "hasLockouts": !lockouts.isEmpty, "playbooks": playbooks, "afterwards": steps(runbook.afterwards),
            "pageSize": paper == .a4 ? "A4" : "letter",
        ]
    }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

import EntraModel
import Foundation

struct BG051AlertRule: Check {
    static let metadata = CheckMetadata(
        id: "BG051", title: "An alert rule watches each emergency account", severity: .high, subject: .account,
        rationale: """
            Every sign-in of an emergency account must page someone within minutes: either it is a real emergency, \
            or the account is being abused. The rule must match the immutable object id (a UPN can be renamed) \
            across both sign-in tables: SigninLogs and AADNonInteractiveUserSignInLogs.
            """,
        remediation: .init(
            portal: "Azure portal > Monitor > Alerts > Create > Alert rule on the Log Analytics workspace (one scheduled query rule per account, by object id, across SigninLogs and AADNonInteractiveUserSignInLogs, every 5 minutes, severity 0). `breakglass export arm` writes it.",
            graph: "ARM PUT /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Insights/scheduledQueryRules/{name}?api-version=2023-12-01"),
        references: [.emergencyAccess, .learn("Monitor emergency access accounts", "role-based-access-control/security-emergency-access#monitor-sign-in-and-audit-logs")]
    )

    static let tables = ["SigninLogs", "AADNonInteractiveUserSignInLogs"]

    func run(in context: TenantContext) -> [Finding] {
        guard let rules = context.snapshot.alertRules else {
            let reason = context.snapshot.whyUnavailable(.alertRules)?.description ?? "alert-rules.json is not in the snapshot"
            return forEachAccount(context) { account, _ in unknown(account.subject, "Cannot tell which alert rules exist: \(reason).") }
        }
        let analysed = rules.map { RuleQueries(rule: $0) }
        let enabled = analysed.filter(\.rule.isEnabled)
        let disabled = analysed.filter { !$0.rule.isEnabled }
        return forEachAccount(context) { account, user in
            let coverage = Coverage(user: user, rules: enabled)
            let names = coverage.ruleNames.map { "'\($0)'" }
            var evidence: [String: JSONValue] = ["rules": .array(coverage.ruleNames.map { .string($0) })]
            let missing = Self.tables.filter { coverage.match[$0] == nil }
            if !missing.isEmpty { evidence["missingTables"] = .array(missing.map { .string($0) }) }

            guard missing.count < Self.tables.count else {
                return fail(account.subject, noRuleMessage(user, enabled: enabled, disabled: disabled), evidence: evidence)
            }
            let byUPNOnly = Self.tables.filter { coverage.match[$0] == .userPrincipalName }
            let verb = names.count == 1 ? "watches" : "watch"
            if !missing.isEmpty {
                let present = Self.tables.filter { coverage.match[$0] != nil }
                let how = byUPNOnly.isEmpty ? "" : " (by UPN only)"
                return warn(account.subject, """
                    \(names.joinedAsList) \(verb) \(user.name)\(how) in \(present.joinedAsList) but not in \
                    \(missing.joinedAsList): sign-ins there (token refreshes of a stolen session) page nobody.
                    """, evidence: evidence)
            }
            if !byUPNOnly.isEmpty {
                return warn(account.subject, """
                    \(names.joinedAsList) match\(names.count == 1 ? "es" : "") \(user.name) by UPN only in \
                    \(byUPNOnly.joinedAsList); a rename silences \(names.count == 1 ? "it" : "them") — match the object \
                    id \(user.id).
                    """, evidence: evidence)
            }
            if let quiet = coverage.quietThreshold {
                return warn(account.subject, """
                    \(names.joinedAsList) \(verb) \(user.name) in both sign-in tables but fire\(names.count == 1 ? "s" : "") \
                    only when \(quiet): a single sign-in pages nobody. Alert when the count is greater than 0.
                    """, evidence: evidence)
            }
            return pass(account.subject, "\(names.joinedAsList) \(verb) \(user.name) by object id in SigninLogs and AADNonInteractiveUserSignInLogs.", evidence: evidence)
        }
    }

    /// Why no enabled rule watches the account's sign-ins, with what comes close.
    func noRuleMessage(_ user: User, enabled: [RuleQueries], disabled: [RuleQueries]) -> String {
        var message = "No enabled alert rule watches the sign-ins of \(user.name) (object id \(user.id))"
        let mentioning = enabled.filter { $0.mentions(user) }.map { "'\($0.rule.displayName)'" }
        if !mentioning.isEmpty {
            message += "; \(mentioning.joinedAsList) mention\(mentioning.count == 1 ? "s" : "") it but read neither SigninLogs nor AADNonInteractiveUserSignInLogs"
        }
        let wouldWatch = disabled.filter { !Coverage(user: user, rules: [$0]).match.isEmpty }
            .map { "'\($0.rule.displayName)'" }
        if !wouldWatch.isEmpty {
            message += "; \(wouldWatch.joinedAsList) would, but \(wouldWatch.count == 1 ? "it is" : "they are") disabled"
        }
        let watchlists = Set(enabled.flatMap { $0.queries.flatMap(\.watchlists) }).sorted()
        if !watchlists.isEmpty {
            message += "; rules read the watchlist \(watchlists.joinedAsList), whose contents the snapshot does not hold"
        }
        return message + "."
    }
}

/// A rule with its queries read.
struct RuleQueries {
    let rule: AlertRule
    let queries: [AlertQuery]

    init(rule: AlertRule) {
        self.rule = rule
        queries = rule.queries.map(AlertQuery.init)
    }

    func mentions(_ user: User) -> Bool {
        queries.contains { query in
            query.mentions(user.id) || user.userPrincipalName.map(query.mentions) == true
        }
    }
}

/// How well the enabled rules watch one account, table by table.
struct Coverage {
    enum Match: Comparable { case userPrincipalName, objectID }

    /// The best match per sign-in table; no entry when no rule reads that table for the account.
    var match: [String: Match] = [:]
    /// The rules that give the best matches.
    var ruleNames: [String] = []
    /// Set when every watching condition needs more than one row to fire: says what it needs.
    var quietThreshold: String?

    init(user: User, rules: [RuleQueries]) {
        var names: [String] = []
        var thresholds: [String?] = []
        for table in BG051AlertRule.tables {
            var best: Match?
            var bestRules: [(name: String, condition: AlertRule.Condition?)] = []
            for rule in rules {
                for query in rule.queries where query.reads(table) {
                    let found: Match? =
                        query.mentions(user.id)
                        ? .objectID : (user.userPrincipalName.map(query.mentions) == true ? .userPrincipalName : nil)
                    guard let found else { continue }
                    let condition = rule.rule.conditions.first { $0.query == query.text }
                    if best == nil || found > (best ?? found) {
                        best = found
                        bestRules = [(rule.rule.displayName, condition)]
                    } else if found == best {
                        bestRules.append((rule.rule.displayName, condition))
                    }
                }
            }
            guard let best else { continue }
            match[table] = best
            for entry in bestRules where !names.contains(entry.name) { names.append(entry.name) }
            // The table is watched loudly when any of its best rules fires on one row (or says nothing).
            if bestRules.contains(where: { $0.condition?.firesOnAnyRow != false }) {
                thresholds.append(nil)
            } else {
                let condition = bestRules.first?.condition
                let threshold = condition?.threshold.map { String(format: "%g", $0) } ?? "?"
                thresholds.append("\(condition?.operator ?? "?") \(threshold)")
            }
        }
        ruleNames = names
        if !thresholds.isEmpty, thresholds.allSatisfy({ $0 != nil }) {
            quietThreshold = "the result count is " + (thresholds.compactMap { $0 }.first ?? "")
        }
    }
}

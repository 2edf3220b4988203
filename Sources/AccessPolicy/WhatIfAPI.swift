import EntraModel
import Foundation

/// Microsoft Graph's Conditional Access What If, `POST /identity/conditionalAccess/evaluate` (Learn,
/// "conditionalAccessRoot: evaluate", v1.0 and beta; permission Policy.Read.ConditionalAccess): the request for one of
/// our sign-in contexts, Microsoft's answer, and where the two disagree. Microsoft's What If says which policies
/// *apply*; it does not decide whether the person can satisfy them, so only `applies` is compared.
public enum WhatIfAPI {
    public static let path = "/identity/conditionalAccess/evaluate"

    /// The request body: `signInIdentity` (userSignIn), `signInContext` (applicationContext) and `signInConditions`
    /// (Learn, "signInConditions resource type", "deviceInfo resource type"). An unregistered device sends no
    /// `deviceInfo`; device-filter properties go by their deviceInfo names (`deviceOwnership` is `ownership`).
    public static func requestBody(for context: SignInContext) -> Data {
        var conditions: [String: Any] = [
            "clientAppType": context.clientApp,
            "userRiskLevel": context.userRisk,
            "signInRiskLevel": context.signInRisk,
            "insiderRiskLevel": context.insiderRisk,
        ]
        if context.platform.lowercased() != "unknown" { conditions["devicePlatform"] = context.platform }
        if let ip = context.ipAddress { conditions["ipAddress"] = ip }
        if let country = context.country { conditions["country"] = country }
        if context.device.isRegistered {
            var info: [String: Any] = ["isCompliant": context.device.isCompliant]
            if context.device.isHybridJoined { info["trustType"] = "ServerAD" }
            for (name, value) in context.device.properties {
                switch name.lowercased() {
                case "iscompliant": info["isCompliant"] = value.lowercased() == "true"
                case "deviceownership": info["ownership"] = value
                case "physicalids", "systemlabels":
                    info[name] = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                default: info[name] = value
                }
            }
            conditions["deviceInfo"] = info
        }
        let body: [String: Any] = [
            "signInIdentity": ["@odata.type": "#microsoft.graph.userSignIn", "userId": context.userID],
            "signInContext": ["@odata.type": "#microsoft.graph.applicationContext",
                              "includeApplications": [context.resource]],
            "signInConditions": conditions,
            "appliedPoliciesOnly": false,
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    public struct RequestError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The user id and sign-in context a request body describes (what the Graph emulator answers).
    public static func context(fromRequest data: Data) throws -> SignInContext {
        guard let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RequestError(description: "the body is not a JSON object")
        }
        guard let identity = body["signInIdentity"] as? [String: Any], let user = identity["userId"] as? String else {
            throw RequestError(description: "signInIdentity.userId is required")
        }
        let target = body["signInContext"] as? [String: Any]
        guard let resource = (target?["includeApplications"] as? [String])?.first else {
            throw RequestError(description: "signInContext.includeApplications is required")
        }
        let conditions = body["signInConditions"] as? [String: Any] ?? [:]
        func text(_ key: String, _ fallback: String) -> String { conditions[key] as? String ?? fallback }
        var device = Device.unregistered
        if let info = conditions["deviceInfo"] as? [String: Any] {
            var properties: [String: String] = [:]
            for (name, value) in info where name != "isCompliant" && !name.hasPrefix("@") {
                let key = name == "ownership" ? "deviceOwnership" : name
                if let list = value as? [String] { properties[key] = list.joined(separator: ",") }
                if let string = value as? String { properties[key] = string }
            }
            let compliant = info["isCompliant"] as? Bool ?? false
            device = Device(isRegistered: true, isCompliant: compliant,
                            isHybridJoined: properties["trustType"]?.caseInsensitiveCompare("ServerAD") == .orderedSame,
                            properties: properties)
        }
        return SignInContext(
            userID: user, resource: resource.lowercased(), clientApp: text("clientAppType", "browser"),
            platform: text("devicePlatform", "unknown"), ipAddress: conditions["ipAddress"] as? String,
            country: conditions["country"] as? String, userRisk: text("userRiskLevel", "none"),
            signInRisk: text("signInRiskLevel", "none"), device: device,
            insiderRisk: text("insiderRiskLevel", "none"))
    }

    /// One policy as Microsoft's What If judged it (`whatIfAnalysisResult`).
    public struct Result: Sendable, Hashable {
        public var policyID: String
        public var displayName: String
        public var policyApplies: Bool
        /// `notSet` when it applies; otherwise why not (`users`, `location`, `notEnoughInformation`, …).
        public var analysisReasons: String
    }

    /// Parses the `value` list of the response.
    public static func results(fromResponse data: Data) throws -> [Result] {
        guard let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let items = body["value"] as? [[String: Any]]
        else { throw RequestError(description: "the What If response has no value list") }
        return items.compactMap { item in
            guard let id = item["id"] as? String else { return nil }
            return Result(policyID: id, displayName: item["displayName"] as? String ?? id,
                          policyApplies: item["policyApplies"] as? Bool ?? false,
                          analysisReasons: item["analysisReasons"] as? String ?? "notSet")
        }
    }

    /// The `whatIfAnalysisResult` list for a local evaluation (the emulator's answer): each policy's Graph JSON with
    /// `policyApplies` and `analysisReasons`. A policy that may apply (`applies: unknown`) is reported as applying.
    public static func responseItems(_ evaluation: Evaluation, policies: [String: [String: Any]]) -> [[String: Any]] {
        evaluation.policies.compactMap { verdict -> [String: Any]? in
            guard verdict.policyID != SecurityDefaultsPolicy.id else { return nil }
            var item = policies[verdict.policyID.lowercased()] ?? ["id": verdict.policyID, "displayName": verdict.displayName]
            item["policyApplies"] = verdict.applies.countsAsApplying
            item["analysisReasons"] = verdict.applies.countsAsApplying ? "notSet" : verdict.failedCondition ?? "notSet"
            return item
        }
    }

    /// Where the local evaluator and Microsoft's What If disagree on whether a policy applies.
    public struct Disagreement: Sendable, Hashable {
        public var policyID: String
        public var displayName: String
        public var localApplies: Applicability
        public var localReasons: [String]
        public var microsoftApplies: Bool
        public var microsoftReasons: String
    }

    public struct Comparison: Sendable {
        public var disagreements: [Disagreement]
        /// Policies Microsoft could not judge from the request (`notEnoughInformation`), with ours.
        public var undecided: [Disagreement]
        /// Policies both judged the same way.
        public var agreed: Int
        /// Policies only one side listed (a policy created or deleted between the capture and the call).
        public var unmatched: [String]
    }

    public static func compare(_ evaluation: Evaluation, with microsoft: [Result]) -> Comparison {
        let theirs = Dictionary(microsoft.map { ($0.policyID.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var comparison = Comparison(disagreements: [], undecided: [], agreed: 0, unmatched: [])
        var seen: Set<String> = []
        for verdict in evaluation.policies where verdict.policyID != SecurityDefaultsPolicy.id {
            let key = verdict.policyID.lowercased()
            seen.insert(key)
            guard let result = theirs[key] else {
                comparison.unmatched.append("\(verdict.displayName) (only in the local snapshot)")
                continue
            }
            let entry = Disagreement(policyID: verdict.policyID, displayName: verdict.displayName,
                                     localApplies: verdict.applies, localReasons: verdict.reasons,
                                     microsoftApplies: result.policyApplies, microsoftReasons: result.analysisReasons)
            if !result.policyApplies, result.analysisReasons.contains("notEnoughInformation") {
                comparison.undecided.append(entry)
            } else if verdict.applies.countsAsApplying == result.policyApplies {
                comparison.agreed += 1
            } else {
                comparison.disagreements.append(entry)
            }
        }
        for result in microsoft where !seen.contains(result.policyID.lowercased()) {
            comparison.unmatched.append("\(result.displayName) (only in the live tenant)")
        }
        return comparison
    }
}

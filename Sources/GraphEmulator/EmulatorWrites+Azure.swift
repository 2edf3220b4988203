import Crypto
import EntraModel
import Foundation

/// The emulator's Azure writes: ARM deployments (diagnostic setting, alert rules, action group) and Key Vault
/// secrets, beside the Graph writes in EmulatorWrites.swift.
extension EmulatorWrites {
    // MARK: ARM

    /// `PUT …/providers/Microsoft.Resources/deployments/{name}?api-version=…` at tenant scope (the diagnostic
    /// setting) or resource-group scope (alert rules and action group): the template's parameters, `resourceId()`
    /// and `resourceGroup().location` are resolved, and the resources stored where the reads serve them.
    func deploy(resource: String, request: EmulatorRequest, grant: EmulatorGrant, subscriptionID: String) -> EmulatorResponse {
        guard grant.hasAny(["*", "Azure.Deploy"]) else {
            return .json(403, ["error": ["code": "AuthorizationFailed", "message": "The client does not have authorization to perform action 'Microsoft.Resources/deployments/write'."]])
        }
        guard let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any],
            let properties = body["properties"] as? [String: Any], let template = properties["template"] as? [String: Any],
            let resources = template["resources"] as? [[String: Any]]
        else { return .json(400, ["error": ["code": "InvalidRequestContent", "message": "The request content was invalid: properties.template is missing."]]) }
        let parts = resource.split(separator: "/").map(String.init)
        let lower = parts.map { $0.lowercased() }
        var resourceGroup: String?
        if lower.count >= 4, lower[0] == "subscriptions", lower[2] == "resourcegroups" {
            guard parts[1] == subscriptionID else {
                return .json(404, ["error": ["code": "SubscriptionNotFound", "message": "The subscription '\(parts[1])' could not be found."]])
            }
            resourceGroup = parts[3]
        }
        var parameters: [String: Any] = [:]
        for (name, definition) in template["parameters"] as? [String: Any] ?? [:] {
            if let value = ((properties["parameters"] as? [String: Any])?[name] as? [String: Any])?["value"] {
                parameters[name] = value
            } else if let value = (definition as? [String: Any])?["defaultValue"] {
                parameters[name] = value
            } else {
                return .json(400, ["error": ["code": "InvalidTemplate", "message": "The value for the template parameter '\(name)' is not provided."]])
            }
        }
        let location = (body["location"] as? String) ?? "westeurope"
        let prefix = resourceGroup.map { "/subscriptions/\(subscriptionID)/resourceGroups/\($0)" } ?? ""
        func evaluate(_ value: Any) -> Any {
            if let text = value as? String { return Self.expression(text, parameters: parameters, location: location, prefix: prefix) }
            if let array = value as? [Any] { return array.map(evaluate) }
            if let object = value as? [String: Any] { return object.mapValues(evaluate) }
            return value
        }
        var created: [String] = []
        for item in resources {
            guard var resolved = evaluate(item) as? [String: Any], let type = resolved["type"] as? String,
                let name = resolved["name"] as? String
            else { continue }
            resolved["apiVersion"] = nil
            resolved["dependsOn"] = nil
            resolved["comments"] = nil
            switch type.lowercased() {
            case "microsoft.aadiam/diagnosticsettings":
                resolved["id"] = "/providers/microsoft.aadiam/diagnosticSettings/\(name)"
                upsert(SnapshotFile.diagnosticSettings.rawValue, resolved)
            case "microsoft.insights/scheduledqueryrules":
                resolved["id"] = "\(prefix)/providers/Microsoft.Insights/scheduledQueryRules/\(name)"
                upsert(SnapshotFile.alertRules.rawValue, resolved)
            default:
                resolved["id"] = "\(prefix)/providers/\(type)/\(name)"
            }
            created.append(resolved["id"] as? String ?? name)
        }
        return .json(201, [
            "id": "\(prefix)/providers/Microsoft.Resources/deployments/\(parts.last ?? "deployment")",
            "name": parts.last ?? "deployment",
            "properties": ["provisioningState": "Succeeded", "outputResources": created.map { ["id": $0] }] as [String: Any],
        ])
    }

    func upsert(_ name: String, _ item: [String: Any]) {
        var items = list(name)
        let id = (item["id"] as? String)?.lowercased()
        items.removeAll { ($0["id"] as? String)?.lowercased() == id }
        lists[name] = items + [item]
    }

    /// The ARM template expressions `export arm` writes: a whole-string `[parameters('x')]`, `[resourceGroup().location]`
    /// and `[resourceId('type', parameters('x'))]`; any other string is kept.
    static func expression(_ text: String, parameters: [String: Any], location: String, prefix: String) -> Any {
        guard text.hasPrefix("["), text.hasSuffix("]"), !text.hasPrefix("[[") else { return text }
        let inner = String(text.dropFirst().dropLast())
        if let match = inner.wholeMatch(of: /parameters\('([^']+)'\)/) { return parameters[String(match.output.1)] ?? text }
        if inner == "resourceGroup().location" { return location }
        if let match = inner.wholeMatch(of: /resourceId\('([^']+)',\s*parameters\('([^']+)'\)\)/) {
            let name = parameters[String(match.output.2)].map { "\($0)" } ?? ""
            return "\(prefix)/providers/\(match.output.1)/\(name)"
        }
        return text
    }

    // MARK: Key Vault

    /// `PUT {vault}/secrets/{name}?api-version=7.4` (Learn: Key Vault REST "Set Secret"): a new version each time;
    /// `GET {vault}/secrets/{name}[/{version}]` reads one back.
    func keyVault(_ method: String, resource: String, request: EmulatorRequest, grant: EmulatorGrant) -> EmulatorResponse {
        let parts = resource.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0].lowercased() == "secrets", request.query["api-version"] != nil else {
            return .json(400, ["error": ["code": "BadParameter", "message": "The request URI is not a secret request with an api-version."]])
        }
        let name = parts[1]
        guard name.wholeMatch(of: /[0-9a-zA-Z-]{1,127}/) != nil else {
            return .json(400, ["error": ["code": "BadParameter", "message": "The secret name must match ^[0-9a-zA-Z-]+$."]])
        }
        let key = name.lowercased()
        if method == "GET" {
            guard grant.hasAny(["*", "KeyVault.Secrets.Get"]) else { return Self.keyVaultForbidden("get") }
            let versions = secrets[key] ?? []
            let wanted = parts.count > 2 ? versions.first { ($0["id"] as? String)?.hasSuffix("/\(parts[2])") == true } : versions.last
            guard let bundle = wanted else {
                return .json(404, ["error": ["code": "SecretNotFound", "message": "A secret with (name/id) \(name) was not found in this key vault."]])
            }
            return .json(200, bundle)
        }
        guard method == "PUT" else { return .json(405, ["error": ["code": "BadParameter", "message": "Method not allowed."]]) }
        guard grant.hasAny(["*", "KeyVault.Secrets.Set"]) else { return Self.keyVaultForbidden("set") }
        guard let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any],
            let value = body["value"] as? String
        else { return .json(400, ["error": ["code": "BadParameter", "message": "Property value is required."]]) }
        let version = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let now = Int(Date().timeIntervalSince1970)
        var attributes = body["attributes"] as? [String: Any] ?? [:]
        attributes["enabled"] = attributes["enabled"] ?? true
        attributes["created"] = now
        attributes["updated"] = now
        attributes["recoveryLevel"] = "Recoverable+Purgeable"
        var bundle: [String: Any] = [
            "value": value, "id": "\(request.baseURL)/secrets/\(name)/\(version)", "attributes": attributes,
        ]
        if let type = body["contentType"] { bundle["contentType"] = type }
        if let tags = body["tags"] { bundle["tags"] = tags }
        secrets[key, default: []].append(bundle)
        return .json(200, bundle)
    }

    static func keyVaultForbidden(_ action: String) -> EmulatorResponse {
        .json(403, ["error": ["code": "Forbidden", "message": "The user, group or application does not have secrets \(action) permission on this key vault."]])
    }
}

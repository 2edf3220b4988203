import EntraModel
import Foundation

/// Who did an audited change and to what, from either shape an export gives it: Graph and Log Analytics nest it
/// (`initiatedBy.user`, `targetResources[]` — in a Log Analytics CSV as JSON text in the cell), the admin center's
/// CSV flattens it (`ActorObjectId`, `Target1ObjectId`, `Target1ModifiedProperty1Name`, …).
struct AuditFields {
    struct Target {
        var id: String?
        var type: String?
        var userPrincipalName: String?
        var displayName: String?
        /// Names of the modified properties.
        var modifiedProperties: [String] = []
        /// Old and new values of the modified properties (a group id can hide in `Group.ObjectID`).
        var values: [String] = []

        var name: String { userPrincipalName ?? displayName ?? id ?? "" }
    }

    var initiatorID: String?
    var initiatorUPN: String?
    var initiatorName: String?
    var initiatorIP: String?
    var targets: [Target] = []

    init(_ record: LogRecord) {
        if let initiatedBy = record.object("initiatedby") {
            initiatorID = initiatedBy.text("user", "id")
            initiatorUPN = initiatedBy.text("user", "userPrincipalName")
            initiatorIP = initiatedBy.text("user", "ipAddress") ?? initiatedBy.text("app", "ipAddress")
            let app = initiatedBy.text("app", "displayName")
            initiatorName = initiatorUPN ?? initiatedBy.text("user", "displayName") ?? app.map { "app \($0)" }
        } else {
            initiatorID = record.string("actorobjectid")
            initiatorUPN = record.string("actoruserprincipalname")
            initiatorIP = record.string("ipaddress")
            initiatorName = initiatorUPN ?? record.string("actordisplayname", "actorserviceprincipalname")
        }
        if let list = record.list("targetresources") {
            targets = list.compactMap { item in
                guard let object = item.parsedObject else { return nil }
                var target = Target(id: object.text("id"), type: object.text("type"),
                                    userPrincipalName: object.text("userPrincipalName"),
                                    displayName: object.text("displayName"))
                for property in object["modifiedProperties"]?.parsedList ?? [] {
                    if let name = property.text("displayName") { target.modifiedProperties.append(name) }
                    target.values += [property.text("oldValue"), property.text("newValue")].compactMap { $0 }
                }
                return target
            }
        } else {
            var index = 1
            while index < 100 {
                let prefix = "target\(index)"
                let fields = ["type", "objectid", "userprincipalname", "displayname"].map { record.string(prefix + $0) }
                guard fields.contains(where: { $0 != nil }) || record.string(prefix + "modifiedproperty1name") != nil else { break }
                var target = Target(id: fields[1], type: fields[0], userPrincipalName: fields[2], displayName: fields[3])
                var property = 1
                while let name = record.string("\(prefix)modifiedproperty\(property)name") {
                    target.modifiedProperties.append(name)
                    target.values += [record.string("\(prefix)modifiedproperty\(property)oldvalue"),
                                      record.string("\(prefix)modifiedproperty\(property)newvalue")].compactMap { $0 }
                    property += 1
                }
                targets.append(target)
                index += 1
            }
        }
    }
}

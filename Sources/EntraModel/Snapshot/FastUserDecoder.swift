import Foundation

/// Reads users.json without `Codable`: at 200,000 users `JSONDecoder` spends seconds where this spends a fraction.
/// It accepts the shapes the reader accepts (a `value` list or a bare array); anything it does not expect — a type
/// mismatch, an unparseable date, an escape in a key, a single object — returns nil, and the caller decodes with
/// `JSONDecoder`, which either succeeds or names the file and JSON path of the problem.
enum FastUserDecoder {
    static func decode(_ data: Data) -> [User]? {
        data.withUnsafeBytes { raw -> [User]? in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return nil }
            var json = FastJSON(base: base, count: raw.count)
            var users: [User] = []
            users.reserveCapacity(raw.count / 400)
            let element: (inout FastJSON) -> Bool = { json in
                guard let user = Self.user(&json) else { return false }
                users.append(user)
                return true
            }
            return json.graphList(element) ? users : nil
        }
    }

    private static func optionalString(_ json: inout FastJSON, into field: inout String?) -> Bool {
        if json.consumeNull() { return true }
        guard let value = json.string() else { return false }
        field = value
        return true
    }

    private static func optionalBool(_ json: inout FastJSON, into field: inout Bool?) -> Bool {
        if json.consumeNull() { return true }
        guard let value = json.bool() else { return false }
        field = value
        return true
    }

    private static func optionalDate(_ json: inout FastJSON, into field: inout Date?) -> Bool {
        if json.consumeNull() { return true }
        guard let text = json.string(), let date = GraphDate.parse(text) else { return false }
        field = date
        return true
    }

    private static func user(_ json: inout FastJSON) -> User? {
        var id: String?
        var user = User(id: "", userType: nil, accountEnabled: nil)
        let ok = json.object { json, key in
            switch key.count {
            case 2 where json.equals(key, "id"): return optionalString(&json, into: &id)
            case 4 where json.equals(key, "mail"): return optionalString(&json, into: &user.mail)
            case 8 where json.equals(key, "userType"): return optionalString(&json, into: &user.userType)
            case 11 where json.equals(key, "displayName"): return optionalString(&json, into: &user.displayName)
            case 12 where json.equals(key, "creationType"): return optionalString(&json, into: &user.creationType)
            case 14 where json.equals(key, "accountEnabled"): return optionalBool(&json, into: &user.accountEnabled)
            case 14 where json.equals(key, "signInActivity"): return signInActivity(&json, into: &user)
            case 15 where json.equals(key, "createdDateTime"): return optionalDate(&json, into: &user.createdDateTime)
            case 16 where json.equals(key, "passwordPolicies"): return optionalString(&json, into: &user.passwordPolicies)
            case 16 where json.equals(key, "assignedLicenses"): return licences(&json, into: &user)
            case 17 where json.equals(key, "authorizationInfo"): return authorizationInfo(&json, into: &user)
            case 17 where json.equals(key, "userPrincipalName"): return optionalString(&json, into: &user.userPrincipalName)
            case 17 where json.equals(key, "externalUserState"): return optionalString(&json, into: &user.externalUserState)
            case 21 where json.equals(key, "onPremisesSyncEnabled"): return optionalBool(&json, into: &user.onPremisesSyncEnabled)
            case 21 where json.equals(key, "onPremisesImmutableId"): return optionalString(&json, into: &user.onPremisesImmutableId)
            case 26 where json.equals(key, "lastPasswordChangeDateTime"):
                return optionalDate(&json, into: &user.lastPasswordChangeDateTime)
            default: return json.skipValue()
            }
        }
        guard ok, let id else { return nil }
        user.id = id
        return user
    }

    private static func signInActivity(_ json: inout FastJSON, into user: inout User) -> Bool {
        if json.consumeNull() { return true }
        var activity = User.SignInActivity()
        let ok = json.object { json, key in
            if json.equals(key, "lastSignInDateTime") { return optionalDate(&json, into: &activity.lastSignInDateTime) }
            if json.equals(key, "lastNonInteractiveSignInDateTime") {
                return optionalDate(&json, into: &activity.lastNonInteractiveSignInDateTime)
            }
            if json.equals(key, "lastSuccessfulSignInDateTime") {
                return optionalDate(&json, into: &activity.lastSuccessfulSignInDateTime)
            }
            return json.skipValue()
        }
        user.signInActivity = activity
        return ok
    }

    private static func authorizationInfo(_ json: inout FastJSON, into user: inout User) -> Bool {
        if json.consumeNull() { return true }
        var ids: [String]?
        let ok = json.object { json, key in
            guard json.equals(key, "certificateUserIds") else { return json.skipValue() }
            if json.consumeNull() { return true }
            var list: [String] = []
            let ok = json.array { json in
                guard let id = json.string() else { return false }
                list.append(id)
                return true
            }
            ids = list
            return ok
        }
        user.authorizationInfo = User.AuthorizationInfo(certificateUserIds: ids)
        return ok
    }

    private static func licences(_ json: inout FastJSON, into user: inout User) -> Bool {
        if json.consumeNull() { return true }
        var licences: [User.AssignedLicense] = []
        let ok = json.array { json in
            var skuID: String?
            var disabled: [String]?
            let ok = json.object { json, key in
                if json.equals(key, "skuId") { return optionalString(&json, into: &skuID) }
                if json.equals(key, "disabledPlans") {
                    if json.consumeNull() { return true }
                    var plans: [String] = []
                    let ok = json.array { json in
                        guard let plan = json.string() else { return false }
                        plans.append(plan)
                        return true
                    }
                    disabled = plans
                    return ok
                }
                return json.skipValue()
            }
            licences.append(User.AssignedLicense(skuId: skuID, disabledPlans: disabled))
            return ok
        }
        user.assignedLicenses = licences
        return ok
    }
}

import AccessPolicy
import EntraModel
import Foundation

/// Finds likely emergency accounts when the configuration declares none (BG001): accounts named like one
/// (break-glass, breakglass, emergency, bg-N) and cloud-only permanent Global Administrators that no enabled policy
/// applies to.
struct Discovery: Sendable {
    let directory: Directory
    let evaluator: Evaluator
    let now: Date

    func candidates() -> [User] {
        let globalAdmins = directory.activeHolders(ofRole: WellKnownRole.globalAdministrator, at: now)
        let enabled = directory.snapshot.policies.filter(\.isEnabled)
        // Both scans run on every core: a million names, and thousands of administrators each in thousands of groups.
        let users = directory.users
        let named = concurrentMap(count: users.count) { Self.isNamedLikeEmergencyAccount(users[$0]) }
        var found = users.indices.filter { named[$0] }.map { users[$0] }
        let admins = globalAdmins.filter { !$0.isSynchronized && !found.contains($0) }
        let untouchedPermanent = concurrentMap(count: admins.count) { index in
            let user = admins[index]
            // Untouched first: one walk over the user's groups answers every policy, and most administrators are
            // covered by some policy, so their roles need no second walk.
            let untouched = !enabled.isEmpty && evaluator.mayApply(enabled, toUser: user.id).allSatisfy { !$0.applies }
            guard untouched else { return false }
            return directory.activeRoles(of: user.id, at: now).contains {
                $0.roleTemplateID == WellKnownRole.globalAdministrator && $0.endDateTime == nil
            }
        }
        found += admins.indices.filter { untouchedPermanent[$0] }.map { admins[$0] }
        return Directory.sortedByName(found)
    }

    static func isNamedLikeEmergencyAccount(_ user: User) -> Bool {
        let upn = user.userPrincipalName ?? ""
        let displayName = user.displayName ?? ""
        if upn.utf8.allSatisfy({ $0 < 0x80 }) && displayName.utf8.allSatisfy({ $0 < 0x80 }) {
            return isEmergencyNameASCII(localPart(upn).utf8) || isEmergencyNameASCII(displayName.utf8)
        }
        let local = Directory.normalized(String(localPart(upn)))
        let display = Directory.normalized(user.displayName ?? "")
        for text in [local, display] {
            let squashed = lettersAndDigits(text)
            if contains(squashed, breakGlass) || contains(squashed, emergencyAccess) || squashed.starts(with: emergency) {
                return true
            }
            if isNumberedBG(text) { return true }
        }
        return false
    }

    /// The rules of `isNamedLikeEmergencyAccount` for one ASCII name, on its bytes, lowered as they are read: no
    /// lowered copy or string is made (on a million users the allocations were most of the scan).
    static func isEmergencyNameASCII<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        func lowered(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 32 : byte }
        // `bg`, an optional separator, then digits only.
        var iterator = bytes.makeIterator()
        if iterator.next().map(lowered) == 0x62, iterator.next().map(lowered) == 0x67 {
            var digits = 0
            var next = iterator.next()
            if let separator = next, separator == 0x2D || separator == 0x5F || separator == 0x2E { next = iterator.next() }
            while let byte = next, (0x30...0x39).contains(byte) {
                digits += 1
                next = iterator.next()
            }
            if next == nil && digits > 0 { return true }
        }
        // The letters and digits, matched against the patterns as they stream by.
        var squashed: [UInt8] = []
        squashed.reserveCapacity(bytes.count)
        for byte in bytes {
            let byte = lowered(byte)
            if (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) { squashed.append(byte) }
        }
        return contains(squashed, breakGlass) || contains(squashed, emergencyAccess) || squashed.starts(with: emergency)
    }

    /// The UPN's first non-empty part between `@`s, as `split(separator: "@").first` gives it: by bytes for ASCII
    /// text, by characters otherwise (an `@` followed by a combining mark is not a separator).
    static func localPart(_ upn: String) -> Substring {
        guard upn.utf8.allSatisfy({ $0 < 0x80 }) else { return upn.split(separator: "@").first ?? "" }
        let utf8 = upn.utf8
        guard let start = utf8.firstIndex(where: { $0 != 0x40 }) else { return "" }
        return upn[start..<(utf8[start...].firstIndex(of: 0x40) ?? utf8.endIndex)]
    }

    private static let breakGlass = Array("breakglass".utf8)
    private static let emergencyAccess = Array("emergencyaccess".utf8)
    private static let emergency = Array("emergency".utf8)

    /// Whether `needle` occurs in `bytes` (names are short: a plain scan beats a generic searcher set up per call).
    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in bytes[start..<(start + needle.count)].elementsEqual(needle) }
    }

    /// The letters and digits of `text`, a byte per character: an ASCII one as itself, any other as 0xFF (the
    /// patterns are ASCII, so it never matches one of theirs). ASCII names — nearly all — skip the per-character
    /// Unicode work, which on a million users was most of discovery.
    static func lettersAndDigits(_ text: String) -> [UInt8] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.compactMap { character in
                guard character.isLetter || character.isNumber else { return nil }
                return character.asciiValue ?? 0xFF
            }
        }
        return text.utf8.filter { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) }
    }

    /// Whether the (lowered) name matches `^bg[-_.]?\d+$` — bg01, bg-2, bg_3, bg.4 — without compiling a regular
    /// expression per user (`\d` is a Unicode decimal digit, as in ICU's expressions).
    static func isNumberedBG(_ text: String) -> Bool {
        var rest = text.unicodeScalars[...]
        guard rest.starts(with: "bg".unicodeScalars) else { return false }
        rest = rest.dropFirst(2)
        if let separator = rest.first, separator == "-" || separator == "_" || separator == "." { rest = rest.dropFirst() }
        return !rest.isEmpty && rest.allSatisfy { $0.properties.numericType == .decimal }
    }
}

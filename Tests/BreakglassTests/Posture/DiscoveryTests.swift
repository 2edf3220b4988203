import EntraModel
import Foundation
import PropertyBased
import Testing

@testable import Posture

/// Discovery names candidates by pattern. It used to compile `^bg[-_.]?\d+$` once per user (80 s for a
/// million-user audit without a configuration); the hand-written match must answer as that expression did.
@Suite("Discovery")
struct DiscoveryTests {
    /// The pieces random names are made of: near-misses of every branch, Unicode digits (Arabic-Indic three is a
    /// decimal digit, superscript two is not), letters in both cases, a combining accent.
    private static let pieces = ["bg", "BG", "Bg", "b", "g", "-", "_", ".", " ", "0", "7", "42", "\u{663}", "\u{B2}",
                                 "x", "é", "E\u{301}", "break", "glass", "Break-Glass", "emergency", "Access", "@",
                                 "EMERGENCY", "admin", "ß", "\u{301}", "@@"]

    /// The rules as they were written before, regular expression and all: the independent model.
    private static func modelIsNamedLikeEmergencyAccount(_ user: User) -> Bool {
        let local = (user.userPrincipalName ?? "").split(separator: "@").first.map { $0.lowercased() } ?? ""
        let display = (user.displayName ?? "").lowercased()
        for text in [local, display] {
            let squashed = text.filter { $0.isLetter || $0.isNumber }
            if squashed.contains("breakglass") || squashed.contains("emergencyaccess") || squashed.hasPrefix("emergency") {
                return true
            }
            if text.range(of: #"^bg[-_.]?\d+$"#, options: .regularExpression) != nil { return true }
        }
        return false
    }

    private static func randomName(_ random: inout Xoshiro) -> String {
        (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    @Test func namesMatchAsTheRegularExpressionDid() {
        var random = custodySeededRandom(0x0B61_A55)
        var named = 0
        for _ in 0..<5_000 {
            let upn = Self.randomName(&random) + (Bool.random(using: &random) ? "@fabrikam.com" : "")
            let display = Self.randomName(&random)
            let user = User(id: "u", displayName: display, userPrincipalName: upn)
            let expected = Self.modelIsNamedLikeEmergencyAccount(user)
            #expect(Discovery.isNamedLikeEmergencyAccount(user) == expected,
                    "upn \(upn.debugDescription), display \(display.debugDescription)")
            if expected { named += 1 }
        }
        // Both answers must be common, or the comparison shows little.
        #expect((250...4_750).contains(named), "\(named) of 5,000 named like an emergency account")
    }

    @Test("Numbered names", arguments: [
        ("bg01", true), ("bg-2", true), ("bg_3", true), ("bg.4", true), ("BG-05", true), ("bg\u{663}", true),
        ("bg", false), ("bg-", false), ("bg--1", false), ("bg\u{B2}", false), ("xbg1", false), ("bg1x", false),
        ("bg 1", false),
    ])
    func numberedNames(name: String, expected: Bool) {
        #expect(Discovery.isNamedLikeEmergencyAccount(User(id: "u", userPrincipalName: name + "@fabrikam.com")) == expected)
    }
}

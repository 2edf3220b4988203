import Foundation
import Testing

@testable import Custody

@Suite("Custody share sheets and secret files")
struct CustodyShareSheetTests {
    let created = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    @Test func sheetNamesCustodianSetAndQuorumAndReadsBack() throws {
        let share = try Shamir.split(Secret(utf8: "sheet secret"), threshold: 3, shares: 5)[1]
        let sheet = ShareSheet(share: share, custodian: "Alice Example", createdAt: created)
        let text = sheet.render()
        #expect(text.contains("Custodian:  Alice Example"))
        #expect(text.contains("Set:        \(share.setID)"))
        #expect(text.contains("Share:      2 of 5; any 3 shares of this set recover the secret"))
        #expect(text.contains("Created:    2026-01-01T00:00:00Z"))
        #expect(text.contains("THE DAY IT IS NEEDED"))
        #expect(text.allSatisfy { $0.isASCII })
        #expect(try Share(text: text).encoded() == share.encoded())
        #expect(sheet.fileName == "share-\(share.setID.description.replacingOccurrences(of: "-", with: ""))-2-of-5.txt")
    }

    @Test func aCustodianNameCannotAddLinesToTheSheet() throws {
        let share = try Shamir.split(Secret(utf8: "x"), threshold: 2, shares: 2)[0]
        let text = ShareSheet(share: share, custodian: "Mallory\n\(ShareText.beginMarker)", createdAt: created).render()
        #expect(text.contains("Custodian:  Mallory?\(ShareText.beginMarker)"))
        #expect(try Share(text: text).encoded() == share.encoded())
    }

    @Test func sheetsAreWrittenOwnerOnlyAndNeverReplaced() throws {
        let directory = try CustodyTemporaryDirectory()
        let share = try Shamir.split(Secret(utf8: "file secret"), threshold: 2, shares: 2)[0]
        let sheet = ShareSheet(share: share, custodian: nil, createdAt: created)
        let path = try sheet.write(into: directory.path)

        #expect(try directory.permissions(of: path) == 0o600)
        #expect(try ShareSheet.readShare(atPath: path).encoded() == share.encoded())
        #expect(throws: CustodyError.fileExists(path: path)) { try sheet.write(into: directory.path) }
        // Nothing but the sheet is left behind: no temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [sheet.fileName])
    }

    @Test func secretFilesAreOwnerOnlyFoldersOwnerOnly() throws {
        let directory = try CustodyTemporaryDirectory()
        let folder = directory.path + "/nested/out"
        try SecretFile.createDirectory(atPath: folder)
        #expect(try directory.permissions(of: folder) == 0o700)
        let path = folder + "/password.txt"
        try SecretFile.create(atPath: path, containing: Secret(utf8: "p@ss"))
        #expect(try directory.permissions(of: path) == 0o600)
        #expect(try SecretFile.readText(atPath: path) == "p@ss")
    }

    @Test func secretsRedactThemselves() {
        let secret = Secret(utf8: "hunter2-is-not-a-password")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(secret.description == "<redacted>")
        #expect(secret.debugDescription == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(!dumped.contains("hunter2"))
        #expect(Secret(utf8: "a") != Secret(utf8: "b"))
        #expect(Secret(utf8: "a") != Secret(utf8: "aa"))
    }

    @Test func takingBytesWipesTheSource() {
        var bytes = Array("p@ssw0rd".utf8)
        let secret = Secret(wiping: &bytes)
        #expect(bytes == [UInt8](repeating: 0, count: 8))
        #expect(secret == Secret(utf8: "p@ssw0rd"))
    }
}

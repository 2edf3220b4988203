import Foundation

/// One share as a text file meant to be printed, sealed in an envelope and handed to its custodian.
///
/// Everything outside the BEGIN/END block is for people; reading a sheet back uses only that block, whose
/// lines carry their own checks (``ShareText``). Sheets are plain ASCII so any printer and any editor cope.
public struct ShareSheet: Sendable {
    public var share: Share
    public var custodian: String?
    public var createdAt: Date

    public init(share: Share, custodian: String?, createdAt: Date) {
        self.share = share
        self.custodian = custodian
        self.createdAt = createdAt
    }

    /// `share-3F9A21C4-2-of-5.txt`.
    public var fileName: String {
        "share-\(share.setID.description.filter { $0 != "-" })-\(share.index)-of-\(share.shareCount).txt"
    }

    public func render() -> String {
        let k = share.threshold
        let n = share.shareCount
        let custodianLine = custodian.map(Self.printable) ?? "(not named)"
        let created = createdAt.formatted(.iso8601)
        return """
            BREAKGLASS EMERGENCY ACCESS - SECRET SHARE
            ==========================================
            Custodian:  \(custodianLine)
            Set:        \(share.setID)
            Share:      \(share.index) of \(n); any \(k) shares of this set recover the secret
            Created:    \(created)
            Format:     breakglass share version \(Share.formatVersion)

            This sheet is one part of an emergency-access password. On its own it reveals
            nothing, but \(k) sheets of set \(share.setID) together reveal the password.
            Keep it sealed, offline and apart from the other sheets. Do not photograph,
            scan, email or copy it. If it is lost or seen by anyone, tell the owner of the
            emergency accounts: the password must then be changed and split again.

            \(ShareText.lines(for: share).joined(separator: "\n"))

            THE DAY IT IS NEEDED
            1. Meet the other custodians: \(k) of the \(n) sheets of set \(share.setID) are
               needed. Sheets of any other set will not work and are refused.
            2. On a trusted computer with breakglass, save each sheet as a text file, or
               type in the lines between BEGIN and END: each line starts with its number
               and ends with a check character. Case does not matter; O is read as 0 and
               I or L as 1. A typing mistake is reported with its line number.
            3. Recover the password into a file only you can read, and record it in the
               custody ledger:
                 breakglass custody combine SHEET1 SHEET2 ... --out password.txt --ledger LEDGER
            4. Sign in with the emergency account and do only what the emergency needs.
            5. Afterwards the password MUST be changed by two people (breakglass password
               generate, reset it in the Entra admin center) and split into a new set
               (breakglass custody split). Then destroy every sheet of set \(share.setID),
               this one included.

            """
    }

    /// Writes the sheet into `directory` under ``fileName`` with mode 0600, never replacing a file.
    /// Returns the path written.
    @discardableResult
    public func write(into directory: String) throws -> String {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        try SecretFile.create(atPath: path, containing: Secret(utf8: render()))
        return path
    }

    /// Reads the share from a sheet file (or a file of typed-in share lines).
    public static func readShare(atPath path: String) throws -> Share {
        try Share(text: SecretFile.readText(atPath: path))
    }

    /// A custodian name on one line of printable ASCII, so no name can forge lines of the sheet.
    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? Character($0) : "?" })
    }
}

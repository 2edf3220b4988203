import PropertyBased
import Testing

@testable import Custody

@Suite("Custody share text")
struct CustodyShareTextTests {
    @Test func textRoundTripsAndLinesAreShortGroupsWithACheck() throws {
        let shares = try Shamir.split(Secret(utf8: String(repeating: "Pa55-word!", count: 4)), threshold: 2, shares: 3)
        for share in shares {
            let decoded = try Share(text: share.text)
            #expect(decoded.encoded() == share.encoded())
        }
        let lines = ShareText.lines(for: shares[0])
        #expect(lines.first == ShareText.beginMarker && lines.last == ShareText.endMarker)
        for line in lines.dropFirst().dropLast() {
            let tokens = line.split(separator: " ")
            #expect(tokens.count >= 3 && tokens.count <= 7)
            #expect(tokens.dropFirst().dropLast().allSatisfy { $0.count <= 4 })
            #expect(tokens.last?.count == 1)
        }
    }

    /// Any one character of a line changed to any other share character is caught, and the line is named.
    @Test func oneChangedCharacterIsCaughtOnItsLine() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 1...96), Gen.uint64()) { secretLength, seed in
            var random = custodySeededRandom(seed)
            let shares = try Shamir.split(
                custodyRandomSecret(length: secretLength, using: &random), threshold: 2, shares: 2
            )
            var lines = ShareText.lines(for: shares[0])
            let lineIndex = Int.random(in: 1..<(lines.count - 1), using: &random)
            var characters = Array(lines[lineIndex])
            let positions = characters.indices.filter { $0 >= 4 && characters[$0] != " " }  // after "NN  "
            let position = try #require(positions.randomElement(using: &random))
            let original = try #require(ShareText.symbol(for: characters[position].asciiValue ?? 0))
            let replacement = (original + UInt8.random(in: 1...31, using: &random)) & 31
            characters[position] = Character(Unicode.Scalar(ShareText.character(for: replacement)))
            lines[lineIndex] = String(characters)

            #expect(throws: CustodyError.shareLineCheckFailed(line: lineIndex)) {
                try Share(text: lines.joined(separator: "\n"))
            }
        }
    }

    @Test func swappedNeighboursAreCaught() throws {
        let share = try Shamir.split(Secret(utf8: "neighbours"), threshold: 2, shares: 2)[0]
        var lines = ShareText.lines(for: share)
        var characters = Array(lines[1])
        let swap = try #require(
            (4..<characters.count - 3).first { i in
                characters[i] != " " && characters[i + 1] != " " && characters[i] != characters[i + 1]
            })
        characters.swapAt(swap, swap + 1)
        lines[1] = String(characters)
        #expect(throws: CustodyError.shareLineCheckFailed(line: 1)) { try Share(text: lines.joined(separator: "\n")) }
    }

    @Test func readersMayTypeLowerCaseAndLookAlikes() throws {
        let share = try Shamir.split(Secret(utf8: "look-alikes"), threshold: 2, shares: 2)[1]
        let typed = ShareText.lines(for: share).dropFirst().dropLast().map { line in
            let number = line.prefix(2)
            let rest = line.dropFirst(2).lowercased().map { $0 == "0" ? "o" : $0 == "1" ? "l" : $0 }
            return "   " + number + String(rest).replacingOccurrences(of: "  ", with: " ") + "  "
        }
        let decoded = try Share(text: "# typed in by hand\n" + typed.joined(separator: "\n") + "\n\n")
        #expect(decoded.encoded() == share.encoded())
    }

    @Test func aMissingOrRepeatedLineIsNamed() throws {
        let share = try Shamir.split(Secret(utf8: String(repeating: "x", count: 40)), threshold: 2, shares: 2)[0]
        let lines = ShareText.lines(for: share)
        try #require(lines.count >= 5)
        var missing = lines
        missing.remove(at: 2)
        #expect(throws: CustodyError.missingShareLine(2)) { try Share(text: missing.joined(separator: "\n")) }

        var lastMissing = lines
        lastMissing.remove(at: lines.count - 2)
        let incomplete = CustodyError.malformedShare(
            "it is incomplete: check that every line was typed, the last one included"
        )
        #expect {
            try Share(text: lastMissing.joined(separator: "\n"))
        } throws: { error in
            [incomplete, .shareChecksumMismatch].contains(error as? CustodyError)
        }

        #expect(
            throws: CustodyError.malformedShare("it has a BEGIN line but no END line: part of the sheet is missing")
        ) {
            try Share(text: lines.dropLast().joined(separator: "\n"))
        }

        var repeated = lines
        repeated.insert(lines[1], at: 2)
        #expect(throws: CustodyError.malformedShare("line 1 appears twice or out of order")) {
            try Share(text: repeated.joined(separator: "\n"))
        }
    }

    @Test func aDamagedBinaryShareFailsItsChecksum() throws {
        var bytes = try Shamir.split(Secret(utf8: "binary"), threshold: 2, shares: 2)[0].encoded()
        bytes[12] ^= 0x01
        #expect(throws: CustodyError.shareChecksumMismatch) { try Share(encoded: bytes) }
    }

    @Test func anotherFormatVersionIsNamed() throws {
        var body = Array(try Shamir.split(Secret(utf8: "v2"), threshold: 2, shares: 2)[0].encoded().dropLast(4))
        body[0] = 2
        #expect(throws: CustodyError.unsupportedShareVersion(2)) { try Share(encoded: body + Share.checksum(of: body)) }
    }

    @Test func characterMappingCoversTheAlphabet() {
        for value in UInt8(0)..<32 {
            #expect(ShareText.symbol(for: ShareText.character(for: value)) == value)
        }
        #expect(ShareText.symbol(for: UInt8(ascii: "U")) == nil)
        #expect(ShareText.symbol(for: UInt8(ascii: "-")) == nil)
    }
}

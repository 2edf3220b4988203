import Foundation
import PropertyBased
import Testing

@testable import EntraModel

/// The id index answers as a dictionary of normalized ids would: the flat GUID table, its growth and its hash are
/// checked against `Dictionary` on random, sequential and repeated ids, in either letter case.
@Suite("ID index")
struct IDIndexTests {
    private static func guid(_ value: UInt64, _ high: UInt64, upper: Bool) -> String {
        let text = String(format: "%08llx-%04llx-4000-8000-%012llx", high & 0xFFFF_FFFF, (high >> 32) & 0xFFFF, value & 0xFFFF_FFFF_FFFF)
        return upper ? text.uppercased() : text
    }

    @Test func answersAsADictionaryOfNormalizedIDs() async {
        await propertyCheck(count: 40, input: Gen.uint64(), Gen.int(in: 0...3_000), Gen.int(in: 0...2_000)) { seed, inserts, start in
            var random = custodySeededRandom(seed)
            // Small starting capacity: the table grows several times on the way.
            var index = IDIndex(minimumCapacity: start % 3 == 0 ? 0 : start)
            var model: [String: Int] = [:]
            var ids: [String] = []
            for value in 0..<inserts {
                let id: String
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<4: id = Self.guid(UInt64(value), 0x6100_0000, upper: false)  // sequential, as generators make them
                case 4..<8: id = Self.guid(random.next(), random.next(), upper: Bool.random(using: &random))
                case 8: id = ids.randomElement(using: &random).map { Bool.random(using: &random) ? $0.uppercased() : $0 } ?? "x"
                default: id = "not-a-guid-\(Int.random(in: 0..<50, using: &random))"
                }
                ids.append(id)
                let expected = model[Directory.normalized(id)] ?? value
                model[Directory.normalized(id)] = expected
                #expect(index.insertIfAbsent(id, value) == expected, "\(id)")
            }
            for id in ids.shuffled(using: &random).prefix(500) {
                #expect(index[id] == model[Directory.normalized(id)], "\(id)")
                #expect(index[id.uppercased()] == model[Directory.normalized(id)], "\(id) in capitals")
            }
            #expect(index[Self.guid(random.next(), 0x7700_0000, upper: false)] == nil)
        }
    }
}

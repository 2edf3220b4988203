import Foundation

/// Graph's date-times: `2025-03-01T08:15:00Z`, with up to 7 fractional digits, or an offset (`+01:00`).
/// Parsed by hand: Foundation's ISO 8601 formatter rejects 7 digits on some platforms and is slow at scale.
public enum GraphDate {
    public static func parse(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)
        guard utf8.count >= 10 else { return nil }
        if utf8.count == 10 { utf8 += Array("T00:00:00Z".utf8) }
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= utf8.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = utf8[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < utf8.count, characters.utf8.contains(utf8[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt "), let hour = number(2), expect(":"), let minute = number(2)
        else { return nil }
        var second = 0
        var fraction = 0.0
        if expect(":") {
            guard let value = number(2) else { return nil }
            second = value
            if expect(".,") {
                var scale = 0.1
                while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                    fraction += Double(utf8[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
        }
        var offset = 0
        if index < utf8.count {
            if expect("Zz") {
            } else if utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
                let sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let hours = number(2) else { return nil }
                _ = expect(":")
                let minutes = number(2) ?? 0
                offset = sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
        }
        guard index == utf8.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

extension JSONDecoder {
    /// A decoder for Graph and ARM JSON.
    public static func graph() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = GraphDate.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 date-time, found \"\(text.prefix(40))\"")
            }
            return date
        }
        return decoder
    }
}

/// A hand-written ISO-8601 / RFC 3339 reader for event timestamps.
///
/// `ISO8601DateFormatter` accepts either fractional seconds or none (two formatters, tried in turn), allocates per
/// call and rejects the space separator and offset-less times that exported logs often carry; an import of ten
/// million rows calls this once per row, so it reads the UTF-8 bytes directly.
///
/// Accepted: `YYYY-MM-DD`, optionally followed by `T` or a space, `hh:mm[:ss[.fraction]]`, and an offset `Z`,
/// `±hh:mm`, `±hhmm` or `±hh`. A time without an offset is read as UTC (documented; exports of local time should
/// carry their offset).
enum ISO8601Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z (fraction kept), or `nil` when `text` is not such a date.
    static func seconds(_ text: Substring.UTF8View) -> Double? {
        var reader = DigitReader(bytes: Array(text))
        guard let year = reader.number(digits: 4), reader.skip(UInt8(ascii: "-")),
            let month = reader.number(digits: 2), reader.skip(UInt8(ascii: "-")),
            let day = reader.number(digits: 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = Double(daysSinceEpoch(year: year, month: month, day: day)) * 86_400
        if reader.atEnd { return seconds }
        guard reader.skip(UInt8(ascii: "T")) || reader.skip(UInt8(ascii: "t")) || reader.skip(UInt8(ascii: " ")),
            let hour = reader.number(digits: 2), reader.skip(UInt8(ascii: ":")),
            let minute = reader.number(digits: 2), hour < 24, minute < 60
        else { return nil }
        var second = 0
        var fraction = 0.0
        if reader.skip(UInt8(ascii: ":")) {
            // 60 is a leap second; Unix time has none, so it counts as the next second.
            guard let value = reader.number(digits: 2), value <= 60 else { return nil }
            second = value
            if reader.skip(UInt8(ascii: ".")) || reader.skip(UInt8(ascii: ",")) {
                guard let value = reader.fraction() else { return nil }
                fraction = value
            }
        }
        seconds += Double(hour * 3600 + minute * 60 + second) + fraction
        if reader.atEnd { return seconds }
        if reader.skip(UInt8(ascii: "Z")) || reader.skip(UInt8(ascii: "z")) { return reader.atEnd ? seconds : nil }
        let sign: Double
        if reader.skip(UInt8(ascii: "+")) {
            sign = 1
        } else if reader.skip(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let offsetHours = reader.number(digits: 2), offsetHours < 24 else { return nil }
        var offsetMinutes = 0
        if !reader.atEnd {
            _ = reader.skip(UInt8(ascii: ":"))
            guard let value = reader.number(digits: 2), value < 60 else { return nil }
            offsetMinutes = value
        }
        guard reader.atEnd else { return nil }
        // 10:00+02:00 is 08:00Z: the offset is subtracted.
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A cursor over ASCII bytes that reads fixed-width numbers.
private struct DigitReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += digits
        return value
    }

    /// One or more digits after the decimal mark, as a fraction of a second.
    mutating func fraction() -> Double? {
        var value = 0.0
        var scale = 0.1
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value += Double(bytes[index] - UInt8(ascii: "0")) * scale
            scale /= 10
            index += 1
        }
        return index > start ? value : nil
    }
}

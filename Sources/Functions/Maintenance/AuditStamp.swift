import Foundation

/// The time an audit record's key carries, so retention ages audit records by when they happened rather than by
/// when the object was last written.
///
/// Every writer of `audit/` stamps the last key segment: `20260101T020000Z-<hash>-<action>.json` (erasures),
/// `20260101020000-g3.json` (deployments, shadows, experiments: ISO 8601 with only its digits kept),
/// `train-20260101020000-1a2b.json` (training runs). The first run of 8 digits, an optional `T`, and 6 digits is
/// read as UTC `yyyymmdd hhmmss`.
enum AuditStamp {
    /// The time in `key`'s last segment, or `nil` when it carries none.
    static func date(inKey key: String) -> Date? {
        let name = Array((key.split(separator: "/").last ?? "").utf8)
        var start = 0
        while start + 14 <= name.count {
            if start == 0 || !isDigit(name[start - 1]), let date = parse(name, at: start) { return date }
            start += 1
        }
        return nil
    }

    private static func parse(_ bytes: [UInt8], at start: Int) -> Date? {
        guard let day = number(bytes, start, 8) else { return nil }
        var timeStart = start + 8
        if timeStart < bytes.count, bytes[timeStart] == UInt8(ascii: "T") { timeStart += 1 }
        guard let time = number(bytes, timeStart, 6) else { return nil }
        let end = timeStart + 6
        guard end == bytes.count || !isDigit(bytes[end]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: day / 10_000, month: day / 100 % 100, day: day % 100,
            hour: time / 10_000, minute: time / 100 % 100, second: time % 100)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

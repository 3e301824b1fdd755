import Foundation

/// Request ids: time-ordered UUIDv7 (RFC 9562), so traces can be found by time without a scan.
public enum RequestID {
    /// A new UUIDv7 for `date`: 48 bits of Unix milliseconds, version 7, 74 random bits.
    public static func generate(at date: Date = Date()) -> String {
        var generator = PooledSystemRandom()
        return generate(at: date, using: &generator)
    }

    /// A new UUIDv7 for `date` from the given random source (tests pass a seeded one).
    public static func generate(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index)))
        }
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        for index in 6..<16 {
            let source = index < 14 ? random.0 >> (8 * (index - 6)) : random.1 >> (8 * (index - 14))
            bytes[index] = UInt8(truncatingIfNeeded: source)
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return format(bytes)
    }

    /// Whether `text` is a canonical lower- or upper-case UUID of any version.
    public static func isUUID(_ text: String) -> Bool {
        parse(text) != nil
    }

    /// The creation time of a UUIDv7, or `nil` when `text` is not one.
    public static func timestamp(of text: String) -> Date? {
        guard let bytes = parse(text), bytes[6] >> 4 == 7 else { return nil }
        let millis = bytes[0..<6].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// Whether a caller-supplied `X-Request-Id` is safe to adopt: printable ASCII without spaces, 1–128 characters.
    public static func isAcceptable(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private static func parse(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < 36 {
            if [8, 13, 18, 23].contains(index) {
                guard utf8[index] == UInt8(ascii: "-") else { return nil }
                index += 1
                continue
            }
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lower case, written straight into the string's storage.
    private static func format(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: 36) { text in
            var offset = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[offset] = UInt8(ascii: "-")
                    offset += 1
                }
                text[offset] = hexDigits[Int(byte >> 4)]
                text[offset + 1] = hexDigits[Int(byte & 0x0F)]
                offset += 2
            }
            return offset
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

import Foundation

/// A JSON text built by appending, for the two documents written on every recommendation (the answer and the
/// trace line). `JSONEncoder` costs several times the model's scoring there; these documents have fixed shapes,
/// so writing them by hand is simple, and tests check the output decodes to what `JSONEncoder` would give.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    var data: Data { Data(bytes) }

    /// Appends JSON punctuation or a key written in the source (`{"a":`), taken as is.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as a quoted JSON string, escaping quotes, backslashes and control characters.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Int) { append(String(value)) }

    /// Shortest round-tripping form; a non-finite value (never produced by the models) becomes `null`.
    mutating func number(_ value: Float) { append(value.isFinite ? value.description : "null") }

    mutating func number(_ value: Double) { append(value.isFinite ? value.description : "null") }

    mutating func bool(_ value: Bool) { append(value ? "true" : "false") }

    /// `date` as ISO 8601 in UTC to the second, the form `JSONCoding` reads and writes.
    mutating func date(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        append("\"")
        append(Self.padded(Int(parts.tm_year) + 1900, 4))
        append("-" + Self.padded(Int(parts.tm_mon) + 1, 2) + "-" + Self.padded(Int(parts.tm_mday), 2))
        append("T" + Self.padded(Int(parts.tm_hour), 2) + ":" + Self.padded(Int(parts.tm_min), 2))
        append(":" + Self.padded(Int(parts.tm_sec), 2) + "Z\"")
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

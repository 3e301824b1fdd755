import Foundation

/// A JSON text built by appending, for the documents written on every request: the recommendation answer, its trace
/// line and the log lines. `JSONEncoder`/`JSONSerialization` cost several times the model's scoring there (the log
/// line alone took 40 % of a server's CPU); these documents have simple shapes, so writing them by hand is easy,
/// and tests check the output is what the Foundation encoders give.
public struct JSONText: Sendable {
    /// The UTF-8 text so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty text with room for `capacity` bytes.
    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// The text as `Data`.
    public var data: Data { Data(bytes) }

    /// Appends JSON punctuation or a key written in the source (`{"a":`), taken as is.
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as a quoted JSON string, escaping quotes, backslashes and control characters.
    public mutating func string(_ value: String) {
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

    /// Appends an integer.
    public mutating func number(_ value: Int) { append(String(value)) }

    /// Shortest round-tripping form as `JSONEncoder` writes it (the description without a trailing `.0`: `1`,
    /// `-0`, `1e+14`); a non-finite value (never produced by the models) becomes `null`.
    public mutating func number(_ value: Float) { append(value.isFinite ? Self.trimmed(value.description) : "null") }

    /// Shortest round-tripping form as `JSONEncoder` writes it; non-finite becomes `null`.
    public mutating func number(_ value: Double) { append(value.isFinite ? Self.trimmed(value.description) : "null") }

    private static func trimmed(_ description: String) -> String {
        description.hasSuffix(".0") ? String(description.dropLast(2)) : description
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) { append(value ? "true" : "false") }

    /// `date` as a quoted ISO 8601 UTC time to the second, the form `JSONCoding` reads and writes.
    public mutating func date(_ date: Date) {
        append("\"" + Self.iso8601(date, milliseconds: false) + "\"")
    }

    /// `date` as a quoted ISO 8601 UTC time to the millisecond, for log lines.
    public mutating func timestamp(_ date: Date) {
        append("\"" + Self.iso8601(date, milliseconds: true) + "\"")
    }

    /// `2026-11-27T17:40:01Z`, or `2026-11-27T17:40:01.123Z` with milliseconds; without Foundation's formatters,
    /// which are slow enough to matter on every request.
    public static func iso8601(_ date: Date, milliseconds: Bool) -> String {
        let since1970 = date.timeIntervalSince1970
        var seconds = time_t(since1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
        text += padded(Int(parts.tm_mday), 2) + "T" + padded(Int(parts.tm_hour), 2) + ":"
        text += padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
        if milliseconds {
            let fraction = min(999, Int(((since1970 - since1970.rounded(.down)) * 1000).rounded(.down)))
            text += "." + padded(fraction, 3)
        }
        return text + "Z"
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

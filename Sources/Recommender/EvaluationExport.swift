import Foundation

/// JSON Lines export of evaluated users, `{"userId","heldOut","recommendations":[itemId, …]}` one per
/// line in that key order, so anyone can recompute the metrics from the file.
public enum EvaluationExport {
    /// One line per row, each terminated by `\n`.
    public static func jsonLines(_ rows: [EvaluationRow]) -> Data {
        var text = ""
        for row in rows {
            text += "{\"userId\":\(quoted(row.userId)),\"heldOut\":\(quoted(row.heldOut)),\"recommendations\":["
            text += row.recommendations.map(quoted).joined(separator: ",")
            text += "]}\n"
        }
        return Data(text.utf8)
    }

    /// Writes the lines to `handle` in chunks (e.g. `rideease eval --export FILE`).
    public static func write(_ rows: [EvaluationRow], to handle: FileHandle) throws {
        let chunk = 1_000
        for start in stride(from: 0, to: rows.count, by: chunk) {
            try handle.write(contentsOf: jsonLines(Array(rows[start..<min(start + chunk, rows.count)])))
        }
    }

    /// A JSON string literal (RFC 8259 escaping; non-ASCII passes through as UTF-8).
    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

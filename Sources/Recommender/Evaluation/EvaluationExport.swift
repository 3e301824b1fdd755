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

    /// The split itself as JSON Lines, so another library can train and rank on exactly the same data:
    /// `{"part":"train","userId","itemId","weight"}` per non-zero of `split.trainAndValidation` (what the test
    /// refit trains on; repeats already collapsed, weights summed), then `{"part":"test","userId","itemId"}` per
    /// held-out test item. The catalog every user is ranked against is the set of item ids in the file.
    public static func writeSplit(_ split: LeaveOneOutSplit, to handle: FileHandle) throws {
        let matrix = split.trainAndValidation
        var text = ""
        func flush(force: Bool) throws {
            guard force || text.utf8.count > 1 << 20 else { return }
            try handle.write(contentsOf: Data(text.utf8))
            text = ""
        }
        for user in 0..<matrix.users.count {
            let row = matrix.row(user)
            for (item, weight) in zip(row.items, row.weights) {
                text += "{\"part\":\"train\",\"userId\":\(quoted(matrix.users[user])),"
                text += "\"itemId\":\(quoted(matrix.items[Int(item)])),\"weight\":\(weight)}\n"
            }
            try flush(force: false)
        }
        for pair in split.test {
            text += "{\"part\":\"test\",\"userId\":\(quoted(split.users[pair.user])),"
            text += "\"itemId\":\(quoted(split.items[pair.item]))}\n"
            try flush(force: false)
        }
        try flush(force: true)
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

/// Parsers for the scalar forms a manifest uses: durations (`30s`, `15m`, `1h`, `500ms`) and byte sizes
/// (`1MiB`, `64KiB`, `1048576`). Each returns `nil` for text it does not understand; the loader words the error.
enum ManifestValues {
    private static let durationUnits: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
    ]
    private static let sizeUnits: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("B", 1),
    ]

    /// A duration such as `30s`, `15m`, `2h`, `250ms`, or a bare number of seconds.
    static func duration(_ text: String) -> Duration? {
        if let seconds = Int64(text), seconds >= 0 { return .seconds(seconds) }
        for unit in durationUnits.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(unit.suffix) {
            guard let value = Int64(text.dropLast(unit.suffix.count)), value >= 0,
                value <= Int64.max / unit.milliseconds / 1000
            else { return nil }
            return .milliseconds(value * unit.milliseconds)
        }
        return nil
    }

    /// A retention period in whole days: `30d`, `8w` (7 days each), `5y` (365 days each).
    static func days(_ text: String) -> Int? {
        let units: [Character: Int] = ["d": 1, "w": 7, "y": 365]
        guard let unit = text.last.flatMap({ units[$0] }), let value = Int(text.dropLast()), value >= 0,
            value <= Int.max / unit
        else { return nil }
        return value * unit
    }

    /// A size such as `1MiB`, `512KiB`, `10MB`, or a bare number of bytes.
    static func byteCount(_ text: String) -> Int? {
        if let bytes = Int(text), bytes >= 0 { return bytes }
        for unit in sizeUnits where text.hasSuffix(unit.suffix) {
            guard let value = Int(text.dropLast(unit.suffix.count)), value >= 0, value <= Int.max / unit.bytes
            else { return nil }
            return value * unit.bytes
        }
        return nil
    }

    /// The closest of `candidates` to `word` by edit distance, if close enough to be a likely typo.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    private static func editDistance(_ left: String, _ right: String) -> Int {
        let a = Array(left)
        let b = Array(right)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

extension Duration {
    /// A duration written as in a manifest (`30s`, `15m`, `2h`, `500ms`, or a bare number of seconds), for
    /// command-line options that override one; `nil` for anything else.
    public init?(manifestText text: String) {
        guard let duration = ManifestValues.duration(text) else { return nil }
        self = duration
    }

    /// The duration as a manifest would write it: `1h`, `15m`, `30s`, `500ms`.
    public var manifestText: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        for (suffix, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)] where milliseconds % size == 0 {
            return "\(milliseconds / size)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}

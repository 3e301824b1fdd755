import Foundation

/// What the key of a time-partitioned segment says: its prefix, its UTC day, and whether it is a small segment of
/// an hour folder or a compacted daily file (or that file's index).
///
/// Small segments: `<prefix>/<yyyy>/<mm>/<dd>/<hh>/<name>`; daily files: `<prefix>/<yyyy>/<mm>/<dd>/daily-<gen>.jsonl`
/// beside the hour folders, with `daily-<gen>.index.json`. The date in the key, not the object's modification
/// time, is what compaction and retention go by, so a virtual clock decides in tests and a rewrite (erasure) does
/// not make old data young again.
public struct SegmentKey: Sendable, Hashable {
    /// Which kind of object under a day.
    public enum Kind: Sendable, Hashable {
        /// A small segment (or any object) in hour folder `hour`.
        case hourly(hour: Int)
        /// Compacted daily file number `generation`.
        case daily(generation: Int)
        /// The index of daily file number `generation`.
        case dailyIndex(generation: Int)
    }

    /// The full key.
    public var key: String
    /// `events`, `traces`.
    public var prefix: String
    /// `<yyyy>/<mm>/<dd>`.
    public var day: String
    /// Which kind of object.
    public var kind: Kind

    /// Parses `key` under `prefix` (without the slash); `nil` when it is not a time-partitioned key.
    public init?(_ key: String, prefix: String) {
        guard key.hasPrefix(prefix + "/") else { return nil }
        let parts = key.dropFirst(prefix.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts[0...2].allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        self.key = key
        self.prefix = prefix
        self.day = parts[0...2].joined(separator: "/")
        if parts.count >= 5, parts[3].count == 2, let hour = Int(parts[3]), (0..<24).contains(hour) {
            kind = .hourly(hour: hour)
        } else if parts.count == 4, let generation = Self.generation(parts[3], suffix: ".jsonl") {
            kind = .daily(generation: generation)
        } else if parts.count == 4, let generation = Self.generation(parts[3], suffix: ".index.json") {
            kind = .dailyIndex(generation: generation)
        } else {
            return nil
        }
    }

    /// The start of the key's UTC day, or `nil` for an impossible date.
    public var dayStart: Date? { Self.start(ofDay: day) }

    /// `<yyyy>/<mm>/<dd>` of `date`'s UTC day.
    public static func day(of date: Date) -> String {
        String(SegmentWriter.hourFolder(of: date).prefix(10))
    }

    /// The start of UTC day `day` (`<yyyy>/<mm>/<dd>`), or `nil` when it is no valid date.
    public static func start(ofDay day: String) -> Date? {
        let parts = day.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = Calendar.utc.date(from: components), Self.day(of: date) == day else { return nil }
        return date
    }

    /// The key of daily file `generation` of `day`.
    public static func dailyKey(prefix: String, day: String, generation: Int) -> String {
        "\(prefix)/\(day)/daily-\(SegmentWriter.zeroPadded(generation, width: 8)).jsonl"
    }

    /// The key of the index of daily file `generation` of `day`.
    public static func indexKey(prefix: String, day: String, generation: Int) -> String {
        "\(prefix)/\(day)/daily-\(SegmentWriter.zeroPadded(generation, width: 8)).index.json"
    }

    /// The listing prefix of `day`'s daily files and indexes (not its hour folders).
    public static func dailyPrefix(prefix: String, day: String) -> String {
        "\(prefix)/\(day)/daily-"
    }

    private static func generation(_ name: Substring, suffix: String) -> Int? {
        guard name.hasPrefix("daily-"), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(6).dropLast(suffix.count)
        guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}

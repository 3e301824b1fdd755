import Foundation

/// How the console writes times and numbers: UTC times (the scheduler and the logs are in UTC), fixed decimals.
enum ConsoleFormat {
    /// `2026-11-27 15:04:05Z` (ISO 8601 in UTC, with a space for readability).
    static func time(_ date: Date) -> String {
        date.formatted(.iso8601).replacingOccurrences(of: "T", with: " ")
    }

    /// A number with `digits` decimals, or an em dash when there is none.
    static func number(_ value: Double?, digits: Int = 3) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.\(digits)f", value)
    }

    /// A rate as a percentage with two decimals.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.2f%%", value * 100)
    }

    /// Milliseconds or seconds, whichever reads better.
    static func duration(seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "—" }
        return seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.1f s", seconds)
    }

    /// The first `count` characters of an id or digest, for tables (the full value goes in a `title`).
    static func short(_ text: String, _ count: Int = 12) -> String {
        text.count > count ? String(text.prefix(count)) + "…" : text
    }
}

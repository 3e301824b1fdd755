import Foundation

/// Parses `2026-03-08T07:00:00Z`; tests only pass literal, valid timestamps.
func utc(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else {
        preconditionFailure("bad test timestamp \(text)")
    }
    return date
}

/// Formats a date the way the expectation tables are written.
func iso(_ date: Date) -> String {
    date.formatted(.iso8601)
}

/// A zone the test names; every identifier used in tests exists in the tz database.
func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else {
        preconditionFailure("unknown test time zone \(identifier)")
    }
    return zone
}

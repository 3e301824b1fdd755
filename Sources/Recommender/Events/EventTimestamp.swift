import Foundation

/// The unit of a numeric timestamp: `rideease events import --timestamp-unit s|ms|us`.
public enum TimestampUnit: String, Sendable, CaseIterable {
    /// Unix seconds.
    case seconds = "s"
    /// Unix milliseconds (JavaScript `Date.now()`, most analytics exports).
    case milliseconds = "ms"
    /// Unix microseconds (BigQuery `TIMESTAMP_MICROS`, GA4 `event_timestamp`).
    case microseconds = "us"

    /// The unit a number of this magnitude is in, when the sender did not say.
    ///
    /// Below 10^11 a number is seconds (up to the year 5138); below 10^14 milliseconds; above, microseconds. Each
    /// boundary misreads only instants before March 1973 in the larger unit, which `--timestamp-unit` settles.
    static func guessed(for magnitude: Double) -> TimestampUnit {
        if magnitude < 1e11 { return .seconds }
        if magnitude < 1e14 { return .milliseconds }
        return .microseconds
    }

    var perSecond: Double {
        switch self {
        case .seconds: 1
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        }
    }
}

/// Reads an event's `timestamp` in any of the forms real logs carry and applies the one rule set every entry point
/// shares: Unix time from 1970 on in seconds, milliseconds or microseconds, or ISO-8601 / RFC 3339 text; refused
/// only when negative, unreadable, or more than a day in the future.
public struct EventTimestampReader: Sendable {
    /// The unit of numeric timestamps, or `nil` to recognise it by magnitude.
    public var unit: TimestampUnit?

    /// Creates a reader; `unit` fixes the unit of numbers instead of guessing it from their size.
    public init(unit: TimestampUnit? = nil) {
        self.unit = unit
    }

    /// The messages rows are grouped by in import reports: constant text, no per-row values.
    public static let negative = "timestamp is negative"
    /// See ``negative``.
    public static let unreadable = "timestamp is neither Unix time nor ISO-8601 (e.g. 2026-09-01T10:00:00Z)"
    /// See ``negative``.
    public static let future = "timestamp is more than a day in the future"

    /// Unix seconds for a JSON number.
    public func seconds(number value: Double, now: Date) throws(EventValidationError) -> Int64 {
        guard value.isFinite else { throw EventValidationError(Self.unreadable) }
        guard value >= 0 else { throw EventValidationError(Self.negative) }
        let unit = unit ?? TimestampUnit.guessed(for: value)
        return try checked(value / unit.perSecond, now: now)
    }

    /// Unix seconds for text: a number (as above) or an ISO-8601 date.
    public func seconds(text: Substring, now: Date) throws(EventValidationError) -> Int64 {
        let trimmed = EventFileReader.trimmed(String(text))
        if let number = Double(trimmed) { return try seconds(number: number, now: now) }
        guard let value = ISO8601Timestamp.seconds(Substring(trimmed).utf8) else {
            throw EventValidationError(Self.unreadable)
        }
        guard value >= 0 else { throw EventValidationError(Self.negative) }
        return try checked(value, now: now)
    }

    private func checked(_ seconds: Double, now: Date) throws(EventValidationError) -> Int64 {
        // A day of slack for clock skew; anything later is a unit or clock mistake, not an event.
        guard seconds <= now.timeIntervalSince1970 + 86_400 else { throw EventValidationError(Self.future) }
        return Int64(seconds.rounded(.down))
    }
}

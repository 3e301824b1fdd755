/// A parsed 5-field Unix cron expression (Vixie/cronie dialect), or one of the `@daily`-style macros.
///
/// Supported: `*`, numbers, lists (`1,15`), ranges (`1-5`), steps (`*/15`, `1-30/5`, `5/10` = 5 to the end of the
/// field every 10), month names `JAN`-`DEC` and day names `SUN`-`SAT` (any case; 0 and 7 are both Sunday), and
/// `@yearly @annually @monthly @weekly @daily @midnight @hourly`. Day-of-month and day-of-week follow the Vixie
/// rule: when both fields are restricted (neither starts with `*`) a day matches if EITHER matches; otherwise both
/// must. Fire times in a time zone are computed by ``nextFireDate(after:in:)``.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let expression: String

    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    let daysOfWeek: UInt64
    /// Both day fields restricted: the Vixie OR rule applies.
    let daysMatchEither: Bool
    /// The minute or hour field starts with `*`: across DST changes the job follows the new wall clock (it runs
    /// in both passes of a repeated hour and not at all in a skipped one), as Vixie cron treats such jobs.
    let isWildcardTime: Bool

    /// Parses `expression`, throwing a ``CronError`` that says what is wrong and where.
    public init(_ expression: String) throws(CronError) {
        let fields = try CronParser(expression).parse()
        self.expression = expression
        minutes = fields[CronField.minute.rawValue].bits
        hours = fields[CronField.hour.rawValue].bits
        daysOfMonth = fields[CronField.dayOfMonth.rawValue].bits
        months = fields[CronField.month.rawValue].bits
        daysOfWeek = fields[CronField.dayOfWeek.rawValue].bits
        daysMatchEither =
            !fields[CronField.dayOfMonth.rawValue].startsWithStar
            && !fields[CronField.dayOfWeek.rawValue].startsWithStar
        isWildcardTime =
            fields[CronField.minute.rawValue].startsWithStar || fields[CronField.hour.rawValue].startsWithStar
    }

    public var description: String { expression }

    /// Whether the schedule fires on this calendar day (month, then the day-of-month/day-of-week rule).
    func matchesDay(days: Int, month: Int, day: Int) -> Bool {
        guard months & (1 << UInt64(month)) != 0 else { return false }
        let domMatches = daysOfMonth & (1 << UInt64(day)) != 0
        let dowMatches = daysOfWeek & (1 << UInt64(CivilTime.weekday(days: days))) != 0
        return daysMatchEither ? (domMatches || dowMatches) : (domMatches && dowMatches)
    }

    /// The first matching local wall-clock time at or after `start` and before `limit`, both in "local seconds"
    /// (seconds since 1970-01-01 00:00 on the local wall clock, no zone). `start` must be a whole minute.
    ///
    /// Jumps a day, a month or to the next set bit at a time, so a schedule that never matches (`0 0 31 2 *`) costs
    /// at most a few dozen steps per year searched.
    func nextLocalMatch(from start: Int, before limit: Int) -> Int? {
        var days = CivilTime.floorDiv(start, 86_400)
        var minuteOfDay = (start - days * 86_400) / 60
        while days * 86_400 < limit {
            let (year, month, day) = CivilTime.date(days: days)
            if months & (1 << UInt64(month)) == 0 {
                days =
                    month == 12
                    ? CivilTime.days(year: year + 1, month: 1, day: 1)
                    : CivilTime.days(year: year, month: month + 1, day: 1)
                minuteOfDay = 0
                continue
            }
            if matchesDay(days: days, month: month, day: day), let time = nextTimeOfDay(atOrAfter: minuteOfDay) {
                let candidate = days * 86_400 + time * 60
                return candidate < limit ? candidate : nil
            }
            days += 1
            minuteOfDay = 0
        }
        return nil
    }

    /// The first matching minute of the day (0…1439) at or after `minuteOfDay`, if any.
    private func nextTimeOfDay(atOrAfter minuteOfDay: Int) -> Int? {
        var hour = minuteOfDay / 60
        var fromMinute = minuteOfDay % 60
        while hour < 24 {
            if hours & (1 << UInt64(hour)) != 0 {
                let remaining = minutes & (~UInt64(0) << UInt64(fromMinute))
                if remaining != 0 { return hour * 60 + remaining.trailingZeroBitCount }
            }
            hour += 1
            fromMinute = 0
        }
        return nil
    }
}

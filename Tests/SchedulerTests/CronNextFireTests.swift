import Foundation
import Testing

@testable import Scheduler

@Suite("Cron next fire times")
struct CronNextFireTests {
    /// Expected values produced offline with python3 `croniter` 6.x:
    /// `croniter(expr, datetime(2026, 1, 15, 10, 7, 30, tzinfo=timezone.utc)).get_next(datetime)` three times.
    static let croniterTable: [(String, [String])] = [
        ("*/15 * * * *", ["2026-01-15T10:15:00Z", "2026-01-15T10:30:00Z", "2026-01-15T10:45:00Z"]),
        ("0 9 * * 1-5", ["2026-01-16T09:00:00Z", "2026-01-19T09:00:00Z", "2026-01-20T09:00:00Z"]),
        ("30 2 1,15 * *", ["2026-02-01T02:30:00Z", "2026-02-15T02:30:00Z", "2026-03-01T02:30:00Z"]),
        ("0 0 1 1 *", ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"]),
        ("5/10 * * * *", ["2026-01-15T10:15:00Z", "2026-01-15T10:25:00Z", "2026-01-15T10:35:00Z"]),
        ("1-30/5 8 * * *", ["2026-01-16T08:01:00Z", "2026-01-16T08:06:00Z", "2026-01-16T08:11:00Z"]),
        ("0 12 * JAN-MAR/2 MON", ["2026-01-19T12:00:00Z", "2026-01-26T12:00:00Z", "2026-03-02T12:00:00Z"]),
        ("0 0 13 * FRI", ["2026-01-16T00:00:00Z", "2026-01-23T00:00:00Z", "2026-01-30T00:00:00Z"]),
        ("0 0 * * 7", ["2026-01-18T00:00:00Z", "2026-01-25T00:00:00Z", "2026-02-01T00:00:00Z"]),
        ("15 14 1 * *", ["2026-02-01T14:15:00Z", "2026-03-01T14:15:00Z", "2026-04-01T14:15:00Z"]),
        ("0 22 * * SUN-TUE", ["2026-01-18T22:00:00Z", "2026-01-19T22:00:00Z", "2026-01-20T22:00:00Z"]),
        ("@weekly", ["2026-01-18T00:00:00Z", "2026-01-25T00:00:00Z", "2026-02-01T00:00:00Z"]),
        ("@monthly", ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"]),
        ("0 0 29 2 *", ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"]),
        ("59 23 31 12 *", ["2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z", "2028-12-31T23:59:00Z"]),
        ("0 */6 * * *", ["2026-01-15T12:00:00Z", "2026-01-15T18:00:00Z", "2026-01-16T00:00:00Z"]),
    ]

    @Test("matches croniter in UTC", arguments: croniterTable)
    func table(_ expression: String, _ expected: [String]) throws {
        let schedule = try CronSchedule(expression)
        let dates = schedule.nextFireDates(after: utc("2026-01-15T10:07:30Z"), count: 3, in: .gmt)
        #expect(dates.map(iso) == expected)
    }

    @Test("strictly after, including exactly on a fire time and a fraction after it")
    func strictlyAfter() throws {
        let schedule = try CronSchedule("*/15 * * * *")
        let onTime = utc("2026-01-15T10:15:00Z")
        #expect(schedule.nextFireDate(after: onTime, in: .gmt).map(iso) == "2026-01-15T10:30:00Z")
        #expect(schedule.nextFireDate(after: onTime - 0.001, in: .gmt).map(iso) == "2026-01-15T10:15:00Z")
        #expect(schedule.nextFireDate(after: onTime + 0.5, in: .gmt).map(iso) == "2026-01-15T10:30:00Z")
    }

    @Test("a zone without DST shifts the wall clock (Asia/Kolkata is +05:30)")
    func fixedOffsetZone() throws {
        let schedule = try CronSchedule("0 9 * * *")
        let next = schedule.nextFireDates(after: utc("2026-01-15T10:07:30Z"), count: 2, in: zone("Asia/Kolkata"))
        #expect(next.map(iso) == ["2026-01-16T03:30:00Z", "2026-01-17T03:30:00Z"])
    }

    @Test("the day rule: both restricted is OR, one starred is AND")
    func dayRule() throws {
        // 2026-02-13 is a Friday: the 13th OR any Friday.
        let either = try CronSchedule("0 0 13 * FRI")
        let after = utc("2026-02-01T00:00:00Z")
        #expect(
            either.nextFireDates(after: after, count: 4, in: .gmt).map(iso) == [
                "2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z", "2026-02-27T00:00:00Z",
            ])
        // `*/2` starts with `*`, so both fields must match (Vixie checks the first character): the 13th when it is
        // a Sunday, Tuesday, Thursday or Saturday — 2026-06-13 is a Saturday, 2026-08-13 a Thursday.
        let both = try CronSchedule("0 0 13 * */2")
        #expect(
            both.nextFireDates(after: after, count: 2, in: .gmt).map(iso) == [
                "2026-06-13T00:00:00Z", "2026-08-13T00:00:00Z",
            ])
        let starredDay = try CronSchedule("0 0 */1 * FRI")
        #expect(starredDay.nextFireDate(after: after, in: .gmt).map(iso) == "2026-02-06T00:00:00Z")
    }

    @Test("February 29 fires only in leap years, across a skipped century leap year")
    func leapDay() throws {
        let schedule = try CronSchedule("0 0 29 2 *")
        #expect(schedule.nextFireDate(after: utc("2028-02-29T00:00:00Z"), in: .gmt).map(iso) == "2032-02-29T00:00:00Z")
        // 2100 is not a leap year: the gap 2096 → 2104 is the longest, and still inside the 8-year horizon.
        #expect(schedule.nextFireDate(after: utc("2096-03-01T00:00:00Z"), in: .gmt).map(iso) == "2104-02-29T00:00:00Z")
    }

    @Test(
        "schedules that never fire return nil quickly",
        arguments: ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 APR *"])
    func never(_ expression: String) throws {
        let schedule = try CronSchedule(expression)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(schedule.nextFireDate(after: utc("2026-01-01T00:00:00Z"), in: .gmt) == nil)
            #expect(schedule.nextFireDate(after: utc("2026-01-01T00:00:00Z"), in: zone("Europe/Berlin")) == nil)
        }
        #expect(elapsed < .seconds(1))
        #expect(schedule.nextFireDates(after: utc("2026-01-01T00:00:00Z"), count: 3, in: .gmt).isEmpty)
    }

    @Test("nonsense instants give nil, not a trap")
    func nonsenseDates() throws {
        let schedule = try CronSchedule("* * * * *")
        #expect(schedule.nextFireDate(after: Date(timeIntervalSince1970: .nan), in: .gmt) == nil)
        #expect(schedule.nextFireDate(after: Date(timeIntervalSince1970: .infinity), in: .gmt) == nil)
        #expect(schedule.nextFireDate(after: .distantFuture, in: zone("America/New_York")) != nil)
        #expect(schedule.nextFireDate(after: .distantPast, in: zone("America/New_York")) != nil)
    }

    @Test("a year of every-minute fire times is fast and evenly spaced")
    func everyMinute() throws {
        let schedule = try CronSchedule("* * * * *")
        let dates = schedule.nextFireDates(after: utc("2026-01-01T00:00:00Z"), count: 10_000, in: .gmt)
        #expect(dates.count == 10_000)
        #expect(zip(dates, dates.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 60 })
    }
}

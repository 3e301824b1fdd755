import Foundation
import Testing

@testable import Scheduler

@Suite("Cron parsing")
struct CronParsingTests {
    /// Two spellings that must mean exactly the same schedule.
    @Test(
        "equivalent spellings",
        arguments: [
            ("0 9 * * MON-FRI", "0 9 * * 1-5"),
            ("0 9 * * mon-fri", "0 9 * * 1-5"),
            ("0 0 1 jan,Jul *", "0 0 1 1,7 *"),
            ("0 0 * * 7", "0 0 * * 0"),
            ("0 0 * * SUN", "0 0 * * 0"),
            ("0 0 * * 5-7", "0 0 * * 0,5,6"),
            ("*/15 * * * *", "0,15,30,45 * * * *"),
            ("1-30/5 * * * *", "1,6,11,16,21,26 * * * *"),
            ("5/10 * * * *", "5,15,25,35,45,55 * * * *"),
            ("0 0 * JAN-MAR/2 *", "0 0 * 1,3 *"),
            ("0 8-10,14 * * *", "0 8,9,10,14 * * *"),
            ("  0\t9 *  * 1  ", "0 9 * * 1"),
            ("@hourly", "0 * * * *"),
            ("@daily", "0 0 * * *"),
            ("@midnight", "0 0 * * *"),
            ("@weekly", "0 0 * * 0"),
            ("@monthly", "0 0 1 * *"),
            ("@yearly", "0 0 1 1 *"),
            ("@annually", "0 0 1 1 *"),
            ("@DAILY", "0 0 * * *"),
        ])
    func equivalent(_ pair: (String, String)) throws {
        let left = try CronSchedule(pair.0)
        let right = try CronSchedule(pair.1)
        #expect(left.minutes == right.minutes)
        #expect(left.hours == right.hours)
        #expect(left.daysOfMonth == right.daysOfMonth)
        #expect(left.months == right.months)
        #expect(left.daysOfWeek == right.daysOfWeek)
        #expect(left.daysMatchEither == right.daysMatchEither)
        #expect(left.isWildcardTime == right.isWildcardTime)
    }

    @Test("the expression is kept as written")
    func keepsExpression() throws {
        let schedule = try CronSchedule(" */5 * * * * ")
        #expect(schedule.expression == " */5 * * * * ")
        #expect(schedule.description == " */5 * * * * ")
    }

    /// Vixie: the OR rule applies only when neither day field starts with `*`.
    @Test(
        "day-of-month/day-of-week rule",
        arguments: [
            ("0 0 13 * FRI", true),
            ("0 0 1,15 * 1-5", true),
            ("0 0 * * FRI", false),
            ("0 0 13 * *", false),
            ("0 0 */2 * FRI", false),
            ("0 0 13 * */2", false),
            ("@weekly", false),
        ])
    func dayRule(_ expression: String, _ either: Bool) throws {
        #expect(try CronSchedule(expression).daysMatchEither == either)
    }

    /// Wildcard jobs follow the new wall clock across DST changes; fixed-time jobs are moved, as in cronie.
    @Test(
        "wildcard and fixed-time jobs",
        arguments: [
            ("*/15 * * * *", true),
            ("0 * * * *", true),
            ("@hourly", true),
            ("*/5 2 * * *", true),
            ("30 2 * * *", false),
            ("0,30 1-3 * * *", false),
            ("@daily", false),
            ("@weekly", false),
        ])
    func wildcardTime(_ expression: String, _ wildcard: Bool) throws {
        #expect(try CronSchedule(expression).isWildcardTime == wildcard)
    }

    @Test("field bounds are accepted", arguments: ["59 23 31 12 7", "0 0 1 1 0", "0-59 0-23 1-31 1-12 0-7"])
    func bounds(_ expression: String) throws {
        _ = try CronSchedule(expression)
    }
}

import Foundation
import Testing

@testable import Scheduler

/// DST behaviour (see `CronSchedule+TimeZone.swift` for the rules and their source). Expected instants are worked
/// out by hand from the zone rules: America/New_York springs forward 2026-03-08 07:00Z (02:00 EST → 03:00 EDT) and
/// falls back 2026-11-01 06:00Z (02:00 EDT → 01:00 EST); Europe/Berlin springs forward 2026-03-29 01:00Z
/// (02:00 CET → 03:00 CEST) and falls back 2026-10-25 01:00Z (03:00 CEST → 02:00 CET).
@Suite("Cron across daylight saving time")
struct CronDaylightSavingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var zone: String
        var expression: String
        var after: String
        var expected: [String]
        var note: String
        var testDescription: String { "\(expression) in \(zone): \(note)" }
    }

    static let cases: [Case] = [
        Case(
            zone: "America/New_York", expression: "30 2 * * *", after: "2026-03-06T12:00:00Z",
            expected: ["2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"],
            note: "02:30 does not exist on 03-08: runs once at 03:00 EDT, the first instant after the gap"),
        Case(
            zone: "America/New_York", expression: "30 1 * * *", after: "2026-10-30T12:00:00Z",
            expected: ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"],
            note: "01:30 happens twice on 11-01: runs once, at the first (EDT) occurrence"),
        Case(
            zone: "America/New_York", expression: "30 2 * * *", after: "2026-10-31T12:00:00Z",
            expected: ["2026-11-01T07:30:00Z", "2026-11-02T07:30:00Z"],
            note: "02:30 is not repeated in New York (01:00-01:59 is): once, in EST"),
        Case(
            zone: "America/New_York", expression: "30 1 * * *", after: "2026-03-07T12:00:00Z",
            expected: ["2026-03-08T06:30:00Z", "2026-03-09T05:30:00Z"],
            note: "01:30 exists on the spring-forward day (EST), then EDT"),
        Case(
            zone: "America/New_York", expression: "0,30 2 * * *", after: "2026-03-08T00:00:00Z",
            expected: ["2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"],
            note: "two times in the gap still run once"),
        Case(
            zone: "America/New_York", expression: "0 2,3 * * *", after: "2026-03-08T00:00:00Z",
            expected: ["2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z", "2026-03-09T07:00:00Z"],
            note: "02:00 moved to 03:00 coincides with the 03:00 fire: one run"),
        Case(
            zone: "America/New_York", expression: "*/5 2 * * *", after: "2026-03-08T06:00:00Z",
            expected: ["2026-03-09T06:00:00Z"],
            note: "a wildcard job in the skipped hour does not run that day (cronie)"),
        Case(
            zone: "Europe/Berlin", expression: "30 2 * * *", after: "2026-03-28T12:00:00Z",
            expected: ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"],
            note: "02:30 does not exist on 03-29: runs once at 03:00 CEST"),
        Case(
            zone: "Europe/Berlin", expression: "30 2 * * *", after: "2026-10-24T12:00:00Z",
            expected: ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
            note: "02:30 happens twice on 10-25: runs once, at the first (CEST) occurrence"),
        Case(
            zone: "Europe/Berlin", expression: "30 1 * * *", after: "2026-10-24T12:00:00Z",
            expected: ["2026-10-24T23:30:00Z", "2026-10-26T00:30:00Z"],
            note: "01:30 is not repeated in Berlin"),
        Case(
            zone: "Europe/Berlin", expression: "@daily", after: "2026-03-28T12:00:00Z",
            expected: ["2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"],
            note: "midnight moves from +01:00 to +02:00"),
        Case(
            zone: "Australia/Lord_Howe", expression: "15 2 * * *", after: "2026-10-03T12:00:00Z",
            expected: ["2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"],
            note: "a 30-minute DST gap (02:00 → 02:30): 02:15 runs at 02:30"),
    ]

    @Test("daily jobs on transition days", arguments: cases)
    func transitions(_ testCase: Case) throws {
        let schedule = try CronSchedule(testCase.expression)
        let dates = schedule.nextFireDates(
            after: utc(testCase.after), count: testCase.expected.count, in: zone(testCase.zone))
        #expect(dates.map(iso) == testCase.expected)
    }

    /// Every fire time of a schedule in [start, end), computed by chaining nextFireDate.
    func fires(_ expression: String, _ zoneID: String, from start: String, to end: String) throws -> [Date] {
        let schedule = try CronSchedule(expression)
        var dates: [Date] = []
        var cursor = utc(start) - 1
        while let next = schedule.nextFireDate(after: cursor, in: zone(zoneID)), next < utc(end) {
            dates.append(next)
            cursor = next
        }
        return dates
    }

    @Test(
        "daily jobs run exactly once on each transition day",
        arguments: [
            ("America/New_York", "30 2 * * *"), ("America/New_York", "30 1 * * *"),
            ("America/New_York", "0 2 * * *"), ("America/New_York", "59 1 * * *"),
            ("Europe/Berlin", "30 2 * * *"), ("Europe/Berlin", "0 2 * * *"), ("Europe/Berlin", "0 3 * * *"),
        ])
    func oncePerDay(_ zoneID: String, _ expression: String) throws {
        // Local days of the transitions, as UTC bounds of those local days.
        let days: [(String, String)] =
            zoneID == "America/New_York"
            ? [("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"), ("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z")]
            : [("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"), ("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z")]
        for (start, end) in days {
            #expect(try fires(expression, zoneID, from: start, to: end).count == 1, "\(start)")
        }
    }

    @Test(
        "*/15 keeps firing every 15 real minutes through both transitions",
        arguments: [
            ("America/New_York", "2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z"),
            ("America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z"),
            ("Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-29T03:00:00Z"),
            ("Europe/Berlin", "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"),
        ])
    func quarterHourly(_ zoneID: String, _ start: String, _ end: String) throws {
        let dates = try fires("*/15 * * * *", zoneID, from: start, to: end)
        #expect(dates.count == 16)  // 4 real hours, whatever the wall clock did
        #expect(Set(dates).count == dates.count)
        #expect(zip(dates, dates.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 15 * 60 })
    }

    @Test("in the repeated hour a wildcard job runs in both passes")
    func repeatedHourWildcard() throws {
        let dates = try fires(
            "*/15 1 * * *", "America/New_York", from: "2026-11-01T04:00:00Z", to: "2026-11-02T00:00:00Z")
        #expect(
            dates.map(iso) == [
                "2026-11-01T05:00:00Z", "2026-11-01T05:15:00Z", "2026-11-01T05:30:00Z", "2026-11-01T05:45:00Z",
                "2026-11-01T06:00:00Z", "2026-11-01T06:15:00Z", "2026-11-01T06:30:00Z", "2026-11-01T06:45:00Z",
            ])
    }

    @Test("asking from inside the gap or the repeated hour does not double-fire")
    func fromInsideTransitions() throws {
        let newYork = zone("America/New_York")
        let daily230 = try CronSchedule("30 2 * * *")
        // Exactly at the moved fire time: the next one is the following day.
        #expect(
            daily230.nextFireDate(after: utc("2026-03-08T07:00:00Z"), in: newYork).map(iso) == "2026-03-09T06:30:00Z")
        #expect(
            daily230.nextFireDate(after: utc("2026-03-08T06:59:59Z"), in: newYork).map(iso) == "2026-03-08T07:00:00Z")
        let daily130 = try CronSchedule("30 1 * * *")
        // From the second pass of 01:00-01:59 (01:10 EST), the repeat of 01:30 is skipped.
        #expect(
            daily130.nextFireDate(after: utc("2026-11-01T06:10:00Z"), in: newYork).map(iso) == "2026-11-02T06:30:00Z")
        #expect(
            daily130.nextFireDate(after: utc("2026-11-01T05:30:00Z"), in: newYork).map(iso) == "2026-11-02T06:30:00Z")
        let hourly = try CronSchedule("@hourly")
        #expect(hourly.nextFireDate(after: utc("2026-11-01T05:00:00Z"), in: newYork).map(iso) == "2026-11-01T06:00:00Z")
    }
}

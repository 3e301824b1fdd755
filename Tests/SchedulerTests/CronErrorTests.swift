import Testing

@testable import Scheduler

@Suite("Cron errors")
struct CronErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var reason: CronError.Reason
        var offset: Int
        var length: Int
        var message: String
        var testDescription: String { "\"\(expression)\"" }
    }

    static let cases: [Case] = [
        Case(
            expression: "*/61 * * * *", reason: .outOfRange, offset: 2, length: 2,
            message: "minute 61 is out of range 0-59"),
        Case(
            expression: "60 * * * *", reason: .outOfRange, offset: 0, length: 2,
            message: "minute 60 is out of range 0-59"),
        Case(
            expression: "0 24 * * *", reason: .outOfRange, offset: 2, length: 2,
            message: "hour 24 is out of range 0-23"),
        Case(
            expression: "0 0 0 * *", reason: .outOfRange, offset: 4, length: 1,
            message: "day-of-month 0 is out of range 1-31"),
        Case(
            expression: "0 0 1 13 *", reason: .outOfRange, offset: 6, length: 2,
            message: "month 13 is out of range 1-12"),
        Case(
            expression: "0 0 * * 8", reason: .outOfRange, offset: 8, length: 1,
            message: "day-of-week 8 is out of range 0-7"),
        Case(
            expression: "0 0 * * 1-99999999999999", reason: .outOfRange, offset: 10, length: 14,
            message: "day-of-week 99999999999999 is out of range 0-7"),
        Case(
            expression: "*/0 * * * *", reason: .invalidStep, offset: 2, length: 1,
            message: "a step must be at least 1, found 0"),
        Case(
            expression: "0 1-5/ * * *", reason: .invalidStep, offset: 5, length: 1,
            message: "a step is missing after \"/\" in the hour field"),
        Case(
            expression: "0 */x * * *", reason: .invalidStep, offset: 4, length: 1,
            message: "a step must be a number, found \"x\""),
        Case(
            expression: "30-10 * * * *", reason: .invertedRange, offset: 0, length: 5,
            message: "minute range 30-10 is inverted; write the smaller value first"),
        Case(
            expression: "0 0 * * FRI-MON", reason: .invertedRange, offset: 8, length: 7,
            message: "day-of-week range FRI-MON is inverted; write the smaller value first"),
        Case(
            expression: "0 0 1 JANUARY *", reason: .unknownName, offset: 6, length: 7,
            message: "unknown month name \"JANUARY\"; use JAN-DEC or 1-12"),
        Case(
            expression: "0 0 * * FOO", reason: .unknownName, offset: 8, length: 3,
            message: "unknown day-of-week name \"FOO\"; use SUN-SAT or 0-7"),
        Case(
            expression: "0 MON * * *", reason: .unknownName, offset: 2, length: 3,
            message: "the hour field takes numbers, found \"MON\""),
        Case(
            expression: "1,,2 * * * *", reason: .emptyListItem, offset: 2, length: 1,
            message: "empty item in the minute list"),
        Case(
            expression: "0 0 1, * *", reason: .emptyListItem, offset: 5, length: 1,
            message: "empty item in the day-of-month list"),
        Case(
            expression: "0 0 * ,2 *", reason: .emptyListItem, offset: 6, length: 1,
            message: "empty item in the month list"),
        Case(
            expression: "0 0 * * 1#2", reason: .unexpectedCharacter, offset: 9, length: 1,
            message: "unexpected character \"#\" in the day-of-week field"),
        Case(
            expression: "0 0 ? * *", reason: .unexpectedCharacter, offset: 4, length: 1,
            message: "unexpected character \"?\" in the day-of-month field"),
        Case(
            expression: "*-5 * * * *", reason: .unexpectedCharacter, offset: 1, length: 1,
            message: "unexpected character \"-\" in the minute field"),
        Case(
            expression: "5- * * * *", reason: .unexpectedCharacter, offset: 1, length: 1,
            message: "the minute range is missing its end"),
        Case(
            expression: "0 0 * * 1-5x", reason: .unexpectedCharacter, offset: 11, length: 1,
            message: "unexpected character \"x\" in the day-of-week field"),
        Case(
            expression: "* * * *", reason: .wrongFieldCount, offset: 7, length: 0,
            message: "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
        Case(
            expression: "0 0 * * * 2026", reason: .wrongFieldCount, offset: 10, length: 4,
            message: "expected 5 fields (minute hour day-of-month month day-of-week), found 6"),
        Case(
            expression: "   ", reason: .empty, offset: 0, length: 3,
            message: "the schedule is empty; expected 5 fields or a macro like @daily"),
        Case(
            expression: "@every5m", reason: .unknownMacro, offset: 0, length: 8,
            message: "unknown macro \"@every5m\"; expected @yearly, @annually, @monthly, @weekly, @daily, "
                + "@midnight or @hourly"),
        Case(
            expression: "@reboot", reason: .unknownMacro, offset: 0, length: 7,
            message: "@reboot is not supported: a scheduled function needs fire times"),
        Case(
            expression: "@daily 5", reason: .wrongFieldCount, offset: 7, length: 1,
            message: "@daily stands alone; remove what follows it"),
        Case(
            expression: "0 0 * * é", reason: .unknownName, offset: 8, length: 1,
            message: "unknown day-of-week name \"é\"; use SUN-SAT or 0-7"),
        Case(
            expression: "0 0 * * 🙂", reason: .unexpectedCharacter, offset: 8, length: 1,
            message: "unexpected character \"🙂\" in the day-of-week field"),
    ]

    @Test("rejects with reason, position and message", arguments: cases)
    func rejects(_ testCase: Case) {
        let error = #expect(throws: CronError.self) { try CronSchedule(testCase.expression) }
        #expect(error?.reason == testCase.reason)
        #expect(error?.message == testCase.message)
        #expect(error?.offset == testCase.offset)
        #expect(error?.length == testCase.length)
        #expect(error?.expression == testCase.expression)
    }

    @Test("description is what the manifest loader prefixes with file:line:col")
    func description() {
        do {
            _ = try CronSchedule("*/61 * * * *")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "schedule \"*/61 * * * *\": minute 61 is out of range 0-59")
        }
    }

    /// Whatever the input, the parser answers with a value or a CronError; it never traps.
    @Test("never traps on junk")
    func junk() {
        let pieces = ["*", "/", "-", ",", "0", "59", "99", "MON", "jan", "@", " ", "\t", "L", "#", "?", "é", ""]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let length = Int.random(in: 0...12, using: &generator)
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            do throws(CronError) {
                let schedule = try CronSchedule(text)
                _ = schedule.nextFireDate(after: utc("2026-01-01T00:00:00Z"), in: .gmt)
            } catch {
                #expect(error.offset >= 0 && error.offset + error.length <= text.count)
            }
        }
    }
}

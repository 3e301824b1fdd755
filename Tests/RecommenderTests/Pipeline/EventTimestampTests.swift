import Foundation
import Recommender
import Testing

@Suite("event timestamps: every form real logs carry, and the three reasons to refuse one")
struct EventTimestampTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let reader = EventTimestampReader()

    func seconds(_ text: String, unit: TimestampUnit? = nil) throws(EventValidationError) -> Int64 {
        try EventTimestampReader(unit: unit).seconds(text: Substring(text), now: now)
    }

    @Test(
        arguments: [
            // Unix seconds from 1970 on, including the 1990s of public ratings logs.
            ("0", 0), ("881248549", 881_248_549), ("881248549.75", 881_248_549), (" 1789000000 ", 1_789_000_000),
            // Milliseconds and microseconds, recognised by magnitude.
            ("881248549000", 881_248_549), ("881248549123", 881_248_549), ("881248549000000", 881_248_549),
            ("1789000000000", 1_789_000_000),
            // ISO-8601 / RFC 3339, with and without fractions and offsets.
            ("1997-12-04T15:15:49Z", 881_248_549), ("1997-12-04T15:15:49.250Z", 881_248_549),
            ("1997-12-04T17:15:49+02:00", 881_248_549), ("1997-12-04T17:15:49.999999+02:00", 881_248_549),
            ("1997-12-04T10:15:49-05:00", 881_248_549), ("1997-12-04T17:15:49+0200", 881_248_549),
            ("1997-12-04T17:15:49+02", 881_248_549),
            ("1997-12-04 15:15:49", 881_248_549), ("1997-12-04t15:15:49z", 881_248_549),
            ("1995-01-09T11:12:13Z", 789_649_933), ("2000-02-29", 951_782_400), ("1970-01-01T00:00:00Z", 0),
        ] as [(String, Int64)])
    func readsEveryForm(text: String, expected: Int64) throws {
        #expect(try seconds(text) == expected)
    }

    @Test func anExplicitUnitOverridesTheGuess() throws {
        // 1e10 ms is 1970-04-26: too small for the magnitude rule, which would read seconds (2286, the future).
        #expect(throws: EventValidationError.self) { try seconds("10000000000") }
        #expect(try seconds("10000000000", unit: .milliseconds) == 10_000_000)
        #expect(try seconds("881248549", unit: .milliseconds) == 881_248)
        #expect(try seconds("881248549000000", unit: .microseconds) == 881_248_549)
        #expect(try seconds("881248549", unit: .seconds) == 881_248_549)
        #expect(TimestampUnit(rawValue: "us") == .microseconds)
    }

    @Test(arguments: [
        ("-1", EventTimestampReader.negative), ("-881248549000", EventTimestampReader.negative),
        ("1969-12-31T23:59:59Z", EventTimestampReader.negative),
        ("yesterday", EventTimestampReader.unreadable), ("", EventTimestampReader.unreadable),
        ("nan", EventTimestampReader.unreadable), ("1997-13-01", EventTimestampReader.unreadable),
        ("1997-02-29", EventTimestampReader.unreadable), ("1997-12-04T25:00:00Z", EventTimestampReader.unreadable),
        ("1997-12-04T10:15Zjunk", EventTimestampReader.unreadable),
        ("1790086401", EventTimestampReader.future), ("2030-01-01T00:00:00Z", EventTimestampReader.future),
        ("1790086401000", EventTimestampReader.future),
    ])
    func refusesWithItsReason(text: String, reason: String) {
        #expect {
            try seconds(text)
        } throws: { error in
            (error as? EventValidationError)?.message == reason
        }
    }

    @Test func aDayOfClockSkewIsAllowed() throws {
        #expect(try seconds("1790086400") == 1_790_086_400)
    }

    @Test func jsonNumbersFollowTheSameRules() throws {
        #expect(try reader.seconds(number: 881_248_549_000, now: now) == 881_248_549)
        #expect(throws: EventValidationError.self) { try reader.seconds(number: -0.5, now: now) }
        #expect(throws: EventValidationError.self) { try reader.seconds(number: .infinity, now: now) }
    }

    @Test func storedEventsWithoutTimestampSourceStillDecode() throws {
        // A line from a segment written before timestampSource existed.
        let line = #"{"eventId":"h-1","itemId":"p","timestamp":881248549,"type":"ride","userId":"u"}"#
        let event = try JSONDecoder().decode(RideEvent.self, from: Data(line.utf8))
        #expect(event.timestampSource == nil)
        #expect(event.timestamp == 881_248_549)
    }
}

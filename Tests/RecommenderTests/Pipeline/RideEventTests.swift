import Foundation
import Recommender
import Testing

@Suite("ride events: validation and normalisation")
struct RideEventTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func event(_ object: [String: Any]) throws(EventValidationError) -> RideEvent {
        try RideEvent(json: object, now: now)
    }

    @Test func acceptsARideWithUnixSeconds() throws {
        let ride = try event([
            "type": "ride", "userId": "u1", "itemId": "place-0042", "timestamp": 1_789_000_000, "city": "lisbon",
        ])
        #expect(ride.type == .ride)
        #expect(ride.timestamp == 1_789_000_000)
        #expect(ride.interaction?.itemId == "place-0042")
        #expect(ride.eventId.hasPrefix("h-"), "an id is derived from the content when none is sent")
    }

    @Test func acceptsISO8601AndKeepsTheSendersId() throws {
        let ride = try event([
            "type": "ride", "eventId": "e-1", "userId": "u1", "itemId": "p", "timestamp": "2026-09-01T10:00:00.250Z",
        ])
        #expect(ride.eventId == "e-1")
        #expect(ride.timestamp == 1_788_256_800)
    }

    @Test func contentIdsAreStableAndDistinguishContent() throws {
        let base: [String: Any] = ["type": "ride", "userId": "u1", "itemId": "p", "timestamp": 1_789_000_000]
        var other = base
        other["itemId"] = "q"
        #expect(try event(base).eventId == (try event(base)).eventId)
        #expect(try event(base).eventId != (try event(other)).eventId)
    }

    static let badEvents: [([String: any Sendable], String)] = [
        (["userId": "u", "itemId": "p", "timestamp": 1_789_000_000], "type is required"),
        (["type": "walk", "userId": "u", "itemId": "p", "timestamp": 1_789_000_000], "type \"walk\" must be one of"),
        (["type": "ride", "itemId": "p", "timestamp": 1_789_000_000], "userId is required"),
        (["type": "ride", "userId": 7, "itemId": "p", "timestamp": 1_789_000_000], "userId must be a string"),
        (["type": "ride", "userId": "a\u{0}b", "itemId": "p", "timestamp": 1_789_000_000], "printable"),
        (["type": "ride", "userId": String(repeating: "x", count: 129), "itemId": "p", "timestamp": 1], "printable"),
        (["type": "ride", "userId": "u", "itemId": "p"], "timestamp is required"),
        (
            ["type": "ride", "userId": "u", "itemId": "p", "timestamp": 1_800_000_000],
            "more than a day in the future"
        ),
        (["type": "ride", "userId": "u", "itemId": "p", "timestamp": -12], "timestamp is negative"),
        (["type": "ride", "userId": "u", "itemId": "p", "timestamp": "yesterday"], "neither Unix time nor ISO-8601"),
        (["type": "ride", "userId": "u", "itemId": "p", "timestamp": true], "timestamp must be Unix time"),
        (["type": "ride", "userId": "u", "itemId": "p", "timestamp": 1_789_000_000, "weight": -1], "weight must be"),
        (
            ["type": "ride", "userId": "u", "itemId": "p", "timestamp": 1_789_000_000, "extra": 1],
            "unknown field \"extra\""
        ),
        (["type": "conversion", "userId": "u", "itemId": "p", "timestamp": 1_789_000_000], "requestId is required"),
    ]

    @Test(arguments: badEvents)
    func refusesBadEventsNamingTheField(object: [String: any Sendable], expected: String) {
        #expect {
            try event(object)
        } throws: { error in
            (error as? EventValidationError)?.message.contains(expected) == true
        }
    }

    @Test func conversionsAreNotTrainingInteractions() throws {
        let conversion = try event([
            "type": "conversion", "userId": "u", "itemId": "p", "timestamp": 1_789_000_000,
            "requestId": "0190e0a0-0000-7000-8000-000000000000",
        ])
        #expect(conversion.interaction == nil)
        #expect(conversion.requestId == "0190e0a0-0000-7000-8000-000000000000")
    }

    @Test(arguments: [
        ("rider-0001", true), ("", false), (String(repeating: "a", count: 128), true),
        (String(repeating: "a", count: 129), false), ("tab\tinside", false), ("del\u{7F}", false),
        ("Zoë", true), (String(repeating: "é", count: 128), true), (String(repeating: "é", count: 129), false),
        ("next\u{85}line", false), (String(repeating: "👩‍👩‍👧", count: 128), true),
    ])
    func idsAreOneTo128CharactersWithoutControls(id: String, acceptable: Bool) {
        #expect(RideEvent.isAcceptableId(id) == acceptable, "\(id.debugDescription)")
    }
}

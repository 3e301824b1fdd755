import Foundation
import FunctionRuntime
import Recommender
import Testing

@Suite("POST /events: validation, idempotency, durability, Pub/Sub")
struct IngestEventsTests {
    static let ride = #"{"type":"ride","userId":"u1","itemId":"place-1","timestamp":1789000000}"#

    @Test func goodEventsAreKeptAndBadOnesReportedByIndex() async throws {
        let fixture = try HandlerFixture()
        let body = """
            {"events":[\(Self.ride),
              {"type":"ride","userId":"u2","itemId":"place-2","timestamp":-5},
              {"type":"ride","eventId":"e-3","userId":"u3","itemId":"place-3","timestamp":"2026-09-01T00:00:00Z"},
              "not an object"]}
            """
        let response = try await fixture.call("ingestEvents", body: body)
        #expect(response.status == 200)
        let receipt = try fixture.json(response)
        #expect(receipt["accepted"] as? Int == 2)
        let rejected = try #require(receipt["rejected"] as? [[String: Any]])
        #expect(rejected.map { $0["index"] as? Int } == [1, 3])
        #expect(rejected.first?["error"] as? String == "timestamp is negative")
        // Acknowledged means durable: the events are already in a segment.
        let segments = try await EventLog(store: fixture.store).segments()
        let events = try await EventLog(store: fixture.store).events(in: segments)
        #expect(events.map(\.userId).sorted() == ["u1", "u3"])
    }

    @Test func aConversionWithoutTimestampTakesTheTimeItWasReceived() async throws {
        let received = Date(timeIntervalSince1970: 1_790_000_123)
        let fixture = try HandlerFixture(now: received)
        // The README's example: a conversion as a rider app sends it, without a timestamp.
        let body = #"{"type":"conversion","userId":"rider-0042","itemId":"place-0007","requestId":"r-1"}"#
        let response = try await fixture.call("ingestEvents", body: body)
        #expect(response.status == 200)
        #expect(try fixture.json(response)["accepted"] as? Int == 1)
        // A retry a minute later is the same conversion, not a second one.
        fixture.clock.advance(by: .seconds(60))
        let retry = try fixture.json(try await fixture.call("ingestEvents", body: body))
        #expect(retry["duplicates"] as? Int == 1)
        let segments = try await EventLog(store: fixture.store).segments()
        let events = try await EventLog(store: fixture.store).events(in: segments)
        #expect(events.count == 1)
        #expect(events.first?.timestamp == 1_790_000_123)
        #expect(events.first?.timestampSource == .received)
        let stored = try #require(try await fixture.store.get(segments[0].key))
        #expect(String(decoding: stored.data, as: UTF8.self).contains(#""timestampSource":"received""#))
    }

    @Test func aPubSubRedeliveryOfAnEventWithoutTimestampIsTheSameEvent() async throws {
        let fixture = try HandlerFixture(now: Date(timeIntervalSince1970: 1_790_000_000))
        let data = Data(#"{"type":"ride","userId":"u1","itemId":"place-1"}"#.utf8).base64EncodedString()
        let envelope = #"{"message":{"data":"\#(data)","messageId":"7","publishTime":"2026-09-21T13:46:30.123Z"}}"#
        #expect(try fixture.json(try await fixture.call("ingestEvents", body: envelope))["accepted"] as? Int == 1)
        // Redelivered an hour later: stamped with the publish time, not the delivery time, so recognised.
        fixture.clock.advance(by: .seconds(3600))
        let again = try fixture.json(try await fixture.call("ingestEvents", body: envelope))
        #expect(again["duplicates"] as? Int == 1)
        let segments = try await EventLog(store: fixture.store).segments()
        let events = try await EventLog(store: fixture.store).events(in: segments)
        #expect(events.map(\.timestamp) == [1_789_998_390])
        #expect(events.first?.timestampSource == .received)
    }

    @Test func timestampsInMillisecondsAndWithOffsetsAreAccepted() async throws {
        let fixture = try HandlerFixture(now: Date(timeIntervalSince1970: 1_790_000_000))
        let body = """
            [{"type":"ride","userId":"u1","itemId":"p","timestamp":881248549000},
             {"type":"ride","userId":"u2","itemId":"p","timestamp":"1997-12-04T17:15:49+02:00"},
             {"type":"ride","userId":"u3","itemId":"p","timestamp":1790172801}]
            """
        let receipt = try fixture.json(try await fixture.call("ingestEvents", body: body))
        #expect(receipt["accepted"] as? Int == 2)
        let rejected = try #require(receipt["rejected"] as? [[String: Any]])
        #expect(rejected.first?["error"] as? String == "timestamp is more than a day in the future")
        let segments = try await EventLog(store: fixture.store).segments()
        let events = try await EventLog(store: fixture.store).events(in: segments)
        #expect(events.map(\.timestamp) == [881_248_549, 881_248_549])
        #expect(events.allSatisfy { $0.timestampSource == nil })
    }

    @Test func resendingIsIdempotent() async throws {
        let fixture = try HandlerFixture()
        let body = #"{"events":[\#(Self.ride)]}"#
        _ = try await fixture.call("ingestEvents", body: body)
        let again = try fixture.json(try await fixture.call("ingestEvents", body: body))
        #expect(again["accepted"] as? Int == 0)
        #expect(again["duplicates"] as? Int == 1)
        let segments = try await EventLog(store: fixture.store).segments()
        #expect(try await EventLog(store: fixture.store).events(in: segments).count == 1)
    }

    @Test func aBatchOfOnlyBadEventsIs400() async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("ingestEvents", body: #"{"events":[{"type":"ride"}]}"#)
        #expect(response.status == 400)
    }

    @Test(arguments: ["", "{", #"{"events":{}}"#, "42"])
    func malformedBodiesAre400(body: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("ingestEvents", body: body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""code":"invalid_argument""#))
    }

    @Test func batchesAreLimitedTo1000() async throws {
        let fixture = try HandlerFixture()
        let body = #"{"events":["# + Array(repeating: Self.ride, count: 1001).joined(separator: ",") + "]}"
        let response = try await fixture.call("ingestEvents", body: body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("at most 1000 events"))
    }

    @Test func pubSubPushEnvelopesAreUnwrappedAndPoisonIsAcknowledged() async throws {
        let fixture = try HandlerFixture()
        let data = Data(#"{"events":[\#(Self.ride)]}"#.utf8).base64EncodedString()
        let envelope = #"{"message":{"data":"\#(data)","messageId":"1"},"subscription":"projects/p/subscriptions/s"}"#
        let response = try await fixture.call("ingestEvents", body: envelope)
        #expect(response.status == 200)
        #expect(try fixture.json(response)["accepted"] as? Int == 1)
        let poison = Data(#"{"type":"ride"}"#.utf8).base64EncodedString()
        let acknowledged = try await fixture.call("ingestEvents", body: #"{"message":{"data":"\#(poison)"}}"#)
        #expect(acknowledged.status == 200, "Pub/Sub would redeliver a bad message forever")
    }
}

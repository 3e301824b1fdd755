import Foundation
import Storage
import Testing

@testable import Recommender

@Suite("snapshot read at scale: canonical lines and an order-independent id")
struct SnapshotScaleTests {
    static let canonical: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func variedEvents() -> [RideEvent] {
        var events = SnapshotTests.rides(6)
        events[1].city = "lisbon"
        events[2].pickup = "zone-3"
        events[3].weight = 2.5
        var conversion = RideEvent(
            eventId: "c-1", type: .conversion, userId: "u1", itemId: "p2", timestamp: 1_780_000_100,
            requestId: "req-9")
        conversion.experimentId = "rec-engine"
        conversion.variant = "treatment"
        events.append(conversion)
        // A conversion stamped on receipt: the writer must keep the field, not drop it.
        var received = conversion
        received.eventId = "c-2"
        received.timestampSource = .received
        events.append(received)
        events.append(RideEvent(eventId: "e/slash", type: .ride, userId: "ü", itemId: "p\"q", timestamp: -5))
        return events
    }

    @Test("the direct writer and the scanner agree with JSONEncoder and JSONDecoder")
    func canonicalFormMatchesFoundation() throws {
        for event in Self.variedEvents() {
            let reference = try Self.canonical.encode(event)
            #expect(try event.canonicalLine() == reference)
            let scanned = reference.withUnsafeBytes { CanonicalEventLine.decode($0) }
            if let scanned {
                #expect(scanned == event)
                #expect(CanonicalEventLine.encode(event).map { Data($0) } == reference)
            } else {
                #expect(CanonicalEventLine.encode(event) == nil, "only lines the writer would not write fall back")
            }
        }
    }

    @Test(
        "lines not in the canonical form fall back to JSONDecoder",
        arguments: [
            #"{"type":"ride","eventId":"a","itemId":"p","timestamp":1,"userId":"u"}"#,
            #"{"eventId":"a","itemId":"p","timestamp":01,"type":"ride","userId":"u"}"#,
            #"{"eventId":"a","itemId":"p","timestamp":1,"type":"ride","userId":"u","zzz":1}"#,
            #"{"eventId":"a","itemId":"p","timestamp":1,"type":"ride","userId":"u"} "#,
            #"{"eventId":"a\u0041","itemId":"p","timestamp":1,"type":"ride","userId":"u"}"#,
            #"{"eventId":"a","itemId":"p","timestamp":1.5,"type":"ride","userId":"u"}"#,
        ])
    func nonCanonicalLinesAreNotScanned(line: String) {
        #expect(Data(line.utf8).withUnsafeBytes { CanonicalEventLine.decode($0) } == nil)
    }

    @Test("canonical and non-canonical segments of the same events give the same id and events")
    func idDoesNotDependOnTheLineForm() async throws {
        let events = Self.variedEvents()
        let plain = try StoreFixture()
        try await plain.append(events)  // default JSONEncoder: unsorted keys, the fallback path
        let canonical = try StoreFixture()
        let writer = try SegmentWriter(store: canonical.store, configuration: .init(prefix: "events"), writerID: "c")
        for event in events.reversed() { _ = try writer.append(try event.canonicalLine()) }
        try await writer.close()
        let (first, read) = try await SnapshotStore(store: plain.store).take(now: Date())
        let (second, scanned) = try await SnapshotStore(store: canonical.store).take(now: Date())
        #expect(first.id == second.id)
        #expect(first.id == DataSnapshot.id(of: events))
        #expect(read == events)
        #expect(Set(scanned) == Set(events))
    }

    @Test("a snapshot taken under the legacy sorted-hash id still loads and verifies")
    func legacySnapshotsStillLoad() async throws {
        let fixture = try StoreFixture()
        let events = SnapshotTests.rides(12)
        try await fixture.append(events)
        let (taken, _) = try await SnapshotStore(store: fixture.store).take(now: Date())
        var legacy = taken
        legacy.id = DataSnapshot.legacyId(of: events)
        #expect(legacy.id != taken.id)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try await fixture.store.put(
            DataSnapshot.key(for: legacy.id), data: try encoder.encode(legacy), precondition: .ifNoneMatch)
        let (loaded, read) = try await SnapshotStore(store: fixture.store).load(legacy.id)
        #expect(loaded.id == legacy.id)
        #expect(read == events)
    }

    @Test("streamed rides are the rides of the world, rider by rider")
    func streamMatchesRides() throws {
        var configuration = RideWorldConfiguration()
        configuration.riders = 90
        configuration.places = 40
        configuration.days = 6
        configuration.cities = ["a", "b", "c"]
        let world = try RideWorld(configuration: configuration)
        var stream = RideStream(world: world)
        var streamed: [Interaction] = []
        while let batch = stream.next(riders: 7) { streamed += batch }
        let sorted = streamed.sorted { ($0.timestamp, $0.userId, $0.itemId) < ($1.timestamp, $1.userId, $1.itemId) }
        #expect(sorted == world.rides())
        #expect(!streamed.isEmpty)
    }
}

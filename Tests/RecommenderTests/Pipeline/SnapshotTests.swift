import Foundation
import Recommender
import Storage
import Testing

@Suite("snapshots freeze training data under a content-addressed id")
struct SnapshotTests {
    static func rides(_ count: Int) -> [RideEvent] {
        (0..<count).map { index in
            var event = RideEvent(
                eventId: "", type: .ride, userId: "u\(index % 7)", itemId: "p\(index % 5)",
                timestamp: 1_780_000_000 + Int64(index))
            event.eventId = event.contentHash()
            return event
        }
    }

    @Test func sameEventsGiveTheSameIdWhateverTheSegments() async throws {
        let events = Self.rides(40)
        let one = try StoreFixture()
        try await one.append(events)
        let two = try StoreFixture()
        try await two.append(Array(events[20...]), writerID: "b")
        try await two.append(Array(events[..<20]), writerID: "a")
        try await two.append(Array(events[..<5]), writerID: "c")  // a redelivered batch: duplicates
        let (first, _) = try await SnapshotStore(store: one.store).take(now: Date())
        let (second, read) = try await SnapshotStore(store: two.store).take(now: Date())
        #expect(first.id == second.id)
        #expect(second.eventCount == 40, "duplicates are dropped by event id")
        #expect(read.count == 40)
        #expect(second.segments.count == 3)
        #expect(DataSnapshot.isValidId(first.id))
    }

    @Test func differentEventsGiveDifferentIds() {
        #expect(DataSnapshot.id(of: Self.rides(10)) != DataSnapshot.id(of: Self.rides(11)))
    }

    @Test func aSnapshotReloadsExactlyItsEventsAfterMoreArrive() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(Self.rides(30))
        let (taken, _) = try await SnapshotStore(store: fixture.store).take(now: Date())
        try await fixture.append(Self.rides(50), writerID: "later")
        let (reloaded, events) = try await SnapshotStore(store: fixture.store).load(taken.id)
        #expect(reloaded == taken)
        #expect(events.count == 30)
        let (now, _) = try await SnapshotStore(store: fixture.store).take(now: Date())
        #expect(now.id != taken.id)
    }

    @Test func aTamperedSegmentIsDetected() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(Self.rides(10))
        let (taken, _) = try await SnapshotStore(store: fixture.store).take(now: Date())
        let key = try #require(taken.segments.first?.key)
        try await fixture.store.put(key, data: Data("{}\n".utf8), precondition: .none)
        await #expect(throws: EventLogError.segmentChanged(key: key)) {
            try await SnapshotStore(store: fixture.store).load(taken.id)
        }
    }

    @Test(arguments: ["snap-../../etc", "snap-123", "v0.1.0", "snap-0123456789abcdeg"])
    func malformedIdsAreRefused(id: String) async throws {
        let fixture = try StoreFixture()
        await #expect(throws: SnapshotError.invalidId(id)) {
            try await SnapshotStore(store: fixture.store).load(id)
        }
    }
}

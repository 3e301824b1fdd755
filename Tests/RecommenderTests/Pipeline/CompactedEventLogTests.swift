import Foundation
import Recommender
import Storage
import Testing

@Suite("event reading after compaction")
struct CompactedEventLogTests {
    /// 2026-03-10T12:00:00Z.
    static let today = Date(timeIntervalSince1970: 1_773_144_000)

    /// Writes `events` as one segment flushed at `date`.
    static func append(_ events: [RideEvent], at date: Date, writer: String, to store: FileStore) async throws {
        let writer = try SegmentWriter(
            store: store, configuration: .init(prefix: "events"), writerID: writer, now: { date })
        for event in events { _ = try writer.append(event) }
        try await writer.close()
    }

    /// Ten segments of four rides over the two days before ``today``.
    static func seed(_ fixture: StoreFixture) async throws -> [RideEvent] {
        let events = SnapshotTests.rides(40)
        for segment in 0..<10 {
            let at = today.addingTimeInterval(-86_400 * Double(1 + segment % 2) + Double(segment) * 1800)
            try await append(
                Array(events[(segment * 4)..<(segment * 4 + 4)]), at: at, writer: "w\(segment)", to: fixture.store)
        }
        return events
    }

    static func compact(_ store: any ObjectStore) async throws -> CompactionReport {
        try await SegmentCompactor(store: store, prefix: "events", now: { today }).run()
    }

    @Test func aSnapshotTakenBeforeCompactionReloadsWithTheSameId() async throws {
        let fixture = try StoreFixture()
        let events = try await Self.seed(fixture)
        let snapshots = SnapshotStore(store: fixture.store)
        let (before, _) = try await snapshots.take(now: Self.today)
        #expect(before.segments.count == 10)
        #expect(try await Self.compact(fixture.store).segmentsMerged == 10)
        let (reloaded, read) = try await snapshots.load(before.id)
        #expect(reloaded == before)
        #expect(Set(read.map(\.eventId)) == Set(events.map(\.eventId)))
        // A new snapshot reads the daily files: the same events, the same id.
        let (after, _) = try await snapshots.take(now: Self.today)
        #expect(after.id == before.id)
        #expect(after.segments.allSatisfy { $0.key.contains("/daily-") })
        // A late segment; a snapshot now records daily files and the late segment. A second generation absorbs
        // both, and every snapshot still reloads.
        try await Self.append(
            Array(SnapshotTests.rides(44).suffix(4)), at: Self.today.addingTimeInterval(-86_400), writer: "late",
            to: fixture.store)
        let (middle, _) = try await snapshots.take(now: Self.today)
        #expect(middle.eventCount == 44)
        #expect(middle.segments.count == 3)
        #expect(try await Self.compact(fixture.store).daysCompacted == 1)
        #expect(try await snapshots.load(before.id).0 == before)
        let (reloadedMiddle, middleEvents) = try await snapshots.load(middle.id)
        #expect(reloadedMiddle == middle)
        #expect(middleEvents.count == 44)
    }

    @Test func aDailyFileRewrittenSinceIsReportedAsChanged() async throws {
        let fixture = try StoreFixture()
        _ = try await Self.seed(fixture)
        let snapshots = SnapshotStore(store: fixture.store)
        let (before, _) = try await snapshots.take(now: Self.today)
        _ = try await Self.compact(fixture.store)
        // An erasure rewrites a daily file: the ranges the index recorded no longer hold the recorded bytes.
        let daily = try #require(
            try await fixture.store.list(prefix: "events/", continuationToken: nil, maxKeys: 100).objects.first {
                $0.key.hasSuffix(".jsonl")
            })
        let data = try #require(try await fixture.store.get(daily.key)).data
        let firstLine = try #require(data.firstIndex(of: 0x0A))
        try await fixture.store.put(
            daily.key, data: data.suffix(from: firstLine + 1), precondition: .ifMatch(daily.etag))
        await #expect(throws: EventLogError.self) { try await snapshots.load(before.id) }
    }

    @Test func readingByWriteHourIncludesTheDailyFileOfEveryOverlappingDay() async throws {
        let fixture = try StoreFixture()
        let events = try await Self.seed(fixture)
        _ = try await Self.compact(fixture.store)
        let log = EventLog(store: fixture.store)
        let yesterdayNoon = Self.today.addingTimeInterval(-86_400)
        let hour = try await log.segments(writtenFrom: yesterdayNoon, through: yesterdayNoon.addingTimeInterval(60))
        #expect(hour.count == 1)
        #expect(hour.first?.key.hasSuffix("/daily-00000001.jsonl") == true)
        let both = try await log.segments(
            writtenFrom: Self.today.addingTimeInterval(-2 * 86_400), through: Self.today)
        #expect(try await log.events(in: both).count == events.count)
        let none = try await log.segments(
            writtenFrom: Self.today.addingTimeInterval(-10 * 86_400),
            through: Self.today.addingTimeInterval(-9 * 86_400))
        #expect(none.isEmpty)
    }
}

import Foundation
import Storage
import Testing

@Suite("segment compaction")
struct SegmentCompactorTests {
    static func compactor(_ store: any ObjectStore, prefix: String = "events") -> SegmentCompactor {
        SegmentCompactor(store: store, prefix: prefix, now: { CompactionFixture.now })
    }

    @Test(arguments: Backend.testable)
    func mergesEachPastDayIntoOneDailyFileExactly(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let fixture = try await CompactionFixture.write(to: store)
            let report = try await Self.compactor(store).run()
            #expect(report.daysCompacted == 3)
            #expect(report.segmentsMerged == 27)
            #expect(
                report.bytesWritten
                    == fixture.segments.filter { !$0.key.contains("/03/10/") }.values.reduce(0) { $0 + $1.count })
            let keys = try await CompactionFixture.keys(store, prefix: "events/")
            for day in CompactionFixture.days {
                #expect(
                    keys.filter { $0.hasPrefix("events/\(day)/") } == [
                        "events/\(day)/daily-00000001.index.json", "events/\(day)/daily-00000001.jsonl",
                    ])
            }
            #expect(keys.filter { $0.hasPrefix("events/\(CompactionFixture.today)/") }.count == 2, "today stays")
            #expect(try await CompactionFixture.storedLines(store) == fixture.lines, "every line once")
            #expect(try await CompactionFixture.keys(store, prefix: CompactionIntent.folder).isEmpty)
            // Every merged segment's bytes are where its index says, in a daily file whose ETag it names.
            var lookup = CompactedSegmentLookup(store: store)
            for (key, data) in fixture.segments where !key.contains("/03/10/") {
                let etag = try await Self.etag(of: data, in: store)
                let found = try await lookup.bytes(of: key, etag: etag)
                #expect(found == .found(data))
                let other = try await lookup.bytes(of: key, etag: "other")
                #expect(other == .changed)
            }
            #expect(try await Self.compactor(store).run() == CompactionReport(), "a second run has nothing to do")
        }
    }

    @Test(arguments: Backend.testable)
    func lateSegmentsOfACompactedDayMakeTheNextGeneration(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            var fixture = try await CompactionFixture.write(to: store)
            _ = try await Self.compactor(store).run()
            let day = CompactionFixture.days[1]
            let firstDaily = try #require(try await store.head("events/\(day)/daily-00000001.jsonl"))
            try await fixture.add("events/\(day)/23/late-00000001.jsonl", lines: 3, to: store)
            let report = try await Self.compactor(store).run()
            #expect(report.daysCompacted == 1)
            #expect(report.segmentsMerged == 2, "the late segment and the first daily file")
            let keys = try await CompactionFixture.keys(store, prefix: "events/\(day)/")
            #expect(keys == ["events/\(day)/daily-00000002.index.json", "events/\(day)/daily-00000002.jsonl"])
            #expect(try await CompactionFixture.storedLines(store) == fixture.lines)
            // The second index still answers for the segments merged into the first, and for the first itself.
            var lookup = CompactedSegmentLookup(store: store)
            let absorbed = try await lookup.bytes(of: firstDaily.key, etag: firstDaily.etag)
            #expect(absorbed != .notMerged)
            for (key, data) in fixture.segments where key.hasPrefix("events/\(day)/") {
                let etag = try await Self.etag(of: data, in: store)
                let found = try await lookup.bytes(of: key, etag: etag)
                #expect(found == .found(data))
            }
        }
    }

    /// Kills the run after every possible number of writes and deletes, then lets the next run resume.
    @Test func aRunKilledAtAnyStepLosesAndDuplicatesNothingOnceResumed() async throws {
        let folder = try makeTemporaryFolder("compaction-crash")
        defer { try? FileManager.default.removeItem(at: folder) }
        var steps = 0
        while true {
            let root = folder.appendingPathComponent("\(steps)")
            let store = try FileStore(root: root)
            var fixture = try await CompactionFixture.write(to: store, perHour: 2, lines: 2)
            // A compacted day with late segments, so the second generation's steps are killed too.
            _ = try await Self.compactor(store).run()
            try await fixture.add("events/\(CompactionFixture.days[0])/07/late-00000001.jsonl", lines: 2, to: store)
            try await fixture.add("events/\(CompactionFixture.days[2])/00/late-00000001.jsonl", lines: 2, to: store)
            // And a day never compacted (first generation, three sources).
            for hour in ["02", "03", "04"] {
                try await fixture.add("events/2026/03/06/\(hour)/w-00000001.jsonl", lines: 2, to: store)
            }
            let faulty = FaultInjectingStore(store, allowedMutations: steps)
            let finished = (try? await Self.compactor(faulty).run()) != nil
            // Nothing lost at the crash point: every line is stored (perhaps twice, in a daily file and its source).
            #expect(Set(try await CompactionFixture.storedLines(store)) == Set(fixture.lines), "step \(steps)")
            _ = try await Self.compactor(store).run()
            #expect(try await CompactionFixture.storedLines(store) == fixture.lines, "step \(steps): once each")
            #expect(try await CompactionFixture.keys(store, prefix: CompactionIntent.folder).isEmpty)
            for day in CompactionFixture.days + ["2026/03/06"] {
                let dayKeys = try await CompactionFixture.keys(store, prefix: "events/\(day)/")
                #expect(dayKeys.count == 2, "step \(steps): \(dayKeys)")
            }
            try? FileManager.default.removeItem(at: root)
            if finished { break }
            steps += 1
        }
        // Per day: intent, daily file, index, the intent's commit; then deleting the sources (a late segment and
        // the old daily file on two days, three hour segments on the third), the two old indexes and the three
        // intents: every one of these was a crash point.
        #expect(steps == 3 * 4 + (2 + 2 + 3) + 2 + 3)
    }

    @Test func aSegmentRewrittenWhileMergedDefersItsDay() async throws {
        let folder = try makeTemporaryFolder("compaction-erasure")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        var fixture = try await CompactionFixture.write(to: store, perHour: 1, lines: 2)
        let victim = "events/\(CompactionFixture.days[0])/07/w0-00000001.jsonl"
        // An erasure (or any writer) rewrites the segment right after the daily file is written.
        let racing = RewritingStore(store, after: "events/\(CompactionFixture.days[0])/daily-00000001.jsonl") {
            try await store.put(victim, data: Data("{\"eventId\":\"rewritten\"}\n".utf8), precondition: .none)
        }
        let report = try await Self.compactor(racing).run()
        #expect(report.daysDeferred == 1)
        #expect(report.daysCompacted == 2)
        #expect(try await store.head("events/\(CompactionFixture.days[0])/daily-00000001.jsonl") == nil)
        #expect(try await CompactionFixture.keys(store, prefix: CompactionIntent.folder).isEmpty)
        fixture.segments[victim] = Data("{\"eventId\":\"rewritten\"}\n".utf8)
        #expect(try await CompactionFixture.storedLines(store) == fixture.lines)
        #expect(try await Self.compactor(store).run().daysCompacted == 1, "the next run compacts it")
        #expect(try await CompactionFixture.storedLines(store) == fixture.lines)
    }

    @Test func keysSayTheirDayAndKind() {
        #expect(SegmentKey("events/2026/03/07/05/w-00000001.jsonl", prefix: "events")?.kind == .hourly(hour: 5))
        #expect(SegmentKey("events/2026/03/07/daily-00000012.jsonl", prefix: "events")?.kind == .daily(generation: 12))
        #expect(
            SegmentKey("traces/2026/03/07/daily-00000002.index.json", prefix: "traces")?.kind
                == .dailyIndex(generation: 2))
        #expect(SegmentKey("events/2026/03/07/daily-2.jsonl", prefix: "events") == nil)
        #expect(SegmentKey("events/2026/03/07/24/x.jsonl", prefix: "events") == nil)
        #expect(SegmentKey("events/2026/13/07/05/x.jsonl", prefix: "events")?.dayStart == nil)
        #expect(SegmentKey("models/2026/03/07/05/x.jsonl", prefix: "events") == nil)
        #expect(SegmentKey.day(of: CompactionFixture.now) == "2026/03/10")
    }

    /// The ETag `store` gives `data`.
    static func etag(of data: Data, in store: any ObjectStore) async throws -> String {
        try await store.put("scratch/etag", data: data, precondition: .none)
    }
}

/// A store that runs `action` once, right after `trigger` was written.
final class RewritingStore: ObjectStore {
    let base: any ObjectStore
    let trigger: String
    let action: @Sendable () async throws -> Void

    init(_ base: any ObjectStore, after trigger: String, action: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.trigger = trigger
        self.action = action
    }

    func get(_ key: String) async throws -> StoredObject? { try await base.get(key) }
    func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }
    func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
        let etag = try await base.put(key, data: data, precondition: precondition)
        if key == trigger { try await action() }
        return etag
    }
    func delete(_ key: String) async throws { try await base.delete(key) }
    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
        try await base.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    func uri(for key: String) -> String { base.uri(for: key) }
}

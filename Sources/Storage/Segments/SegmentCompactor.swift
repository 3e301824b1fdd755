import Foundation
import Logging

/// Merges the small segments of each finished UTC day into one daily file, so that reading a day costs one object
/// instead of one per flush (a busy writer flushes every 5 s: 17 280 segments a day per instance).
///
/// For each day strictly before today (by ``now``) with segments in its hour folders, the bytes of those
/// segments — after the day's existing daily file, if any — are concatenated verbatim into
/// `daily-<gen>.jsonl` (create-only, next generation) with a ``DailySegmentIndex`` beside it, then the sources
/// are deleted. A ``CompactionIntent`` written first makes it crash-safe: a run killed at any point is finished
/// or undone by the next (see ``CompactionIntent`` for the rules), so nothing is lost and, once the next run is
/// over, no record is stored twice. In between, a reader may find a record both in a daily file and in its
/// source: event readers keep the first occurrence of an event id, trace lookups the first match.
///
/// Run it holding the maintenance ``StoreLease``: erasure rewrites the same segments. Each source's ETag is
/// checked when read and again before anything is deleted; a source that changed meanwhile undoes that day's
/// output, which is redone from the rewritten sources on the next run.
public struct SegmentCompactor: Sendable {
    let store: any ObjectStore
    /// `events` or `traces`.
    public let prefix: String
    let now: @Sendable () -> Date
    let logger: Logger

    /// A compactor of the segments under `prefix` (without a slash).
    public init(
        store: any ObjectStore, prefix: String, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "rideease.storage.compaction")
    ) {
        self.store = store
        self.prefix = prefix
        self.now = now
        self.logger = logger
    }

    /// Resumes what a killed run left, then compacts every finished day that has small segments.
    public func run() async throws -> CompactionReport {
        var report = CompactionReport()
        for (key, etag, intent) in try await pendingIntents() {
            try Task.checkCancellation()
            try await resume(intent, etag: etag, key: key, report: &report)
        }
        let today = SegmentKey.day(of: now())
        for (day, objects) in try await days(before: today) {
            try Task.checkCancellation()
            try await compact(day: day, objects: objects, report: &report)
        }
        return report
    }

    /// The objects of each day before `today` that has at least one small `.jsonl` segment, by day.
    func days(before today: String) async throws -> [(String, [ObjectInfo])] {
        var byDay: [String: [ObjectInfo]] = [:]
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix + "/", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                guard let key = SegmentKey(object.key, prefix: prefix), key.day < today else { continue }
                byDay[key.day, default: []].append(object)
            }
            token = page.continuationToken
        } while token != nil
        return byDay.filter { _, objects in
            objects.contains { object in
                guard case .hourly = SegmentKey(object.key, prefix: prefix)?.kind else { return false }
                return object.key.hasSuffix(".jsonl")
            }
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private func compact(day: String, objects: [ObjectInfo], report: inout CompactionReport) async throws {
        var hourly: [ObjectInfo] = []
        var dailies: [Int: ObjectInfo] = [:]
        var indexes: [Int: ObjectInfo] = [:]
        for object in objects {
            switch SegmentKey(object.key, prefix: prefix)?.kind {
            case .hourly where object.key.hasSuffix(".jsonl"): hourly.append(object)
            case .daily(let generation): dailies[generation] = object
            case .dailyIndex(let generation): indexes[generation] = object
            default: continue
            }
        }
        guard dailies.count <= 1 else {
            // Only a run without the lease (or a hand edit) leaves two: which one holds what is unknown.
            logger.error(
                "day left uncompacted: it has more than one daily file",
                metadata: ["prefix": "\(prefix)", "day": "\(day)"])
            report.daysDeferred += 1
            return
        }
        let generation = (Array(dailies.keys) + Array(indexes.keys)).max() ?? 0
        let previous = dailies.first
        var sources = hourly.sorted { $0.key < $1.key }
        if let previous { sources.insert(previous.value, at: 0) }
        let intent = CompactionIntent(
            prefix: prefix, day: day, generation: generation + 1,
            sources: sources.map { .init(key: $0.key, etag: $0.etag) },
            obsolete: indexes.values.map(\.key).sorted(), phase: .writing)
        let intentKey = CompactionIntent.key(prefix: prefix, day: day)
        let intentEtag = try await store.put(
            intentKey, data: try CompactionIntent.encoder.encode(intent), precondition: .ifNoneMatch)
        guard let written = try await writeOutput(intent, previousIndex: previous.flatMap { indexes[$0.key] }) else {
            try await rollBack(intent, key: intentKey)
            report.daysDeferred += 1
            return
        }
        if try await commit(intent, etag: intentEtag, key: intentKey) {
            report.daysCompacted += 1
            report.segmentsMerged += intent.sources.count
            report.bytesWritten += written
        } else {
            report.daysDeferred += 1
        }
    }

    /// Writes the daily file and its index; returns the bytes written, or `nil` when a source changed or vanished
    /// since it was listed (nothing final was written then).
    private func writeOutput(_ intent: CompactionIntent, previousIndex: ObjectInfo?) async throws -> Int? {
        var body = Data()
        var entries: [DailySegmentIndex.Entry] = []
        for source in intent.sources {
            guard let object = try await store.get(source.key), object.etag == source.etag else { return nil }
            if case .daily = SegmentKey(source.key, prefix: prefix)?.kind {
                // The previous generation: its entries move with its bytes. An index that no longer describes the
                // daily file (an erasure rewrote the file) locates nothing any more: carry none of it.
                if let previousIndex, let index = try? await readIndex(previousIndex.key),
                    index.dailyEtag == object.etag
                {
                    entries += index.entries.map {
                        DailySegmentIndex.Entry(
                            key: $0.key, etag: $0.etag, offset: $0.offset + body.count, length: $0.length)
                    }
                } else {
                    logger.warning(
                        "the previous daily file's index does not describe it; its entries are not carried over",
                        metadata: ["prefix": "\(prefix)", "day": "\(intent.day)", "key": "\(source.key)"])
                }
            }
            entries.append(
                DailySegmentIndex.Entry(
                    key: source.key, etag: source.etag, offset: body.count, length: object.data.count))
            body.append(object.data)
            // Verbatim bytes, but a segment cut short of its newline must not glue its last line to the next one.
            if let last = object.data.last, last != UInt8(ascii: "\n") { body.append(UInt8(ascii: "\n")) }
        }
        let etag = try await store.put(intent.outputKey, data: body, precondition: .ifNoneMatch)
        let index = DailySegmentIndex(
            dailyKey: intent.outputKey, dailyEtag: etag, dailySize: body.count, generation: intent.generation,
            entries: entries)
        try await store.put(
            intent.indexKey, data: try DailySegmentIndex.encoder.encode(index), precondition: .ifNoneMatch)
        return body.count
    }

    func readIndex(_ key: String) async throws -> DailySegmentIndex? {
        guard let object = try await store.get(key) else { return nil }
        return try JSONDecoder().decode(DailySegmentIndex.self, from: object.data)
    }
}

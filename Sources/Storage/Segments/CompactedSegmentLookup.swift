import Foundation

/// Finds small segments in the daily files compaction merged them into.
///
/// A reader that recorded a segment by key and ETag (a snapshot manifest) and finds it gone asks the latest index
/// of the segment's day where its bytes went, checks that the daily file is still the one indexed, and reads
/// exactly that range: the same bytes the segment held. The last index and daily file read are kept, so a
/// snapshot of thousands of merged segments reads each day once, not once per segment.
public struct CompactedSegmentLookup: Sendable {
    /// What became of a segment.
    public enum Outcome: Sendable, Hashable {
        /// Its bytes, exactly as they were when recorded.
        case found(Data)
        /// No index of its day lists it.
        case notMerged
        /// It was merged at another version, or the daily file holding it was rewritten since (an erasure).
        case changed
    }

    let store: any ObjectStore
    private var index: (day: String, value: DailySegmentIndex?)?
    private var daily: StoredObject?

    /// A lookup over `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The bytes segment `key` had at `etag`, found through its day's latest index.
    public mutating func bytes(of key: String, etag: String) async throws -> Outcome {
        guard let slash = key.firstIndex(of: "/"), let segment = SegmentKey(key, prefix: String(key[..<slash])) else {
            return .notMerged
        }
        let day = segment.prefix + "/" + segment.day
        // A compaction running meanwhile may replace the daily file between the two reads: look again.
        for attempt in 0..<3 {
            if attempt > 0 || index?.day != day {
                index = (day, try await latestIndex(prefix: segment.prefix, day: segment.day))
            }
            guard let index = self.index?.value else { return .notMerged }
            let matches = index.entries.filter { $0.key == key }
            guard !matches.isEmpty else { return .notMerged }
            guard let entry = matches.last(where: { $0.etag == etag }) else { return .changed }
            if daily?.key != index.dailyKey || attempt > 0 { daily = try await store.get(index.dailyKey) }
            guard let daily else { continue }
            guard daily.etag == index.dailyEtag, entry.offset >= 0, entry.offset + entry.length <= daily.data.count
            else { return .changed }
            return .found(daily.data.subdata(in: entry.offset..<(entry.offset + entry.length)))
        }
        return .notMerged
    }

    /// The bytes of `key` at `etag` if the index and daily file last read hold them, without any I/O: after the
    /// first merged segment of a day, the others are served from memory instead of one failed read each.
    public func cachedBytes(of key: String, etag: String) -> Data? {
        guard let index = index?.value, let daily, daily.key == index.dailyKey, daily.etag == index.dailyEtag,
            let entry = index.entries.last(where: { $0.key == key && $0.etag == etag }),
            entry.offset >= 0, entry.offset + entry.length <= daily.data.count
        else { return nil }
        return daily.data.subdata(in: entry.offset..<(entry.offset + entry.length))
    }

    /// `day`'s index with the highest generation, or `nil` when the day was never compacted.
    public func latestIndex(prefix: String, day: String) async throws -> DailySegmentIndex? {
        guard let key = try await latestIndexKey(prefix: prefix, day: day), let object = try await store.get(key) else {
            return nil
        }
        return try JSONDecoder().decode(DailySegmentIndex.self, from: object.data)
    }

    /// The daily files of `day` under `prefix` (normally one; two while a compaction replaces it), in key order.
    public func dailyFiles(prefix: String, day: String) async throws -> [ObjectInfo] {
        try await dailyObjects(prefix: prefix, day: day).filter { object in
            if case .daily = SegmentKey(object.key, prefix: prefix)?.kind { true } else { false }
        }
    }

    /// The key of `day`'s index with the highest generation.
    func latestIndexKey(prefix: String, day: String) async throws -> String? {
        try await dailyObjects(prefix: prefix, day: day).last { object in
            if case .dailyIndex = SegmentKey(object.key, prefix: prefix)?.kind { true } else { false }
        }?.key
    }

    private func dailyObjects(prefix: String, day: String) async throws -> [ObjectInfo] {
        var result: [ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await store.list(
                prefix: SegmentKey.dailyPrefix(prefix: prefix, day: day), continuationToken: token, maxKeys: 1000)
            result += page.objects
            token = page.continuationToken
        } while token != nil
        return result
    }
}

import Foundation
import FunctionRuntime
import Storage
import Synchronization

/// Writes prediction traces off the request path and finds them again by request id.
///
/// Writing: the request appends to a ``SegmentWriter`` buffer (no I/O); group commit writes `traces/<yyyy>/<mm>/
/// <dd>/<hh>/<writer>-<seq>.jsonl` segments every few seconds and on shutdown. Finding: the last traces of this
/// instance are answered from memory (so a trace is readable at once); anything else is found in the segments of
/// the hour its UUIDv7 request id was created in, or the next two (a flush can lag a store outage), and in the
/// daily files of those hours' days once compaction merged them.
final class TraceLog: Sendable {
    let writer: SegmentWriter
    private let store: any ObjectStore
    private let recent = Mutex(RecentTraces(capacity: 10_000))

    init(writer: SegmentWriter, store: any ObjectStore) {
        self.writer = writer
        self.store = store
    }

    /// Buffers a trace; `false` when the buffer was full and it was dropped.
    func record(_ trace: PredictionTrace) -> Bool {
        recent.withLock { $0.insert(trace) }
        return (try? writer.append(trace.jsonLine)) ?? false
    }

    /// The trace of `requestId`, or `nil` when none was recorded.
    ///
    /// Looks in the small segments of the three hours, then in the daily files of their days (compaction merges a
    /// finished day into one), so a lookup reads at most a few objects per day, not one per flush.
    func find(_ requestId: String) async throws -> PredictionTrace? {
        if let trace = recent.withLock({ $0.traces[requestId] }) { return trace }
        guard let created = RequestID.timestamp(of: requestId) else { return nil }
        let needle = Data("\"requestId\":\"\(requestId)\"".utf8)
        let hours = (0..<3).map { created.addingTimeInterval(Double($0) * 3600) }
        for hour in hours {
            var token: String?
            repeat {
                let page = try await store.list(prefix: Self.hourPrefix(hour), continuationToken: token, maxKeys: 1000)
                for segment in page.objects {
                    if let trace = try await firstTrace(in: segment.key, needle: needle) { return trace }
                }
                token = page.continuationToken
            } while token != nil
        }
        let folders = Set(hours.map(SegmentWriter.hourFolder(of:)))
        for day in Set(hours.map(SegmentKey.day(of:))).sorted() {
            if let trace = try await firstTraceInDailyFile(day: day, hourFolders: folders, needle: needle) {
                return trace
            }
        }
        return nil
    }

    /// The trace among what `day`'s daily file holds of the segments written in `hourFolders`: only their byte
    /// ranges (from the day's index) are searched, not the whole day.
    private func firstTraceInDailyFile(
        day: String, hourFolders: Set<String>, needle: Data
    ) async throws -> PredictionTrace? {
        let lookup = CompactedSegmentLookup(store: store)
        guard let index = try await lookup.latestIndex(prefix: "traces", day: day),
            let daily = try await store.get(index.dailyKey), daily.etag == index.dailyEtag
        else {
            // Never compacted, being replaced, or rewritten since it was indexed (an erasure): search it whole.
            for daily in try await lookup.dailyFiles(prefix: "traces", day: day).reversed() {
                if let data = try await store.get(daily.key)?.data, let trace = firstTrace(in: data, needle: needle) {
                    return trace
                }
            }
            return nil
        }
        for entry in index.entries where entry.offset >= 0 && entry.offset + entry.length <= daily.data.count {
            // `traces/<yyyy>/<mm>/<dd>/<hh>/…`: earlier daily files' entries name no hour and are skipped (their
            // segments have entries of their own).
            guard hourFolders.contains(String(entry.key.dropFirst("traces/".count).prefix(13))) else { continue }
            let range = (daily.data.startIndex + entry.offset)..<(daily.data.startIndex + entry.offset + entry.length)
            if let trace = firstTrace(in: daily.data[range], needle: needle) { return trace }
        }
        return nil
    }

    /// The trace in segment `key` whose line contains `needle`, if any.
    private func firstTrace(in key: String, needle: Data) async throws -> PredictionTrace? {
        guard let data = try await store.get(key)?.data else { return nil }
        return firstTrace(in: data, needle: needle)
    }

    /// The trace in `data` (JSON lines) whose line contains `needle`, if any.
    private func firstTrace(in data: Data, needle: Data) -> PredictionTrace? {
        guard data.range(of: needle) != nil else { return nil }
        for line in data.split(separator: UInt8(ascii: "\n")) where line.range(of: needle) != nil {
            if let trace = try? JSONCoding.decoder.decode(PredictionTrace.self, from: Data(line)) { return trace }
        }
        return nil
    }

    /// Drops `userId`'s traces from this instance's recent traces (a rider's erasure); returns how many.
    @discardableResult
    func forget(userId: String) -> Int {
        recent.withLock { $0.remove(userId: userId) }
    }

    static func hourPrefix(_ date: Date) -> String {
        "traces/\(SegmentWriter.hourFolder(of: date))/"
    }
}

/// A bounded map of this instance's latest traces, oldest evicted first.
struct RecentTraces {
    let capacity: Int
    var traces: [String: PredictionTrace] = [:]
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func insert(_ trace: PredictionTrace) {
        if order.count < capacity {
            order.append(trace.requestId)
        } else {
            traces[order[head]] = nil
            order[head] = trace.requestId
            head = (head + 1) % capacity
        }
        traces[trace.requestId] = trace
    }

    /// Removes every trace of `userId`; their slots in `order` are reused when eviction reaches them.
    mutating func remove(userId: String) -> Int {
        let before = traces.count
        traces = traces.filter { $0.value.userId != userId }
        return before - traces.count
    }
}

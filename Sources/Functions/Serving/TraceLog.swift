import Foundation
import FunctionRuntime
import Storage
import Synchronization

/// Writes prediction traces off the request path and finds them again by request id.
///
/// Writing: the request appends to a ``SegmentWriter`` buffer (no I/O); group commit writes `traces/<yyyy>/<mm>/
/// <dd>/<hh>/<writer>-<seq>.jsonl` segments every few seconds and on shutdown. Finding: the last traces of this
/// instance are answered from memory (so a trace is readable at once); anything else is found in the segments of
/// the hour its UUIDv7 request id was created in, or the next two (a flush can lag a store outage).
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
    func find(_ requestId: String) async throws -> PredictionTrace? {
        if let trace = recent.withLock({ $0.traces[requestId] }) { return trace }
        guard let created = RequestID.timestamp(of: requestId) else { return nil }
        let needle = Data("\"requestId\":\"\(requestId)\"".utf8)
        for hour in 0..<3 {
            let prefix = Self.hourPrefix(created.addingTimeInterval(Double(hour) * 3600))
            var token: String?
            repeat {
                let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000)
                for segment in page.objects {
                    guard let object = try await store.get(segment.key), object.data.range(of: needle) != nil else {
                        continue
                    }
                    for line in object.data.split(separator: UInt8(ascii: "\n")) where line.range(of: needle) != nil {
                        if let trace = try? JSONCoding.decoder.decode(PredictionTrace.self, from: Data(line)) {
                            return trace
                        }
                    }
                }
                token = page.continuationToken
            } while token != nil
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

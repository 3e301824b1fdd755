import Foundation
import Storage

/// Reads the append-only event segments under `events/`.
///
/// Segments are written at least once, so a record may appear twice; readers keep the first occurrence of each
/// `eventId`, which is what makes ingestion idempotent.
public struct EventLog: Sendable {
    /// The key prefix of event segments.
    public static let prefix = "events/"

    let store: any ObjectStore

    /// Creates a reader over `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// Every segment's key, ETag and size, in key order.
    public func segments() async throws -> [ObjectInfo] {
        var result: [ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: Self.prefix, continuationToken: token, maxKeys: 1000)
            result += page.objects.filter { $0.key.hasSuffix(".jsonl") }
            token = page.continuationToken
        } while token != nil
        return result
    }

    /// The events of `segments`, de-duplicated by `eventId` (first occurrence wins), in segment order.
    ///
    /// Throws ``EventLogError/segmentChanged(key:)`` when a segment's ETag no longer matches: a snapshot must read
    /// exactly what it recorded.
    public func events(in segments: [ObjectInfo]) async throws -> [RideEvent] {
        try await read(segments).events
    }

    /// The de-duplicated events of `segments` and their content digest, in one linear pass.
    ///
    /// Lines in the canonical form RideEase writes are scanned directly and their raw bytes hashed; any other
    /// line is decoded by `JSONDecoder` and hashed by its canonical re-encoding, so the digest depends only on
    /// the events. Segments are fetched one at a time, so only one segment's bytes are held beside the events.
    func read(_ segments: [ObjectInfo]) async throws -> (events: [RideEvent], digest: SnapshotDigest) {
        var seen = Set<String>()
        var events: [RideEvent] = []
        var digest = SnapshotDigest()
        let decoder = JSONDecoder()
        let encoder = SnapshotDigest.canonicalEncoder()
        var merged = CompactedSegmentLookup(store: store)
        for segment in segments {
            let data = try await bytes(of: segment, merged: &merged)
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var start = 0
                while start < raw.count {
                    var end = start
                    while end < raw.count, raw[end] != UInt8(ascii: "\n") { end += 1 }
                    let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    start = end + 1
                    guard !line.isEmpty else { continue }
                    if let event = CanonicalEventLine.decode(line) {
                        guard seen.insert(event.eventId).inserted else { continue }
                        digest.add(canonicalLine: line)
                        events.append(event)
                    } else if let event = try? decoder.decode(RideEvent.self, from: Data(line)) {
                        guard seen.insert(event.eventId).inserted else { continue }
                        digest.add(event, encoder: encoder)
                        events.append(event)
                    }
                }
            }
        }
        return (events, digest)
    }
}

extension EventLog {
    /// The bytes `segment` held at its recorded ETag: the object itself, or, once compaction merged it into its
    /// day's daily file, exactly its range there.
    func bytes(of segment: ObjectInfo, merged: inout CompactedSegmentLookup) async throws -> Data {
        if let data = merged.cachedBytes(of: segment.key, etag: segment.etag) { return data }
        if let object = try await store.get(segment.key) {
            guard object.etag == segment.etag else { throw EventLogError.segmentChanged(key: segment.key) }
            return object.data
        }
        switch try await merged.bytes(of: segment.key, etag: segment.etag) {
        case .found(let data): return data
        case .notMerged: throw EventLogError.segmentMissing(key: segment.key)
        case .changed: throw EventLogError.segmentChanged(key: segment.key)
        }
    }
}

/// A segment a snapshot needs is gone or altered.
public enum EventLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The segment no longer exists.
    case segmentMissing(key: String)
    /// The segment's content differs from what was recorded.
    case segmentChanged(key: String)

    public var description: String {
        switch self {
        case .segmentMissing(let key): "event segment \(key) is missing"
        case .segmentChanged(let key): "event segment \(key) changed since the snapshot was taken"
        }
    }
}

import Crypto
import Foundation
import Storage

/// The frozen input of a training run: which event segments it read and what they held.
///
/// The id is content-addressed — an order-independent hash of the de-duplicated events' canonical lines (see
/// ``SnapshotDigest``) — so the same events give the same id however they were batched into segments; the manifest lists the segments (with ETags) so a model
/// can be retrained on exactly its data. Stored at `snapshots/<id>.json`.
public struct DataSnapshot: Codable, Sendable, Hashable {
    /// One segment the snapshot read.
    public struct Segment: Codable, Sendable, Hashable {
        /// The segment's key.
        public var key: String
        /// Its ETag when read.
        public var etag: String
        /// Its size in bytes.
        public var size: Int
    }

    /// `snap-` and 16 hex digits of the events' content digest.
    public var id: String
    /// When the snapshot was taken.
    public var createdAt: Date
    /// The segments read, in key order.
    public var segments: [Segment]
    /// Distinct events (after de-duplication by event id).
    public var eventCount: Int
    /// Distinct ride events (the training interactions).
    public var rideCount: Int

    /// The key a snapshot manifest is stored under.
    public static func key(for id: String) -> String { "snapshots/\(id).json" }

    /// Whether `id` has the form of a snapshot id (safe to use in a key).
    public static func isValidId(_ id: String) -> Bool {
        id.hasPrefix("snap-") && id.count == 21 && id.dropFirst(5).allSatisfy(\.isHexDigit)
    }

    /// The content-addressed id of `events` (assumed distinct by event id), as ``SnapshotStore`` computes it
    /// while reading.
    public static func id(of events: [RideEvent]) -> String {
        var digest = SnapshotDigest()
        let encoder = SnapshotDigest.canonicalEncoder()
        for event in events { digest.add(event, encoder: encoder) }
        return digest.id
    }

    /// The id snapshots had before the order-independent digest: SHA-256 of the events sorted by event id,
    /// each re-encoded. Kept only so `load` still verifies snapshots taken then (`n log n`, slow at scale).
    static func legacyId(of events: [RideEvent]) -> String {
        let encoder = SnapshotDigest.canonicalEncoder()
        var hasher = SHA256()
        for event in events.sorted(by: { $0.eventId < $1.eventId }) {
            hasher.update(data: (try? encoder.encode(event)) ?? Data())
            hasher.update(data: Data([0x0A]))
        }
        return "snap-" + hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

/// Takes and reloads snapshots.
public struct SnapshotStore: Sendable {
    let store: any ObjectStore

    /// Creates a snapshot store over `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// Freezes every event segment now in the store; returns the snapshot and its events.
    public func take(now: Date) async throws -> (DataSnapshot, [RideEvent]) {
        let log = EventLog(store: store)
        let segments = try await log.segments()
        let (events, digest) = try await log.read(segments)
        let snapshot = DataSnapshot(
            id: digest.id,
            // Whole seconds: what the ISO-8601 manifest keeps, so a reloaded snapshot equals the one taken.
            createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)),
            segments: segments.map { DataSnapshot.Segment(key: $0.key, etag: $0.etag, size: $0.size) },
            eventCount: events.count,
            rideCount: events.count { $0.type == .ride }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try await store.put(
                DataSnapshot.key(for: snapshot.id), data: try encoder.encode(snapshot), precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {
            // The same events were snapshotted before: the existing manifest describes them equally well.
        }
        return (snapshot, events)
    }

    /// Reloads snapshot `id` and exactly the events it recorded.
    public func load(_ id: String) async throws -> (DataSnapshot, [RideEvent]) {
        guard DataSnapshot.isValidId(id) else { throw SnapshotError.invalidId(id) }
        guard let object = try await store.get(DataSnapshot.key(for: id)) else { throw SnapshotError.notFound(id) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let snapshot = try decoder.decode(DataSnapshot.self, from: object.data)
        let infos = snapshot.segments.map { ObjectInfo(key: $0.key, size: $0.size, etag: $0.etag, lastModified: nil) }
        let (events, digest) = try await EventLog(store: store).read(infos)
        // Snapshots taken before the digest was order-independent carry the legacy id: verify those the old way.
        guard digest.id == id || DataSnapshot.legacyId(of: events) == id else {
            throw SnapshotError.contentMismatch(id)
        }
        return (snapshot, events)
    }
}

/// A snapshot that cannot be used.
public enum SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not of the form `snap-` + 16 hex digits.
    case invalidId(String)
    /// No manifest under that id.
    case notFound(String)
    /// The segments no longer hold the events the id was computed from.
    case contentMismatch(String)

    public var description: String {
        switch self {
        case .invalidId(let id): "\"\(id)\" is not a snapshot id (snap- followed by 16 hex digits)"
        case .notFound(let id): "snapshot \(id) does not exist"
        case .contentMismatch(let id): "the events of snapshot \(id) have changed since it was taken"
        }
    }
}

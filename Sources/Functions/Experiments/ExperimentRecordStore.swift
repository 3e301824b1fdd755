import Foundation
import FunctionRuntime
import Recommender
import Storage

/// Reads and compare-and-swaps experiment records and the pointer to the experiment every instance serves, and
/// appends every change to the audit trail.
///
/// Layout: `experiment-records/<id>.json` (one record each), `experiment-records/active.json`
/// (`{"experimentId"}`: the experiment the serving instances follow, re-read on every deployment poll), and
/// `audit/experiments/<id>/<timestamp>-r<revision>-<action>.json`. The pointer's name cannot clash with a record:
/// ids are single path segments, and `active` is refused as an id.
public struct ExperimentRecordStore: Sendable {
    /// The folder of the records.
    public static let prefix = "experiment-records/"
    /// The key of the active-experiment pointer.
    public static let activeKey = prefix + "active.json"
    /// Ids that would collide with the pointer.
    public static let reservedIds: Set<String> = ["active"]

    /// What the pointer holds.
    public struct Active: Codable, Sendable, Equatable {
        public var experimentId: String
    }

    /// One audited change of a record.
    public struct Audit: Codable, Sendable, Equatable {
        /// `create`, `start`, `stop`, `revert` (a start that lost a race) or `seed` (from `RIDEEASE_EXPERIMENT`).
        public var action: String
        public var actor: String
        public var at: Date
        public var experimentId: String
        public var from: ExperimentStatus?
        public var to: ExperimentStatus
        public var revision: Int
        public var requestId: String?
    }

    let store: any ObjectStore

    public init(store: any ObjectStore) { self.store = store }

    public static func key(for experimentId: String) -> String { prefix + experimentId + ".json" }

    /// Why `id` cannot name an experiment, or `nil` when it can: it names the experiment's objects in the store
    /// (record, tallies, deployment, audit), so it is one short path segment of letters, digits, `-`, `_` and `.`,
    /// not `.` or `..`, and not the pointer's name.
    public static func problem(withId id: String) -> String? {
        let allowed = id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-_.".utf8.contains(byte)
        }
        guard (1...128).contains(id.utf8.count), allowed, id != ".", id != ".." else {
            return "id \"\(id)\" must be 1-128 letters, digits, - _ . (one path segment)"
        }
        guard !reservedIds.contains(id) else { return "id \"\(id)\" is reserved" }
        return nil
    }

    /// The record and its ETag, or `nil` when there is none.
    public func record(_ experimentId: String) async throws -> (ExperimentRecord, etag: String)? {
        guard let object = try await store.get(Self.key(for: experimentId)) else { return nil }
        return (try JSONCoding.decoder.decode(ExperimentRecord.self, from: object.data), object.etag)
    }

    /// Every record, newest first.
    public func list() async throws -> [ExperimentRecord] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: Self.prefix, continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key).filter { $0 != Self.activeKey && $0.hasSuffix(".json") }
            token = page.continuationToken
        } while token != nil
        var records: [ExperimentRecord] = []
        for key in keys {
            guard let object = try await store.get(key) else { continue }
            records.append(try JSONCoding.decoder.decode(ExperimentRecord.self, from: object.data))
        }
        return records.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    /// Writes `next` only if the stored record still has `etag` (`nil`: only if there is none), then its audit.
    ///
    /// Throws `StorageError.preconditionFailed` when another writer got there first.
    @discardableResult
    public func swap(_ next: ExperimentRecord, expecting etag: String?, audit: Audit) async throws -> String {
        let tag = try await store.put(
            Self.key(for: next.id), data: try JSONCoding.encoder.encode(next),
            precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch)
        let stamp = ISO8601DateFormatter().string(from: audit.at).filter(\.isNumber)
        try await store.put(
            "audit/experiments/\(next.id)/\(stamp)-r\(next.revision)-\(audit.action).json",
            data: try JSONCoding.encoder.encode(audit), precondition: .ifNoneMatch)
        return tag
    }

    /// The audit trail of one experiment, oldest first.
    public func audit(_ experimentId: String) async throws -> [Audit] {
        let page = try await store.list(
            prefix: "audit/experiments/\(experimentId)/", continuationToken: nil, maxKeys: 1000)
        var entries: [Audit] = []
        for object in page.objects {
            guard let data = try await store.get(object.key)?.data else { continue }
            entries.append(try JSONCoding.decoder.decode(Audit.self, from: data))
        }
        return entries.sorted { ($0.at, $0.revision) < ($1.at, $1.revision) }
    }

    /// The active pointer and its ETag.
    public func active() async throws -> (Active, etag: String)? {
        guard let object = try await store.get(Self.activeKey) else { return nil }
        return (try JSONCoding.decoder.decode(Active.self, from: object.data), object.etag)
    }

    /// Points every instance at `experimentId`, if the pointer still has `etag` (`nil`: only if there is none).
    @discardableResult
    public func activate(_ experimentId: String, expecting etag: String?) async throws -> String {
        try await store.put(
            Self.activeKey, data: try JSONCoding.encoder.encode(Active(experimentId: experimentId)),
            precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch)
    }
}

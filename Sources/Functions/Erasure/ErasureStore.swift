import Foundation
import FunctionRuntime
import Storage

/// Erasure records (`erasures/<riderHash>.json`, updated by compare-and-swap) and their audit trail
/// (`audit/erasures/<yyyymmddThhmmssZ>-<riderHash>-<action>.json`, create-only). Neither holds a rider id.
public struct ErasureStore: Sendable {
    /// The audit entries an erasure leaves.
    public enum AuditAction: String, Codable, Sendable {
        case requested, completed
    }

    /// What one audit object holds.
    public struct AuditEntry: Codable, Sendable, Equatable {
        public var action: AuditAction
        public var riderHash: String
        public var at: Date
        /// The counts at completion (absent on `requested`).
        public var counts: ErasureRecord.Counts?
    }

    static let prefix = "erasures/"
    static let auditPrefix = "audit/erasures/"
    let store: any ObjectStore

    /// Records and audit entries in `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The record of `riderHash` and its ETag, or `nil` when no erasure was requested.
    public func record(_ riderHash: String) async throws -> (ErasureRecord, etag: String)? {
        guard let object = try await store.get(ErasureRecord.key(riderHash: riderHash)) else { return nil }
        return (try JSONCoding.decoder.decode(ErasureRecord.self, from: object.data), object.etag)
    }

    /// Applies `change` to the current record (nil when there is none) and writes the result by compare-and-swap,
    /// retrying on a concurrent write; returns what was written.
    @discardableResult
    public func update(
        _ riderHash: String, _ change: @Sendable (ErasureRecord?) throws -> ErasureRecord
    ) async throws -> ErasureRecord {
        let key = ErasureRecord.key(riderHash: riderHash)
        for _ in 0..<10 {
            let current = try await record(riderHash)
            let next = try change(current?.0)
            do {
                try await store.put(
                    key, data: try JSONCoding.encoder.encode(next),
                    precondition: current.map { .ifMatch($0.etag) } ?? .ifNoneMatch)
                return next
            } catch StorageError.preconditionFailed {
                continue
            }
        }
        throw StorageError.preconditionFailed(key: key)
    }

    /// Writes an audit entry; one already written for the same second and action (a rerun) is kept as it is.
    public func audit(_ action: AuditAction, record: ErasureRecord, at now: Date) async throws {
        let entry = AuditEntry(
            action: action, riderHash: record.riderHash, at: now, counts: action == .completed ? record.counts : nil)
        let key = "\(Self.auditPrefix)\(Self.stamp(now))-\(record.riderHash)-\(action.rawValue).json"
        do {
            try await store.put(key, data: try JSONCoding.encoder.encode(entry), precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {}
    }

    /// The audit entries of `riderHash`, in the order they happened.
    public func auditTrail(_ riderHash: String) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for key in try await keys(under: Self.auditPrefix) where key.contains("-\(riderHash)-") {
            if let object = try await store.get(key) {
                entries.append(try JSONCoding.decoder.decode(AuditEntry.self, from: object.data))
            }
        }
        // Keys sort by second, then by action name: within one second, a request comes before its completion.
        return entries.sorted { ($0.at, $0.action == .requested ? 0 : 1) < ($1.at, $1.action == .requested ? 0 : 1) }
    }

    /// The hashes of erasures not yet complete.
    public func pending() async throws -> [String] {
        var hashes: [String] = []
        for key in try await keys(under: Self.prefix) where key.hasSuffix(".json") {
            guard let object = try await store.get(key),
                let record = try? JSONCoding.decoder.decode(ErasureRecord.self, from: object.data),
                record.status == .pending
            else { continue }
            hashes.append(record.riderHash)
        }
        return hashes
    }

    private func keys(under prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key)
            token = page.continuationToken
        } while token != nil
        return keys
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
    }
}

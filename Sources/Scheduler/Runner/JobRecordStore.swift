import Foundation
import Storage

/// Reads and conditionally writes ``JobRecord``s: the only code that touches `scheduler/<job>.json`.
struct JobRecordStore: Sendable {
    let store: any ObjectStore

    static func key(for job: String) -> String {
        "scheduler/\(job).json"
    }

    /// The job's record and the ETag it was read at, or `nil` if the job never ran.
    func load(_ job: String) async throws -> (record: JobRecord, etag: String)? {
        let key = Self.key(for: job)
        guard let object = try await store.get(key) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return (try decoder.decode(JobRecord.self, from: object.data), object.etag)
        } catch {
            throw SchedulerError.unreadableRecord(key: key, reason: "\(error)")
        }
    }

    /// Writes `record` only if the stored object is still at `etag` (or, with `nil`, does not exist yet).
    /// Throws `StorageError.preconditionFailed` when another writer got there first; returns the new ETag.
    func save(_ record: JobRecord, replacing etag: String?) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Whole seconds are enough for people; fire times, the only dates compared, are whole seconds anyway.
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(record)
        return try await store.put(
            Self.key(for: record.job), data: data, precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch)
    }
}

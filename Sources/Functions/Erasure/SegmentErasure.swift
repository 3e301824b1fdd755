import Foundation
import Storage

/// Removes one rider's lines from every `.jsonl` object under a prefix (`events/`, `traces/`): hour segments and
/// compacted daily files alike.
///
/// Each segment is read, filtered and written back with `If-Match` on the ETag it was read at, so a segment that
/// changed meanwhile is read again rather than overwritten; a segment left empty is deleted. Segment writers only
/// ever create new keys, so new segments appear during the sweep: the prefix is listed again until a listing
/// shows nothing new (the settle pass catches what writers still buffered).
struct SegmentErasure: Sendable {
    /// What one pass found and changed.
    struct Outcome: Sendable, Equatable {
        var scanned = 0
        var rewritten = 0
        var removed = 0
    }

    let store: any ObjectStore
    /// `events/` or `traces/`.
    let prefix: String
    /// How many segments are read at once (a store round trip each).
    var parallelism = 8
    /// Listings after the first, at most.
    var relists = 4

    func erase(_ rider: RiderLines) async throws -> Outcome {
        var seen: Set<String> = []
        var outcome = Outcome()
        for _ in 0...relists {
            let fresh = try await segmentKeys().filter { !seen.contains($0) }
            if fresh.isEmpty { break }
            seen.formUnion(fresh)
            let results = try await withThrowingTaskGroup(of: Outcome.self) { group in
                var pending = fresh[...]
                var total = Outcome()
                func next() {
                    guard let key = pending.popFirst() else { return }
                    group.addTask { try await erase(rider, in: key) }
                }
                for _ in 0..<parallelism { next() }
                while let one = try await group.next() {
                    total.scanned += one.scanned
                    total.rewritten += one.rewritten
                    total.removed += one.removed
                    next()
                }
                return total
            }
            outcome.scanned += results.scanned
            outcome.rewritten += results.rewritten
            outcome.removed += results.removed
        }
        return outcome
    }

    /// Filters one segment, retrying on a concurrent change; a segment gone meanwhile (compacted elsewhere) needs
    /// nothing: its lines are in a key the next listing shows.
    private func erase(_ rider: RiderLines, in key: String) async throws -> Outcome {
        for _ in 0..<10 {
            guard let object = try await store.get(key) else { return Outcome() }
            if object.data.isEmpty {
                // Left by a sweep killed between emptying and deleting it.
                try await store.delete(key)
                return Outcome(scanned: 1)
            }
            guard rider.mayAppear(in: object.data) else { return Outcome(scanned: 1) }
            let (kept, removed) = rider.removing(from: object.data)
            guard removed > 0 else { return Outcome(scanned: 1) }
            do {
                // Emptied first under the ETag, then deleted: a delete cannot be conditional on every backend.
                try await store.put(key, data: kept, precondition: .ifMatch(object.etag))
                if kept.isEmpty { try await store.delete(key) }
                return Outcome(scanned: 1, rewritten: 1, removed: removed)
            } catch StorageError.preconditionFailed {
                continue
            }
        }
        throw StorageError.preconditionFailed(key: key)
    }

    private func segmentKeys() async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key).filter { $0.hasSuffix(".jsonl") }
            token = page.continuationToken
        } while token != nil
        return keys
    }
}

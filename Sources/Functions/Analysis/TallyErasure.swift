import Foundation
import FunctionRuntime
import Storage

/// Removes one rider from every experiment's tallies: their hash from every rider set (exposed, converted, shadow
/// riders) and their interleaving credits, in every part and hourly rollup.
///
/// The hashes are unkeyed FNV-1a of the id, so anyone holding a candidate id can test whether that rider is in an
/// experiment: pseudonymous personal data, not anonymous. Aggregate counts (requests, errors, latencies, first
/// picks, shadow comparisons) stay as they are: they identify no one, and the experiment's request-level figures
/// must not move. Unique-rider counts drop by exactly this rider.
///
/// Every rewrite is a compare-and-swap on the object's ETag, retried after a conflict; a rider absent from an
/// object leaves it untouched, so a rerun rewrites nothing. Concurrent writers: ``TallyWriter`` only ever creates
/// new parts under unique names (it never rewrites one), and readers create a missing rollup create-only; the
/// rider's tallies still buffered in a server are flushed within its interval, which the caller's settle time
/// (longer than ``TallyWriter/defaultInterval``) waits out. A rollup a reader built from parts read before they
/// were rewritten is caught by checking the rollups of the affected hours once more at the end.
struct TallyErasure: Sendable {
    let store: any ObjectStore

    /// Attempts per object before a stream of concurrent rewrites is reported as an error.
    static let attempts = 20

    init(store: any ObjectStore) {
        self.store = store
    }

    /// Removes `userId` from every tally part and rollup; returns how many objects were rewritten.
    func eraseRider(_ userId: String) async throws -> Int {
        let hash = UserSet.hash(userId)
        let (parts, rollups) = try await tallyKeys()
        var rewritten = 0
        for key in parts where try await rewrite(key, as: HourTally.self, { $0.removeRider(hash) }) {
            rewritten += 1
        }
        for key in rollups where try await rewrite(key, as: TallyStore.Rollup.self, { $0.tally.removeRider(hash) }) {
            rewritten += 1
        }
        // Rollups created while the parts were being rewritten, from what the parts held before.
        let (_, after) = try await tallyKeys()
        for key in Set(after).subtracting(rollups).sorted()
        where try await rewrite(key, as: TallyStore.Rollup.self, { $0.tally.removeRider(hash) }) {
            rewritten += 1
        }
        return rewritten
    }

    /// Reads, edits and compare-and-swaps one object until it sticks; `false` when the edit changed nothing.
    private func rewrite<Value: Codable>(
        _ key: String, as type: Value.Type, _ edit: (inout Value) -> Bool
    ) async throws -> Bool {
        for _ in 0..<Self.attempts {
            guard let object = try await store.get(key) else { return false }
            var value = try JSONCoding.decoder.decode(Value.self, from: object.data)
            guard edit(&value) else { return false }
            do {
                try await store.put(
                    key, data: try JSONCoding.encoder.encode(value), precondition: .ifMatch(object.etag))
                return true
            } catch StorageError.preconditionFailed {
                continue
            }
        }
        throw StorageError.preconditionFailed(key: key)
    }

    /// Every tally part and rollup key of every experiment.
    private func tallyKeys() async throws -> (parts: [String], rollups: [String]) {
        var parts: [String] = []
        var rollups: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "experiments/", continuationToken: token, maxKeys: 1000)
            for object in page.objects where object.key.hasSuffix(".json") {
                let components = object.key.split(separator: "/")
                guard components.count > 3 else { continue }
                if components[2] == "tallies" { parts.append(object.key) }
                if components[2] == "hourly" { rollups.append(object.key) }
            }
            token = page.continuationToken
        } while token != nil
        return (parts, rollups)
    }
}

extension HourTally {
    /// Removes one rider's hash and credits from this hour; returns whether anything was removed.
    mutating func removeRider(_ hash: UInt64) -> Bool {
        var removed = false
        for name in variants.keys {
            removed = variants[name]!.exposed.remove(hash) || removed
            removed = variants[name]!.converted.remove(hash) || removed
        }
        if interleaving?.credits.removeValue(forKey: hash) != nil { removed = true }
        if var shadow {
            removed = shadow.removeRider(hash) || removed
            self.shadow = shadow
        }
        return removed
    }
}

extension ShadowTally {
    /// Removes one rider's hash from every group's rider sets; returns whether anything was removed.
    mutating func removeRider(_ hash: UInt64) -> Bool {
        var removed = false
        for (version, variants) in versions {
            for (variant, activities) in variants {
                for activity in activities.keys {
                    update(version: version, variant: variant, activity: activity) { counts in
                        removed = counts.riders.remove(hash) || removed
                        removed = counts.ridersTopItemChanged.remove(hash) || removed
                    }
                }
            }
        }
        return removed
    }
}

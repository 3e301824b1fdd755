import Foundation
import Storage

/// A lease in the store that keeps training runs from overlapping, across every process sharing the store.
///
/// `locks/training.json` holds the owner and an expiry; it is taken with a create-only or compare-and-swap write,
/// and released by writing it expired. A crashed run's lease expires on its own.
struct TrainingLock: Sendable {
    static let key = "locks/training.json"

    struct Lease: Codable {
        var runId: String
        var owner: String
        var expiresAt: Date
    }

    let store: any ObjectStore

    /// Takes the lease for `duration`, or throws ``TrainingError/alreadyRunning(runId:)``.
    func acquire(runId: String, owner: String, now: Date, duration: TimeInterval) async throws -> String {
        let lease = Lease(runId: runId, owner: owner, expiresAt: now.addingTimeInterval(duration))
        let data = try ModelRegistry.encoder.encode(lease)
        for _ in 0..<5 {
            let current = try await store.get(Self.key)
            if let current, let held = try? ModelRegistry.decoder.decode(Lease.self, from: current.data),
                held.expiresAt > now
            {
                throw TrainingError.alreadyRunning(runId: held.runId)
            }
            do {
                return try await store.put(
                    Self.key,
                    data: data,
                    precondition: current.map { .ifMatch($0.etag) } ?? .ifNoneMatch
                )
            } catch StorageError.preconditionFailed {
                continue  // Someone else moved first: look again.
            }
        }
        throw TrainingError.alreadyRunning(runId: "unknown")
    }

    /// Gives the lease up if it is still the one taken (its ETag is unchanged).
    func release(etag: String, runId: String, owner: String) async {
        let expired = Lease(runId: runId, owner: owner, expiresAt: .distantPast)
        guard let data = try? ModelRegistry.encoder.encode(expired) else { return }
        _ = try? await store.put(Self.key, data: data, precondition: .ifMatch(etag))
    }
}

/// Whether a training run is under way, for work that must follow it: a run that read the events before a rider's
/// erasure registers a model holding that rider after it, so the erasure patches models once more when it ends.
public enum TrainingActivity {
    /// When the running training's lease lapses, or `nil` when no run holds it at `now`.
    public static func leaseExpiry(in store: any ObjectStore, now: Date) async throws -> Date? {
        guard let object = try await store.get(TrainingLock.key),
            let lease = try? ModelRegistry.decoder.decode(TrainingLock.Lease.self, from: object.data),
            lease.expiresAt > now
        else { return nil }
        return lease.expiresAt
    }
}

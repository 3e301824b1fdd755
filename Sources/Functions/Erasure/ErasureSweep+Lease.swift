import Foundation
import Storage

extension ErasureSweep {
    /// How many lease lifetimes an erasure waits for the maintenance lease before it gives up (the scheduled
    /// function retries it later).
    static let leaseWaits = 5

    /// Runs `body` holding the maintenance lease, waiting while compaction or another erasure holds it.
    ///
    /// The owner names the erasure, not the process: a rerun of an erasure whose process was killed takes its own
    /// lease back at once instead of waiting for it to lapse (its stages are idempotent and its writes
    /// compare-and-swap, so even two runs of one erasure at once lose nothing).
    func withMaintenanceLease<T: Sendable>(
        _ riderHash: String, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let lease = StoreLease(store: store, key: StoreLease.maintenanceKey)
        let clock = clock
        for _ in 0..<Self.leaseWaits {
            do {
                return try await lease.withLease(
                    owner: "erasure-\(riderHash)", now: { clock.now() }, duration: settings.leaseDuration, body)
            } catch StoreLeaseError.held(let owner, let until) {
                progress("waiting for the maintenance lease: held by \(owner) until \(until.formatted(.iso8601))")
                let latest = clock.now().addingTimeInterval(settings.leaseDuration)
                try await clock.sleep(until: min(until, latest).addingTimeInterval(0.05))
            } catch StoreLeaseError.contended {
                try await clock.sleep(until: clock.now().addingTimeInterval(0.2))
            }
        }
        throw StoreLeaseError.contended
    }
}

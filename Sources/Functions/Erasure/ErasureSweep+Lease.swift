import Foundation
import Storage

extension ErasureSweep {
    /// How many lease lifetimes an erasure waits for the maintenance lease before it gives up (the scheduled
    /// function retries it later).
    static let leaseWaits = 5
    /// How often a waiting erasure looks at the lease again: holders give it back as soon as they are done, long
    /// before it would expire, so waiting for the expiry would idle for minutes.
    static let leasePoll: TimeInterval = 0.25

    /// The lease owner of the erasure of `riderHash`.
    static func leaseOwner(_ riderHash: String) -> String { "erasure-\(riderHash)" }

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
        let deadline = clock.now().addingTimeInterval(Double(Self.leaseWaits) * settings.leaseDuration)
        var announced: String?
        while true {
            do {
                return try await lease.withLease(
                    owner: Self.leaseOwner(riderHash), now: { clock.now() }, duration: settings.leaseDuration, body)
            } catch StoreLeaseError.held(let owner, let until) {
                guard clock.now() < deadline else { throw StoreLeaseError.held(owner: owner, until: until) }
                if announced != owner {
                    progress("waiting for the maintenance lease: held by \(owner) until \(until.formatted(.iso8601))")
                    announced = owner
                }
                try await clock.sleep(until: min(until, clock.now().addingTimeInterval(Self.leasePoll)))
            } catch StoreLeaseError.contended {
                guard clock.now() < deadline else { throw StoreLeaseError.contended }
                try await clock.sleep(until: clock.now().addingTimeInterval(0.2))
            }
        }
    }

    /// Whether a live sweep of this erasure holds the maintenance lease now (a resume leaves it to that sweep
    /// rather than run it a second time beside it; a killed one's lease lapses, and then it is resumed).
    func isRunning(_ riderHash: String) async throws -> Bool {
        let holder = try await StoreLease(store: store, key: StoreLease.maintenanceKey).holder(now: clock.now())
        return holder?.owner == Self.leaseOwner(riderHash)
    }
}

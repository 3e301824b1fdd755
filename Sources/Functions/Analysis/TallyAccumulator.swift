import Foundation
import Synchronization

/// This instance's experiment tallies since the last write, updated on the request path without I/O.
///
/// ``TallyWriter`` drains it every few seconds into the store; a failed write puts the tallies back, so nothing
/// is lost while the store is down (memory grows with distinct riders per hour, which is bounded in practice).
/// Riders are collected in hash sets here (cheap inserts) and become sorted ``UserSet``s only when drained.
final class TallyAccumulator: Sendable {
    private struct Pending {
        var exposed: Set<UInt64> = []
        var converted: Set<UInt64> = []
        var requests = 0
        var errors = 0
        var latency = LatencyHistogram()

        var tally: VariantTally {
            VariantTally(
                exposed: UserSet(hashes: exposed), converted: UserSet(hashes: converted), requests: requests,
                errors: errors, latency: latency)
        }

        mutating func merge(_ tally: VariantTally) {
            exposed.formUnion(tally.exposed.hashes)
            converted.formUnion(tally.converted.hashes)
            requests += tally.requests
            errors += tally.errors
            latency.merge(tally.latency)
        }
    }

    private let pending = Mutex<[Date: [String: Pending]]>([:])

    /// A recommendation answered by `variant` for `userId`.
    func exposure(userId: String, variant: String, latencyMs: Double, at date: Date) {
        update(variant, at: date) {
            $0.exposed.insert(UserSet.hash(userId))
            $0.requests += 1
            $0.latency.record(milliseconds: latencyMs)
        }
    }

    /// A request assigned to `variant` that could not be answered.
    func failure(variant: String, at date: Date) {
        update(variant, at: date) { $0.errors += 1 }
    }

    /// A conversion attributed to a request of `variant`, counted in the hour it happened.
    func conversion(userId: String, variant: String, at date: Date) {
        update(variant, at: date) { $0.converted.insert(UserSet.hash(userId)) }
    }

    /// Takes everything accumulated so far, oldest hour first.
    func drain() -> [HourTally] {
        let taken = pending.withLock { pending in
            defer { pending = [:] }
            return pending
        }
        return taken.keys.sorted().map { hour in
            var tally = HourTally(hourStart: hour)
            tally.variants = taken[hour, default: [:]].mapValues(\.tally)
            return tally
        }
    }

    /// Puts back tallies whose write failed.
    func restore(_ tallies: [HourTally]) {
        pending.withLock { pending in
            for tally in tallies {
                for (variant, counts) in tally.variants {
                    pending[tally.hourStart, default: [:]][variant, default: Pending()].merge(counts)
                }
            }
        }
    }

    private func update(_ variant: String, at date: Date, _ change: (inout Pending) -> Void) {
        let hour = HourTally.hourStart(of: date)
        pending.withLock { change(&$0[hour, default: [:]][variant, default: Pending()]) }
    }
}

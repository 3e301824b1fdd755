import Foundation
import Synchronization

/// This instance's experiment tallies since the last write, updated on the request path without I/O.
///
/// ``TallyWriter`` drains it every few seconds into the store; a failed write puts the tallies back, so nothing
/// is lost while the store is down (memory grows with distinct riders per hour, which is bounded in practice).
final class TallyAccumulator: Sendable {
    private let pending = Mutex<[Date: HourTally]>([:])

    /// A recommendation answered by `variant` for `userId`.
    func exposure(userId: String, variant: String, latencyMs: Double, at date: Date) {
        update(variant, at: date) {
            $0.exposed.insert(userId: userId)
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
        update(variant, at: date) { $0.converted.insert(userId: userId) }
    }

    /// Takes everything accumulated so far.
    func drain() -> [HourTally] {
        pending.withLock { pending in
            defer { pending = [:] }
            return pending.values.sorted { $0.hourStart < $1.hourStart }
        }
    }

    /// Puts back tallies whose write failed.
    func restore(_ tallies: [HourTally]) {
        pending.withLock { pending in
            for tally in tallies {
                pending[tally.hourStart, default: HourTally(hourStart: tally.hourStart)].merge(tally)
            }
        }
    }

    private func update(_ variant: String, at date: Date, _ change: (inout VariantTally) -> Void) {
        let hour = HourTally.hourStart(of: date)
        pending.withLock { pending in
            change(&pending[hour, default: HourTally(hourStart: hour)].variants[variant, default: VariantTally()])
        }
    }
}

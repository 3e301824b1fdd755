import Experiments
import Foundation
import Synchronization

/// One experiment's tally of one hour, as drained from the accumulator.
struct ExperimentHourTally: Sendable, Equatable {
    var experimentId: String
    var tally: HourTally
}

/// This instance's experiment tallies since the last write, per experiment and hour, updated on the request path
/// without I/O.
///
/// ``TallyWriter`` drains it every few seconds into the store; a failed write puts the tallies back, so nothing
/// is lost while the store is down (memory grows with distinct riders per hour, which is bounded in practice).
/// Riders are collected in hash sets here (cheap inserts) and become sorted ``UserSet``s only when drained.
/// Conversions are counted for the experiment of the request they name, which may no longer be the active one.
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

        mutating func record(userId: String, latencyMs: Double) {
            exposed.insert(UserSet.hash(userId))
            requests += 1
            latency.record(milliseconds: latencyMs)
        }

        mutating func merge(_ tally: VariantTally) {
            exposed.formUnion(tally.exposed.hashes)
            converted.formUnion(tally.converted.hashes)
            requests += tally.requests
            errors += tally.errors
            latency.merge(tally.latency)
        }
    }

    private struct Hour {
        var variants: [String: Pending] = [:]
        var interleaving: InterleavingTally?
        var shadow: [PendingShadowCounts.Group: PendingShadowCounts] = [:]
    }

    private struct Key: Hashable {
        var experimentId: String
        var hour: Date
    }

    private let pending = Mutex<[Key: Hour]>([:])

    /// A recommendation answered by `variant` for `userId`.
    func exposure(experimentId: String, userId: String, variant: String, latencyMs: Double, at date: Date) {
        update(experimentId, at: date) { hour in
            hour.variants[variant, default: Pending()].record(userId: userId, latencyMs: latencyMs)
        }
    }

    /// An interleaved list answered for `userId`, whose draft's first pick went to `firstPick`.
    func interleavedExposure(experimentId: String, userId: String, firstPick: Arm, latencyMs: Double, at date: Date) {
        update(experimentId, at: date) { hour in
            hour.variants[Recommend.interleavedVariant, default: Pending()].record(userId: userId, latencyMs: latencyMs)
            hour.interleaving = hour.interleaving ?? InterleavingTally()
            hour.interleaving?.pick(firstPick)
        }
    }

    /// A request assigned to `variant` that could not be answered.
    func failure(experimentId: String, variant: String, at date: Date) {
        update(experimentId, at: date) { $0.variants[variant, default: Pending()].errors += 1 }
    }

    /// A conversion attributed to a request of `variant`, counted in the hour it happened.
    func conversion(experimentId: String, userId: String, variant: String, at date: Date) {
        update(experimentId, at: date) {
            $0.variants[variant, default: Pending()].converted.insert(UserSet.hash(userId))
        }
    }

    /// A conversion on an item of an interleaved list, credited to the arm that placed it.
    func credit(experimentId: String, userId: String, arm: Arm, at date: Date) {
        update(experimentId, at: date) { hour in
            hour.interleaving = hour.interleaving ?? InterleavingTally()
            hour.interleaving?.credit(rider: UserSet.hash(userId), arm: arm)
        }
    }

    /// A shadowed request of the experiment: compared, failed or dropped.
    func shadow(_ outcome: ShadowOutcome) {
        let group = PendingShadowCounts.Group(
            version: outcome.version, variant: outcome.variant, activity: outcome.activity.rawValue)
        update(outcome.experimentId, at: outcome.at) {
            $0.shadow[group, default: PendingShadowCounts()].record(outcome)
        }
    }

    /// Takes everything accumulated so far, oldest hour first.
    func drain() -> [ExperimentHourTally] {
        let taken = pending.withLock { pending in
            defer { pending = [:] }
            return pending
        }
        return taken.keys.sorted { ($0.hour, $0.experimentId) < ($1.hour, $1.experimentId) }.map { key in
            var tally = HourTally(hourStart: key.hour)
            tally.variants = taken[key]?.variants.mapValues(\.tally) ?? [:]
            tally.interleaving = taken[key]?.interleaving
            tally.shadow = taken[key]?.shadow.tally
            return ExperimentHourTally(experimentId: key.experimentId, tally: tally)
        }
    }

    /// Puts back tallies whose write failed.
    func restore(_ tallies: [ExperimentHourTally]) {
        pending.withLock { pending in
            for entry in tallies {
                let key = Key(experimentId: entry.experimentId, hour: entry.tally.hourStart)
                var hour = pending[key] ?? Hour()
                for (variant, counts) in entry.tally.variants {
                    hour.variants[variant, default: Pending()].merge(counts)
                }
                if let interleaving = entry.tally.interleaving {
                    hour.interleaving = hour.interleaving ?? InterleavingTally()
                    hour.interleaving?.merge(interleaving)
                }
                if let shadow = entry.tally.shadow { hour.shadow.restore(shadow) }
                pending[key] = hour
            }
        }
    }

    private func update(_ experimentId: String, at date: Date, _ change: (inout Hour) -> Void) {
        let key = Key(experimentId: experimentId, hour: HourTally.hourStart(of: date))
        pending.withLock { change(&$0[key, default: Hour()]) }
    }
}

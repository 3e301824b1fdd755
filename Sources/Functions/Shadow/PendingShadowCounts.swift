import Foundation

/// A shadow group's counts while they accumulate on the request path: riders in hash sets (cheap inserts), turned
/// into sorted ``UserSet``s only when the accumulator is drained.
struct PendingShadowCounts: Sendable {
    /// The group: shadow version, variant, rider activity.
    struct Group: Hashable, Sendable {
        var version: String
        var variant: String
        var activity: String
    }

    var counts = ShadowCounts()
    var riders: Set<UInt64> = []
    var ridersTopItemChanged: Set<UInt64> = []

    mutating func record(_ outcome: ShadowOutcome) {
        let rider = UserSet.hash(outcome.userId)
        switch outcome.result {
        case .compared(let jaccard, let rbo, let topItemChanged):
            counts.scored += 1
            counts.jaccardSum += jaccard
            counts.rboSum += rbo
            riders.insert(rider)
            if topItemChanged {
                counts.topItemChanged += 1
                ridersTopItemChanged.insert(rider)
            }
            counts.latency.record(milliseconds: outcome.latencyMs)
        case .failed:
            counts.errors += 1
            counts.latency.record(milliseconds: outcome.latencyMs)
        case .dropped:
            counts.dropped += 1
        }
    }

    var drained: ShadowCounts {
        var result = counts
        result.riders.formUnion(UserSet(hashes: riders))
        result.ridersTopItemChanged.formUnion(UserSet(hashes: ridersTopItemChanged))
        return result
    }

    mutating func merge(_ other: ShadowCounts) {
        counts.merge(
            ShadowCounts(
                scored: other.scored, errors: other.errors, dropped: other.dropped, jaccardSum: other.jaccardSum,
                rboSum: other.rboSum, topItemChanged: other.topItemChanged, latency: other.latency))
        riders.formUnion(other.riders.hashes)
        ridersTopItemChanged.formUnion(other.ridersTopItemChanged.hashes)
    }
}

extension [PendingShadowCounts.Group: PendingShadowCounts] {
    /// The hour's shadow tally, or `nil` when no request was shadowed.
    var tally: ShadowTally? {
        guard !isEmpty else { return nil }
        var tally = ShadowTally()
        for (group, pending) in self {
            tally.update(version: group.version, variant: group.variant, activity: group.activity) {
                $0.merge(pending.drained)
            }
        }
        return tally
    }

    /// Puts back a drained tally whose write failed.
    mutating func restore(_ tally: ShadowTally) {
        for (version, variants) in tally.versions {
            for (variant, activities) in variants {
                for (activity, counts) in activities {
                    self[Key(version: version, variant: variant, activity: activity), default: Value()].merge(counts)
                }
            }
        }
    }
}

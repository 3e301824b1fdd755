import Foundation

/// What a shadow saw for one group of requests (one hour, version, variant and rider activity): mergeable across
/// instances and hours like the experiment tallies — sums of counts, unions of rider-hash sets.
struct ShadowCounts: Codable, Sendable, Equatable {
    /// Requests the shadow scored and compared.
    var scored = 0
    /// Requests whose shadow scoring failed (the rider's answer was unaffected).
    var errors = 0
    /// Sampled requests not scored because the shadow fell behind (its queue was full).
    var dropped = 0
    /// Sums over the scored requests, for the means.
    var jaccardSum = 0.0
    var rboSum = 0.0
    /// Scored requests whose top item differs between served and shadow.
    var topItemChanged = 0
    /// Riders scored, and those of them whose top item changed at least once.
    var riders = UserSet()
    var ridersTopItemChanged = UserSet()
    /// Shadow scoring time.
    var latency = LatencyHistogram()

    mutating func merge(_ other: ShadowCounts) {
        scored += other.scored
        errors += other.errors
        dropped += other.dropped
        jaccardSum += other.jaccardSum
        rboSum += other.rboSum
        topItemChanged += other.topItemChanged
        riders.formUnion(other.riders)
        ridersTopItemChanged.formUnion(other.ridersTopItemChanged)
        latency.merge(other.latency)
    }
}

/// One hour's shadow counts: by shadow version, then variant, then rider activity (`RiderActivity` raw values).
struct ShadowTally: Codable, Sendable, Equatable {
    var versions: [String: [String: [String: ShadowCounts]]] = [:]

    mutating func update(version: String, variant: String, activity: String, _ change: (inout ShadowCounts) -> Void) {
        change(&versions[version, default: [:]][variant, default: [:]][activity, default: ShadowCounts()])
    }

    mutating func merge(_ other: ShadowTally) {
        for (version, variants) in other.versions {
            for (variant, activities) in variants {
                for (activity, counts) in activities {
                    update(version: version, variant: variant, activity: activity) { $0.merge(counts) }
                }
            }
        }
    }
}

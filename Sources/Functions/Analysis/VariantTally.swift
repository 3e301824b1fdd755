import Foundation

/// What one variant of an experiment saw in one UTC hour: who was exposed, who converted, how requests went.
///
/// Tallies are the pre-aggregation behind the experiment summary: merging is a union of sets and a sum of
/// counts, so parts written by many instances combine in any order.
struct VariantTally: Codable, Sendable, Equatable {
    /// Riders who got a recommendation from this variant.
    var exposed = UserSet()
    /// Riders whose conversion was attributed to a request of this variant.
    var converted = UserSet()
    /// Requests answered.
    var requests = 0
    /// Requests assigned to this variant that failed (no model, for instance).
    var errors = 0
    /// Latencies of the answered requests.
    var latency = LatencyHistogram()

    mutating func merge(_ other: VariantTally) {
        exposed.formUnion(other.exposed)
        converted.formUnion(other.converted)
        requests += other.requests
        errors += other.errors
        latency.merge(other.latency)
    }
}

/// Every variant's tally for one UTC hour of one experiment.
struct HourTally: Codable, Sendable, Equatable {
    /// The hour's first instant (UTC, on the hour).
    var hourStart: Date
    /// Tallies by variant name (`interleaved` for the riders of an interleaving experiment).
    var variants: [String: VariantTally] = [:]
    /// First picks and per-rider credits, for an interleaving experiment only.
    var interleaving: InterleavingTally?
    /// What shadow deployments of the experiment saw this hour.
    var shadow: ShadowTally?

    init(hourStart: Date) { self.hourStart = hourStart }

    /// `parts` merged into one tally of `hourStart`, each variant's riders in a single union.
    static func merging(_ parts: [HourTally], hourStart: Date) -> HourTally {
        var merged = HourTally(hourStart: hourStart)
        let names = Set(parts.flatMap(\.variants.keys))
        for name in names {
            let tallies = parts.compactMap { $0.variants[name] }
            var variant = VariantTally(
                exposed: UserSet(unionOf: tallies.map(\.exposed)),
                converted: UserSet(unionOf: tallies.map(\.converted)))
            for tally in tallies {
                variant.requests += tally.requests
                variant.errors += tally.errors
                variant.latency.merge(tally.latency)
            }
            merged.variants[name] = variant
        }
        for part in parts {
            guard let interleaving = part.interleaving else { continue }
            merged.interleaving = merged.interleaving ?? InterleavingTally()
            merged.interleaving?.merge(interleaving)
        }
        for part in parts {
            guard let shadow = part.shadow else { continue }
            merged.shadow = merged.shadow ?? ShadowTally()
            merged.shadow?.merge(shadow)
        }
        return merged
    }

    /// The start of the UTC hour holding `date`.
    static func hourStart(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }
}

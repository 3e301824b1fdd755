import Experiments
import Foundation

/// CUPED's sufficient statistics per arm, kept current hour by hour as riders are exposed and convert, so each
/// look of the timeline costs only that hour's riders.
///
/// A rider's outcome is 1 once a conversion of theirs in the arm they were exposed to is in the window (the same
/// rule as the raw counts: the converted set intersected with the exposed set, in any order of hours); their
/// covariate is fixed at first exposure (``PreExposureCovariates``). A rider seen in two arms stays in the first.
struct CupedTracker {
    private struct Rider {
        var arm: Int
        var converted: Bool
        var covariate: PreExposureCovariates.Covariate
    }

    private let variantNames: [String]
    private let covariates: [UInt64: PreExposureCovariates.Covariate]
    private var riders: [UInt64: Rider] = [:]
    /// Conversions whose rider had not been exposed to that arm yet in the window.
    private var early: [Set<UInt64>]
    private(set) var moments: [CupedMoments]

    init(variantNames: [String], covariates: [UInt64: PreExposureCovariates.Covariate]) {
        self.variantNames = variantNames
        self.covariates = covariates
        early = variantNames.map { _ in [] }
        moments = variantNames.map { _ in CupedMoments() }
    }

    /// Each rider's first exposure in `hours` (its hour's start), the dates the covariates are anchored to.
    static func firstExposures(in hours: [HourTally], variantNames: [String]) -> [UInt64: Date] {
        var first: [UInt64: Date] = [:]
        for hour in hours {
            for name in variantNames {
                for rider in hour.variants[name]?.exposed.hashes ?? [] where first[rider] == nil {
                    first[rider] = hour.hourStart
                }
            }
        }
        return first
    }

    mutating func add(_ hour: HourTally) {
        let none = PreExposureCovariates.Covariate(value: 0, hasHistory: false)
        for (arm, name) in variantNames.enumerated() {
            guard let tally = hour.variants[name] else { continue }
            for hash in tally.exposed.hashes where riders[hash] == nil {
                let rider = Rider(
                    arm: arm, converted: early[arm].remove(hash) != nil, covariate: covariates[hash] ?? none)
                riders[hash] = rider
                moments[arm].add(
                    outcome: rider.converted ? 1 : 0, covariate: rider.covariate.value,
                    hasHistory: rider.covariate.hasHistory)
            }
            for hash in tally.converted.hashes {
                guard var rider = riders[hash] else {
                    early[arm].insert(hash)
                    continue
                }
                guard rider.arm == arm, !rider.converted else { continue }
                let history = rider.covariate.hasHistory
                moments[arm].remove(outcome: 0, covariate: rider.covariate.value, hasHistory: history)
                moments[arm].add(outcome: 1, covariate: rider.covariate.value, hasHistory: history)
                rider.converted = true
                riders[hash] = rider
            }
        }
    }
}

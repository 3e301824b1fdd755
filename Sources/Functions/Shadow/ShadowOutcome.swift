import Experiments
import Foundation

/// The comparison of one shadowed request: the served list against the shadow's, or the shadow's failure.
struct ShadowOutcome: Sendable, Equatable {
    enum Result: Sendable, Equatable {
        case compared(jaccard: Double, rbo: Double, topItemChanged: Bool)
        case failed
        case dropped
    }

    var experimentId: String
    var version: String
    var variant: String
    var activity: RiderActivity
    var userId: String
    var result: Result
    var latencyMs: Double
    var at: Date

    /// The agreement of two lists as the shadow summary reports it: Jaccard@k with k the served list's length,
    /// RBO (p = 0.9), and whether the first items differ.
    static func compare(served: [String], shadow: [String]) -> Result {
        .compared(
            jaccard: RankingAgreement.jaccard(served, shadow, k: max(served.count, 1)),
            rbo: RankingAgreement.rankBiasedOverlap(served, shadow, p: 0.9),
            topItemChanged: served.first != shadow.first)
    }
}

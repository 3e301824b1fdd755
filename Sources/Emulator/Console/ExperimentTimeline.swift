import Foundation

/// What `GET /experiments/{experimentId}/timeline?windowHours=N` answers: cumulative per-variant counts from the
/// window start, one point per hour, with the always-valid and SRM p-values and the decision at each hour.
struct ExperimentTimeline: Decodable, Equatable {
    /// One variant at one hour.
    struct VariantPoint: Decodable, Equatable {
        var variant: String
        var users: Int
        var conversions: Int
        var conversionRate: Double?
    }

    /// The state of the experiment at the end of one hour.
    struct Point: Decodable, Equatable {
        var hourEnding: Date
        var variants: [VariantPoint]
        var alwaysValidPValue: Double?
        var srmPValue: Double?
        /// The decision the analysis would have made at this hour's end.
        var decision: String?
    }

    var experimentId: String
    var variants: [String]
    var points: [Point]

    /// `metric` of `variant` at every point, `nil` where the point has no value for it.
    func series(_ variant: String, _ metric: (VariantPoint) -> Double?) -> [Double?] {
        points.map { point in point.variants.first { $0.variant == variant }.flatMap(metric) }
    }
}

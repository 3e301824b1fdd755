import Functions

extension ExperimentTimeline {
    /// `metric` of `variant` at every point, `nil` where the point has no value for it: one chart line.
    func series(_ variant: String, _ metric: (VariantPoint) -> Double?) -> [Double?] {
        points.map { point in point.variants.first { $0.variant == variant }.flatMap(metric) }
    }
}

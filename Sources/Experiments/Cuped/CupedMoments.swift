/// Sufficient statistics of (outcome y, covariate x) over one arm's riders: n, Σy, Σx, Σy², Σx², Σxy.
///
/// Stored centred — means and sums of squared / cross deviations, updated by Welford's method (Welford,
/// Technometrics 1962) and its exact reversal for `remove` — rather than as raw power sums: with a million riders
/// Σx² and n·x̄² agree in their leading digits, and subtracting them (as raw sums would for every variance) loses
/// the accuracy the CUPED estimate needs. The raw sums are still available as computed properties.
public struct CupedMoments: Codable, Sendable, Equatable {
    /// Riders folded in.
    public var count: Int
    /// Riders whose covariate came from no history (counted separately; their covariate is 0).
    public var withoutHistory: Int
    /// Mean outcome ȳ.
    public var meanOutcome: Double
    /// Mean covariate x̄.
    public var meanCovariate: Double
    /// Σ(y − ȳ)².
    public var outcomeDeviations: Double
    /// Σ(x − x̄)².
    public var covariateDeviations: Double
    /// Σ(x − x̄)(y − ȳ).
    public var crossDeviations: Double

    /// No riders yet.
    public init() {
        count = 0
        withoutHistory = 0
        meanOutcome = 0
        meanCovariate = 0
        outcomeDeviations = 0
        covariateDeviations = 0
        crossDeviations = 0
    }

    /// Folds in one rider.
    public mutating func add(outcome: Double, covariate: Double) {
        let previous = Double(count)
        count += 1
        let n = Double(count)
        let dy = outcome - meanOutcome
        let dx = covariate - meanCovariate
        let weight = previous / n
        outcomeDeviations += weight * dy * dy
        covariateDeviations += weight * dx * dx
        crossDeviations += weight * dx * dy
        meanOutcome += dy / n
        meanCovariate += dx / n
    }

    /// Folds in one rider and counts them as without history when `hasHistory` is false (their covariate should
    /// then be 0, the value a rider with no pre-period activity has).
    public mutating func add(outcome: Double, covariate: Double, hasHistory: Bool) {
        add(outcome: outcome, covariate: covariate)
        if !hasHistory { withoutHistory += 1 }
    }

    /// Takes one rider out again, e.g. to replace their outcome 0 by 1 when they convert in an incremental
    /// timeline. The rider must have been added with the same values; removing the last rider resets everything.
    public mutating func remove(outcome: Double, covariate: Double) {
        guard count > 1 else {
            if count == 1 { self = CupedMoments() }
            return
        }
        let before = Double(count)
        count -= 1
        let n = Double(count)
        // Deviations from the current means, scaled as in `add` but with the roles of the sizes swapped.
        let dy = outcome - meanOutcome
        let dx = covariate - meanCovariate
        let weight = before / n
        outcomeDeviations = max(0, outcomeDeviations - weight * dy * dy)
        covariateDeviations = max(0, covariateDeviations - weight * dx * dx)
        crossDeviations -= weight * dx * dy
        meanOutcome -= dy / n
        meanCovariate -= dx / n
    }

    /// Takes one rider out and, when `hasHistory` is false, uncounts them from `withoutHistory`.
    public mutating func remove(outcome: Double, covariate: Double, hasHistory: Bool) {
        let hadRiders = count > 0
        remove(outcome: outcome, covariate: covariate)
        if hadRiders, !hasHistory, withoutHistory > 0 { withoutHistory -= 1 }
    }

    /// The moments of the union of two disjoint sets of riders (Chan, Golub & LeVeque's pairwise update).
    public func merged(with other: CupedMoments) -> CupedMoments {
        guard other.count > 0 else { return self }
        guard count > 0 else { return other }
        var result = CupedMoments()
        result.count = count + other.count
        result.withoutHistory = withoutHistory + other.withoutHistory
        let n = Double(result.count)
        let dy = other.meanOutcome - meanOutcome
        let dx = other.meanCovariate - meanCovariate
        let weight = Double(count) * Double(other.count) / n
        result.meanOutcome = meanOutcome + dy * Double(other.count) / n
        result.meanCovariate = meanCovariate + dx * Double(other.count) / n
        result.outcomeDeviations = outcomeDeviations + other.outcomeDeviations + weight * dy * dy
        result.covariateDeviations = covariateDeviations + other.covariateDeviations + weight * dx * dx
        result.crossDeviations = crossDeviations + other.crossDeviations + weight * dx * dy
        return result
    }

    /// Σy.
    public var sumOutcome: Double { Double(count) * meanOutcome }
    /// Σx.
    public var sumCovariate: Double { Double(count) * meanCovariate }
    /// Σy².
    public var sumOutcomeSquares: Double { outcomeDeviations + Double(count) * meanOutcome * meanOutcome }
    /// Σx².
    public var sumCovariateSquares: Double { covariateDeviations + Double(count) * meanCovariate * meanCovariate }
    /// Σxy.
    public var sumCrossProducts: Double { crossDeviations + Double(count) * meanCovariate * meanOutcome }
}

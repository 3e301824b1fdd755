/// GET /experiments/{id}/summary for design "interleaving".
///
/// The interleaving counterpart of `ExperimentSummary`: instead of two conversion rates it reports how many riders
/// preferred each ranker, the fixed-horizon sign test, the always-valid p-value that drives the decision, and the
/// sample-ratio check on first picks (the one quantity that must split 50/50 by construction).
public struct InterleavingSummary: Codable, Sendable, Equatable {
    /// The experiment id.
    public var experimentId: String
    /// Always `.interleaving` (lets a reader of either summary tell them apart).
    public var design: ExperimentDesign
    /// The analysis window.
    public var window: AnalysisWindow
    /// Riders who got at least one interleaved list.
    public var exposedRiders: Int
    /// Riders with at least one attributed conversion (wins + losses + ties).
    public var riders: Int
    /// Riders who credited treatment more.
    public var wins: Int
    /// Riders who credited control more.
    public var losses: Int
    /// Riders who credited both equally.
    public var ties: Int
    /// (wins + ties/2) / riders − 0.5 with a 95 % CI (per-rider scores 1, ½, 0; normal approximation).
    public var preference: StatisticResult<EstimateInterval>
    /// Exact two-sided sign test (fixed-horizon), SignTest.pValue.
    public var pValue: Double?
    /// Running always-valid p-value; drives the decision.
    public var alwaysValidPValue: Double?
    /// SRM on first picks (expected 50/50), SampleRatioMismatch.check on [firstPicks.control, firstPicks.treatment].
    public var srm: StatisticResult<SampleRatioMismatch>
    /// Requests whose round-0 coin went to each team.
    public var firstPicks: FirstPicks
    /// `ship`, `rollback` or `keep-running`.
    public var decision: Decision
    /// Why, in a sentence or two.
    public var reason: String
    /// The always-valid state after this look; the handler persists it and passes it to the next look.
    public var alwaysValidState: AlwaysValidState

    private enum CodingKeys: String, CodingKey {
        case experimentId, design, window, exposedRiders, riders, wins, losses, ties, preference, pValue
        case alwaysValidPValue, srm, firstPicks, decision, reason, alwaysValidState
    }

    /// Encodes missing p-values as explicit `null`, like `TestSummary`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(experimentId, forKey: .experimentId)
        try container.encode(design, forKey: .design)
        try container.encode(window, forKey: .window)
        try container.encode(exposedRiders, forKey: .exposedRiders)
        try container.encode(riders, forKey: .riders)
        try container.encode(wins, forKey: .wins)
        try container.encode(losses, forKey: .losses)
        try container.encode(ties, forKey: .ties)
        try container.encode(preference, forKey: .preference)
        try container.encode(pValue, forKey: .pValue)
        try container.encode(alwaysValidPValue, forKey: .alwaysValidPValue)
        try container.encode(srm, forKey: .srm)
        try container.encode(firstPicks, forKey: .firstPicks)
        try container.encode(decision, forKey: .decision)
        try container.encode(reason, forKey: .reason)
        try container.encode(alwaysValidState, forKey: .alwaysValidState)
    }
}

extension InterleavingSummary {
    /// The share of riders preferring treatment minus ½, ties counted as half (Chapelle et al. 2012's Δ, with
    /// riders as the unit): the mean of per-rider scores
    /// (1 win, ½ tie, 0 loss) minus ½, with the normal-approximation interval `± z·s/√riders` (s the ddof = 1
    /// standard deviation of the scores). Centred sums keep s exact to rounding.
    static func preference(
        wins: Int, losses: Int, ties: Int, alpha: Double
    ) -> StatisticResult<EstimateInterval> {
        let riders = wins + losses + ties
        guard riders >= 2 else { return .insufficientData(reason: "fewer than 2 riders converted (\(riders))") }
        let n = Double(riders)
        let mean = (Double(wins) + Double(ties) / 2) / n
        let squares =
            Double(wins) * (1 - mean) * (1 - mean) + Double(ties) * (0.5 - mean) * (0.5 - mean)
            + Double(losses) * mean * mean
        let variance = squares / (n - 1)
        guard variance > 0 else {
            return .insufficientData(reason: "all \(riders) riders scored the same, so the spread is unknown")
        }
        let half = NormalDistribution.twoSidedCritical(alpha: alpha) * (variance / n).squareRoot()
        let estimate = mean - 0.5
        return .value(EstimateInterval(estimate: estimate, lower: estimate - half, upper: estimate + half))
    }
}

import Foundation

/// Sample-ratio mismatch check: do the users per variant fit the configured weights?
///
/// Pearson's chi-square goodness-of-fit test (scipy `chisquare(f_obs, f_exp)`): with `N` users in total and
/// expected counts `Eᵢ = N·wᵢ`, `χ² = Σ (Oᵢ − Eᵢ)²/Eᵢ` over variants with positive weight, p-value
/// `P(χ²_{k−1} > χ²)` with `k` the number of such variants. A mismatch means assignment or logging is broken
/// (Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD 2019), so any
/// effect estimate is suspect; the conventional very small threshold (p < 0.001) keeps false alarms rare even
/// for a dashboard that checks all day.
public struct SampleRatioMismatch: Codable, Equatable, Sendable {
    /// The default significance threshold.
    public static let defaultThreshold = 0.001

    /// Pearson's statistic.
    public var chiSquare: Double
    /// Degrees of freedom (positive-weight variants − 1).
    public var degreesOfFreedom: Int
    /// P(χ²_df > chiSquare).
    public var pValue: Double
    /// Whether `pValue < threshold` (or users reached a variant whose weight is 0).
    public var detected: Bool
    /// Why a mismatch was declared beyond the p-value, if so.
    public var note: String?

    /// Runs the test of `users` (in the definition's variant order) against `weights`.
    public static func check(
        users: [Int], weights: [Double], threshold: Double = defaultThreshold
    ) -> StatisticResult<SampleRatioMismatch> {
        guard users.count == weights.count, users.count >= 2 else {
            return .insufficientData(reason: "need user counts for every variant (at least 2)")
        }
        let total = users.reduce(0, +)
        guard total > 0 else { return .insufficientData(reason: "no users yet") }
        let n = Double(total)
        var chiSquare = 0.0
        var categories = 0
        var strays: [Int] = []
        for (index, (observed, weight)) in zip(users, weights).enumerated() {
            guard weight > 0 else {
                if observed > 0 { strays.append(index) }
                continue
            }
            let expected = n * weight
            let deviation = Double(observed) - expected
            chiSquare += deviation * deviation / expected
            categories += 1
        }
        guard categories >= 2 else {
            return .insufficientData(reason: "fewer than 2 variants have positive weight")
        }
        let df = categories - 1
        let pValue = ChiSquareDistribution.survival(chiSquare, degreesOfFreedom: df)
        let note = strays.isEmpty ? nil : "users were counted in zero-weight variant(s) #\(strays)"
        return .value(
            SampleRatioMismatch(
                chiSquare: chiSquare, degreesOfFreedom: df, pValue: strays.isEmpty ? pValue : 0,
                detected: !strays.isEmpty || pValue < threshold, note: note))
    }

    /// Runs the test of observed `counts` against `definition`'s weights, matching variants by name.
    public static func check(
        counts: [ConversionCounts], definition: ExperimentDefinition, threshold: Double = defaultThreshold
    ) throws(ExperimentsError) -> StatisticResult<SampleRatioMismatch> {
        let byName = Dictionary(counts.map { ($0.variant, $0.users) }, uniquingKeysWith: +)
        guard Set(byName.keys) == Set(definition.variantNames), byName.count == counts.count else {
            throw .variantsDoNotMatchDefinition(expected: definition.variantNames, got: counts.map(\.variant))
        }
        return check(
            users: definition.variants.map { byName[$0.name] ?? 0 }, weights: definition.variants.map(\.weight),
            threshold: threshold)
    }
}

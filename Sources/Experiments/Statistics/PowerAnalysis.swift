import Foundation

/// Minimum detectable effect at the current sample sizes, and users still needed to detect a given effect.
///
/// Both use the normal approximation for a two-sided two-proportion z-test at level α with power 1 − β:
/// - **MDE** (e.g. Chow, Shao & Wang, *Sample Size Calculations in Clinical Research*, §4.2, solved for δ,
///   variance evaluated at the pooled rate p̄, i.e. under H₀):
///   `δ = (z_{1−α/2} + z_{1−β}) · √(p̄(1−p̄)(1/nT + 1/nC))`.
/// - **Sample size** (statsmodels `samplesize_proportions_2indep_onetail`, two-sided, which uses the null SE at
///   the pooled rate and the alternative SE at the hypothesised rates): with allocation ratio `r = nC/nT`,
///   `p₁ = p_C + δ`, `p̄ = (p₁ + r·p_C)/(1 + r)`, `s₀ = √(p̄(1−p̄)(1 + 1/r))`, `s₁ = √(p₁(1−p₁) + p_C(1−p_C)/r)`,
///   `n_T = ((z_{1−α/2}·s₀ + z_{1−β}·s₁)/δ)²`, total `n_T(1 + r)`.
/// The MDE is a fixed-horizon figure: the always-valid test needs somewhat more data for the same effect.
public enum PowerAnalysis {
    /// Validates α and power, which both must lie strictly inside (0, 1).
    static func validate(alpha: Double, power: Double) throws(ExperimentsError) {
        guard alpha > 0, alpha < 1 else { throw .invalidParameter(name: "alpha", value: alpha, expected: "0 < α < 1") }
        guard power > 0, power < 1 else {
            throw .invalidParameter(name: "power", value: power, expected: "0 < power < 1")
        }
    }

    /// The smallest absolute difference detectable with the current counts.
    public static func minimumDetectableEffect(
        control: ConversionCounts, treatment: ConversionCounts, alpha: Double = 0.05, power: Double = 0.8
    ) throws(ExperimentsError) -> StatisticResult<DetectableEffect> {
        try validate(alpha: alpha, power: power)
        guard control.users > 0, treatment.users > 0 else {
            return .insufficientData(reason: "a variant has no users yet")
        }
        let nT = Double(treatment.users)
        let nC = Double(control.users)
        let pooled = Double(control.conversions + treatment.conversions) / (nT + nC)
        guard pooled > 0, pooled < 1 else {
            return .insufficientData(reason: "the pooled conversion rate is \(pooled); its variance is 0")
        }
        let multiplier = NormalDistribution.twoSidedCritical(alpha: alpha) + NormalDistribution.quantile(power)
        let absolute = multiplier * (pooled * (1 - pooled) * (1 / nT + 1 / nC)).squareRoot()
        let controlRate = Double(control.conversions) / nC
        return .value(
            DetectableEffect(
                absolute: absolute, relative: controlRate > 0 ? absolute / controlRate : nil, baselineRate: pooled))
    }

    /// Users needed in total (both arms) to detect `effect` (absolute difference, treatment − control) from
    /// `baselineRate`, with `controlShare`/`treatmentShare` the allocation, and how many more than `enrolled`.
    public static func usersNeeded(
        baselineRate: Double, effect: Double, controlShare: Double = 0.5, treatmentShare: Double = 0.5,
        enrolled: Int = 0, alpha: Double = 0.05, power: Double = 0.8
    ) throws(ExperimentsError) -> StatisticResult<SampleSizeEstimate> {
        try validate(alpha: alpha, power: power)
        guard controlShare > 0, treatmentShare > 0 else {
            return .insufficientData(reason: "both variants need a positive share of traffic")
        }
        guard effect.isFinite, effect != 0 else {
            return .insufficientData(reason: "the effect is 0: no sample size can detect it")
        }
        let p2 = baselineRate
        let p1 = p2 + effect
        guard (0...1).contains(p2), (0...1).contains(p1) else {
            return .insufficientData(reason: "rates \(p2) → \(p1) are not both within 0...1")
        }
        let ratio = controlShare / treatmentShare
        let pooled = (p1 + p2 * ratio) / (1 + ratio)
        let stdNull = (pooled * (1 - pooled) + pooled * (1 - pooled) / ratio).squareRoot()
        let stdAlternative = (p1 * (1 - p1) + p2 * (1 - p2) / ratio).squareRoot()
        let crit = NormalDistribution.twoSidedCritical(alpha: alpha)
        let critPower = -NormalDistribution.quantile(1 - power)  // scipy: -norm.isf(power)
        let root = max(crit * stdNull + critPower * stdAlternative, 0) / effect
        let treatmentUsers = root * root
        let total = treatmentUsers * (1 + ratio)
        guard total.isFinite, total < 1e15 else {
            return .insufficientData(reason: "the effect is too small to detect with any realistic sample")
        }
        let totalUsers = Int(total.rounded(.up))
        return .value(
            SampleSizeEstimate(
                effect: effect, treatmentUsers: treatmentUsers, totalUsers: totalUsers,
                additionalUsers: max(0, totalUsers - enrolled)))
    }
}

/// A minimum detectable effect.
public struct DetectableEffect: Codable, Equatable, Hashable, Sendable {
    /// Absolute difference in conversion rate (e.g. 0.012 = 1.2 percentage points).
    public var absolute: Double
    /// The same relative to the control's rate; `nil` when the control rate is 0.
    public var relative: Double?
    /// The pooled rate the variance was evaluated at.
    public var baselineRate: Double
}

/// How many users an experiment needs for a given effect.
public struct SampleSizeEstimate: Codable, Equatable, Hashable, Sendable {
    /// The absolute effect the estimate is for.
    public var effect: Double
    /// Unrounded users needed in the treatment arm (statsmodels' `nobs1`).
    public var treatmentUsers: Double
    /// Users needed in total across both arms, rounded up.
    public var totalUsers: Int
    /// Users still to enroll beyond those already in the experiment.
    public var additionalUsers: Int
}

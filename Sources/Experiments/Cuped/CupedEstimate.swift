import Foundation

/// CUPED (Deng, Xu, Kohavi & Walker, WSDM 2013) for the difference in means, θ pooled over both arms:
/// θ = cov(y, x) / var(x) over all riders (= the slope of OLS y ~ 1 + x, statsmodels reference);
/// adjusted difference = (ȳT − ȳC) − θ (x̄T − x̄C); its variance = Var_T(y − θx)/nT + Var_C(y − θx)/nC
/// (sample variances, ddof = 1). ρ = corr(y, x) pooled; variance reduction = 1 − adjustedVar / rawVar.
///
/// Why it works: x (the rider's conversions in the `preWindowDays` before the experiment) is fixed before
/// assignment, so E[x̄T − x̄C] = 0 and subtracting θ(x̄T − x̄C) keeps the estimate unbiased while removing the part
/// of the outcome's noise that the pre-period predicts; the variance shrinks by about ρ² (Deng et al., §3.2),
/// so the same effect is detected with about (1 − ρ²) as many riders. θ is estimated from both arms together,
/// as Deng et al. recommend; the treatment cannot have moved x, so pooling is unbiased and steadier.
///
/// **Insufficient data.** `insufficientData` when an arm has fewer than 2 riders (no ddof = 1 variance), when the
/// outcome varies in neither arm (no raw variance to reduce), when the covariate explains the outcome exactly (no
/// adjusted variance), or when the moments are not finite. When x does not vary over the riders (e.g. nobody has
/// history yet) there is nothing to adjust with: the estimate is returned with θ = 0, ρ = 0, variance reduction 0
/// and the adjusted difference equal to the raw one, so a dashboard still shows a number and says CUPED did
/// nothing (`ridersWithoutHistory` usually tells why).
public struct CupedEstimate: Codable, Sendable, Equatable {
    /// The pooled regression coefficient of y on x.
    public var theta: Double
    /// ρ = corr(y, x) over all riders.
    public var correlation: Double
    /// 1 − Var(adjusted diff) / Var(raw diff).
    public var varianceReduction: Double
    /// ȳT − ȳC with its 1 − α (95 %) CI (unpooled SE).
    public var raw: EstimateInterval
    /// The CUPED difference with its 1 − α (95 %) CI.
    public var adjusted: EstimateInterval
    /// SE of the raw difference, √(s²_T/nT + s²_C/nC).
    public var rawStandardError: Double
    /// SE of the adjusted difference.
    public var adjustedStandardError: Double
    /// adjusted / adjustedStandardError.
    public var z: Double
    /// Two-sided normal p-value of `z` (fixed-horizon).
    public var pValue: Double
    /// Riders of both arms whose covariate came from no history.
    public var ridersWithoutHistory: Int
    /// Days of history the covariate covers.
    public var preWindowDays: Int
    /// Riders needed with and without CUPED, for the policy's target effect.
    public var usersNeeded: UsersNeeded

    /// Riders needed in total (both arms, split equally) for a two-sided test at level α with the given power to
    /// detect the target absolute effect δ: `2·(z_{1−α/2} + z_{power})²·(s²_T + s²_C)/δ²`, with the arms'
    /// outcome variances for `raw` and their variances of y − θx for `adjusted` (so adjusted ≈ raw·(1 − ρ²)).
    /// `nil` without a target effect.
    public struct UsersNeeded: Codable, Sendable, Equatable {
        /// Without CUPED.
        public var raw: Int?
        /// With CUPED.
        public var adjusted: Int?

        /// Creates the figures.
        public init(raw: Int?, adjusted: Int?) {
            self.raw = raw
            self.adjusted = adjusted
        }
    }

    /// Estimates the CUPED-adjusted difference treatment − control; see the type's documentation for the
    /// formulas and for when the result is `insufficientData`. `alpha` sets the CIs and, with `power`, the users
    /// needed for `targetEffect` (an absolute difference in the outcome's mean; `nil` or 0 skips them).
    public static func estimate(
        control: CupedMoments, treatment: CupedMoments, preWindowDays: Int, alpha: Double, power: Double,
        targetEffect: Double?
    ) -> StatisticResult<CupedEstimate> {
        guard alpha > 0, alpha < 1, power > 0, power < 1 else {
            return .insufficientData(reason: "alpha (\(alpha)) and power (\(power)) must lie in (0, 1)")
        }
        guard control.count >= 2, treatment.count >= 2 else {
            return .insufficientData(
                reason: "each arm needs at least 2 riders (control \(control.count), treatment \(treatment.count))")
        }
        let arms = [control, treatment]
        guard arms.allSatisfy(\.isFinite) else {
            return .insufficientData(reason: "an outcome or covariate is not a finite number")
        }
        let pooled = control.merged(with: treatment)
        let hasCovariateSpread = pooled.covariateDeviations > 0
        let theta = hasCovariateSpread ? pooled.crossDeviations / pooled.covariateDeviations : 0
        let correlation =
            hasCovariateSpread && pooled.outcomeDeviations > 0
            ? pooled.crossDeviations / (pooled.covariateDeviations * pooled.outcomeDeviations).squareRoot() : 0

        let rawVariances = arms.map { $0.outcomeDeviations / Double($0.count - 1) }
        let adjustedVariances = arms.map { $0.adjustedVariance(theta: theta) }
        let rawVariance = zip(rawVariances, arms).map { $0 / Double($1.count) }.reduce(0, +)
        let adjustedVariance = zip(adjustedVariances, arms).map { $0 / Double($1.count) }.reduce(0, +)
        guard rawVariance > 0 else {
            return .insufficientData(reason: "the outcome does not vary within either arm")
        }
        // Rounding leaves ~1e-16 of an exact fit; anything under 1e-12 of the raw variance is one.
        guard adjustedVariance > rawVariance * 1e-12 else {
            return .insufficientData(
                reason: "the covariate predicts the outcome exactly, so the adjusted difference has no variance")
        }
        let rawDifference = treatment.meanOutcome - control.meanOutcome
        let adjustedDifference = rawDifference - theta * (treatment.meanCovariate - control.meanCovariate)
        let rawSE = rawVariance.squareRoot()
        let adjustedSE = adjustedVariance.squareRoot()
        let critical = NormalDistribution.twoSidedCritical(alpha: alpha)
        let z = adjustedDifference / adjustedSE

        var needed = UsersNeeded(raw: nil, adjusted: nil)
        if let effect = targetEffect, effect.isFinite, effect != 0 {
            let multiplier = critical + NormalDistribution.quantile(power)
            func total(_ variances: [Double]) -> Int? {
                let users = 2 * multiplier * multiplier * variances.reduce(0, +) / (effect * effect)
                return users.isFinite && users < 1e15 ? Int(users.rounded(.up)) : nil
            }
            needed = UsersNeeded(raw: total(rawVariances), adjusted: total(adjustedVariances))
        }
        return .value(
            CupedEstimate(
                theta: theta, correlation: correlation, varianceReduction: 1 - adjustedVariance / rawVariance,
                raw: EstimateInterval(
                    estimate: rawDifference, lower: rawDifference - critical * rawSE,
                    upper: rawDifference + critical * rawSE),
                adjusted: EstimateInterval(
                    estimate: adjustedDifference, lower: adjustedDifference - critical * adjustedSE,
                    upper: adjustedDifference + critical * adjustedSE),
                rawStandardError: rawSE, adjustedStandardError: adjustedSE, z: z,
                pValue: NormalDistribution.twoSidedPValue(z),
                ridersWithoutHistory: control.withoutHistory + treatment.withoutHistory,
                preWindowDays: preWindowDays, usersNeeded: needed))
    }
}

extension CupedMoments {
    /// Whether every stored statistic is a finite number.
    var isFinite: Bool {
        [meanOutcome, meanCovariate, outcomeDeviations, covariateDeviations, crossDeviations].allSatisfy(\.isFinite)
    }

    /// The ddof = 1 variance of y − θx: (Σ(y−ȳ)² − 2θ·Σ(x−x̄)(y−ȳ) + θ²·Σ(x−x̄)²)/(n − 1), never below 0.
    func adjustedVariance(theta: Double) -> Double {
        let deviations = outcomeDeviations - 2 * theta * crossDeviations + theta * theta * covariateDeviations
        return max(0, deviations) / Double(count - 1)
    }
}

import Foundation

/// Fixed-horizon comparison of a treatment's conversion rate with the control's.
///
/// All three statistics are for `treatment − control` (positive = treatment converts more):
/// - **z-test** (statsmodels `proportions_ztest([xT, xC], [nT, nC])`): pooled rate `p̄ = (xT+xC)/(nT+nC)`,
///   `SE₀ = √(p̄(1−p̄)(1/nT + 1/nC))`, `z = (p̂T − p̂C)/SE₀`, two-sided `p = 2·(1 − Φ(|z|))`. The pooled SE is
///   the standard error under H₀ (equal rates), which is what the test statistic needs.
/// - **difference CI** (Wald, statsmodels `confint_proportions_2indep(method="wald", compare="diff")`):
///   `d ± z_{1−α/2}·√(p̂T(1−p̂T)/nT + p̂C(1−p̂C)/nC)`; unpooled because it describes the effect, not H₀.
/// - **relative lift** `L = p̂T/p̂C − 1` with a delta-method CI (first-order Taylor expansion of the ratio,
///   e.g. Casella & Berger §5.5.4): `Var(p̂T/p̂C) ≈ Var(p̂T)/p̂C² + p̂T²·Var(p̂C)/p̂C⁴`, `Var(p̂) = p̂(1−p̂)/n`.
public struct TwoProportionTest: Codable, Equatable, Sendable {
    /// Pooled-SE z statistic, or why there is none (empty arm, or pooled rate 0 or 1: no variance).
    public var zTest: StatisticResult<ZTestResult>
    /// Difference in rates with its unpooled 95% (1 − α) CI.
    public var difference: StatisticResult<EstimateInterval>
    /// Relative lift with its delta-method CI.
    public var lift: StatisticResult<EstimateInterval>

    /// Computes all three statistics for `treatment` against `control`.
    public init(control: ConversionCounts, treatment: ConversionCounts, alpha: Double = 0.05) {
        let z = NormalDistribution.twoSidedCritical(alpha: alpha)
        guard control.users > 0, treatment.users > 0 else {
            let empty = [control, treatment].filter { $0.users == 0 }.map { "\"\($0.variant)\"" }
            let reason = "no users yet in \(empty.joined(separator: " and "))"
            zTest = .insufficientData(reason: reason)
            difference = .insufficientData(reason: reason)
            lift = .insufficientData(reason: reason)
            return
        }
        let nT = Double(treatment.users)
        let nC = Double(control.users)
        let pT = Double(treatment.conversions) / nT
        let pC = Double(control.conversions) / nC
        let diff = pT - pC

        let pooled = Double(treatment.conversions + control.conversions) / (nT + nC)
        let nullVariance = pooled * (1 - pooled) * (1 / nT + 1 / nC)
        if nullVariance > 0 {
            let statistic = diff / nullVariance.squareRoot()
            zTest = .value(ZTestResult(z: statistic, pValue: NormalDistribution.twoSidedPValue(statistic)))
        } else {
            zTest = .insufficientData(
                reason: pooled == 0 ? "no conversions in either variant" : "every user converted in both variants")
        }

        let varT = pT * (1 - pT) / nT
        let varC = pC * (1 - pC) / nC
        let diffVariance = varT + varC
        if diffVariance > 0 {
            let half = z * diffVariance.squareRoot()
            difference = .value(EstimateInterval(estimate: diff, lower: diff - half, upper: diff + half))
        } else {
            difference = .insufficientData(
                reason: "both observed rates are 0 or 1, so the difference has no estimated variance")
        }

        if pC == 0 {
            lift = .insufficientData(reason: "control has no conversions, so a relative lift is undefined")
        } else {
            let ratio = pT / pC
            let ratioVariance = varT / (pC * pC) + (pT * pT) * varC / (pC * pC * pC * pC)
            if ratioVariance > 0 {
                let half = z * ratioVariance.squareRoot()
                lift = .value(EstimateInterval(estimate: ratio - 1, lower: ratio - 1 - half, upper: ratio - 1 + half))
            } else {
                lift = .insufficientData(
                    reason: "both observed rates are 0 or 1, so the lift has no estimated variance")
            }
        }
    }
}

/// A z statistic and its two-sided p-value.
public struct ZTestResult: Codable, Equatable, Hashable, Sendable {
    /// The standardized difference (treatment − control) / pooled SE.
    public var z: Double
    /// Two-sided p-value under H₀: equal rates.
    public var pValue: Double

    /// Creates a result.
    public init(z: Double, pValue: Double) {
        self.z = z
        self.pValue = pValue
    }
}

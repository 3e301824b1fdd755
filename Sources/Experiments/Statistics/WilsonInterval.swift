import Foundation

/// Wilson score interval for a binomial proportion.
///
/// Source: Wilson (1927), JASA 22; the same arithmetic as statsmodels `proportion_confint(method="wilson")`:
/// with `p̂ = x/n` and `z = z_{1−α/2}`,
/// `center = (p̂ + z²/(2n)) / (1 + z²/n)`,
/// `half = z·√(p̂(1−p̂)/n + z²/(4n²)) / (1 + z²/n)`, clipped to `[0, 1]`.
/// Unlike the Wald interval it stays inside `[0, 1]` and is not degenerate at rates of 0 or 1.
public enum WilsonInterval {
    /// The interval for `counts`; insufficient data without users.
    public static func interval(
        for counts: ConversionCounts, alpha: Double = 0.05
    ) -> StatisticResult<EstimateInterval> {
        guard counts.users > 0 else {
            return .insufficientData(reason: "variant \"\(counts.variant)\" has no users yet")
        }
        let n = Double(counts.users)
        let rate = Double(counts.conversions) / n
        let z = NormalDistribution.twoSidedCritical(alpha: alpha)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (rate + z2 / (2 * n)) / denominator
        let half = z * (rate * (1 - rate) / n + z2 / (4 * (n * n))).squareRoot() / denominator
        return .value(
            EstimateInterval(
                estimate: rate, lower: min(1, max(0, center - half)), upper: min(1, max(0, center + half))))
    }
}

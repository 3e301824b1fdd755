import Foundation

/// The exact sign test of an interleaving experiment: among riders who preferred one ranker, is the split 50/50?
///
/// Under H₀ (riders do not prefer either ranker) each decisive rider is a win with probability ½, so
/// wins ~ Binomial(wins + losses, ½); ties carry no information about the direction and are dropped, as in the
/// classic sign test (Dixon & Mood, JASA 1946) and in interleaving analyses (Chapelle et al., ACM TOIS 2012).
public enum SignTest {
    /// scipy's relative tolerance for "no more likely than the observed outcome" (`rerr` in `binomtest`).
    static let relativeTolerance = 1 + 1e-7

    /// Exact two-sided binomial test of wins vs losses at p = 0.5, ties dropped: equal to
    /// scipy.stats.binomtest(wins, wins + losses, 0.5).pvalue (scipy's "sum of outcomes no more likely" rule,
    /// with its relative tolerance 1 + 1e-7). `nil` (insufficientData) when wins + losses == 0.
    ///
    /// scipy's definition (`scipy/stats/_binomtest.py`): with `d = P(X = k)`, the p-value is the probability of
    /// every outcome `i` with `P(X = i) ≤ d·(1 + 1e-7)`. For p = ½ the distribution is symmetric, so with
    /// `m = min(k, n − k)` that set is `{i ≤ m'} ∪ {i ≥ n − m'}` where `m' ≥ m` is the largest `i ≤ n/2` still
    /// within the tolerance (`m' = m` unless n is in the tens of millions), and
    /// `p = min(1, 2·P(X ≤ m'))` — or exactly 1 when `k = n/2`, as scipy's shortcut.
    public static func pValue(wins: Int, losses: Int) -> StatisticResult<Double> {
        guard wins >= 0, losses >= 0 else {
            return .insufficientData(reason: "wins (\(wins)) and losses (\(losses)) must be non-negative")
        }
        let (n, overflow) = wins.addingReportingOverflow(losses)
        guard !overflow else { return .insufficientData(reason: "wins + losses overflows") }
        guard n > 0 else { return .insufficientData(reason: "no rider preferred either ranker yet") }
        if 2 * wins == n { return .value(1) }
        let m = min(wins, losses)
        let threshold = BinomialDistribution.logProbabilityHalf(m, n) + log(relativeTolerance)
        var mPrime = m
        // Outcomes between m and the centre that are as unlikely as m within the tolerance join the tail.
        while 2 * (mPrime + 1) <= n, BinomialDistribution.logProbabilityHalf(mPrime + 1, n) <= threshold {
            // Even the mode is no more likely than the observation: every outcome counts.
            if 2 * (mPrime + 1) == n { return .value(1) }
            mPrime += 1
        }
        let tail = BinomialDistribution.lowerTailHalf(mPrime, n)
        return .value(min(1, 2 * tail))
    }
}

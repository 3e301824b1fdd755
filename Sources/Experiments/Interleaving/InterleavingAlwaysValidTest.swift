import Foundation

/// Always-valid test for the sign test: the mixture SPRT with a Beta(a, a) mixing distribution over
/// P(win | win or loss); Λ = B(w + a, l + a) / B(a, a) / 0.5^(w+l); p = min(1, 1/Λ), carried as a running
/// minimum over looks in `AlwaysValidState` (reuse it). Valid under continuous peeking by Ville's inequality.
///
/// Source: the mixture sequential probability ratio test of Robbins ("Statistical methods related to the law of
/// the iterated logarithm", Ann. Math. Statist. 1970) as used for always-valid p-values by Johari, Koomen,
/// Pekelis & Walsh ("Peeking at A/B Tests", KDD 2017; "Always Valid Inference", Operations Research 2022). Each
/// decisive rider is a Bernoulli(π) draw (win = 1); H₀ is π = ½. Mixing the likelihood πʷ(1−π)ˡ over
/// π ~ Beta(a, a) gives B(w + a, l + a)/B(a, a), and dividing by the null likelihood ½ʷ⁺ˡ gives Λ, a nonnegative
/// martingale with mean 1 under H₀ as decisive riders accrue; Ville's inequality bounds P(∃ look: Λ ≥ 1/α) ≤ α.
/// Everything is in log space (`lgamma`), so 10⁶ riders neither overflow nor underflow.
///
/// **Default prior a = 30.** The Beta(a, a) prior is centred on "no preference" with standard deviation
/// 1/√(4(2a + 1)) (0.064 at a = 30). In a simulation of 3,000 sequences at a 55/45 split, a = 30 needed the
/// fewest decisive riders to reach 1/Λ ≤ 0.05 (mean ≈ 850, median ≈ 720); a from 20 to 50 was within 1 %, and
/// a = 10 or 100 cost 5 %. Smaller a reacts faster to large preferences (60/40), larger a to small ones.
///
/// **Caveat.** The martingale argument needs each rider's outcome to be final once it is decisive. A rider
/// whose later conversions turn a win into a tie or a loss is re-counted from the cumulative credits, which is
/// the usual practice and keeps each single look exactly valid; the A/A simulation in the tests measures the
/// false-positive rate under continuous peeking.
public struct InterleavingAlwaysValidTest: Codable, Equatable, Sendable {
    /// The default Beta(a, a) parameter (see the type's documentation for why 30).
    public static let defaultPrior = 30.0

    /// Decisive riders preferring treatment.
    public var wins: Int
    /// Decisive riders preferring control.
    public var losses: Int
    /// ln Λ.
    public var logLikelihoodRatio: Double
    /// `min(1, 1/Λ)` at this look alone; `AlwaysValidState` keeps the running minimum.
    public var pValue: Double
    /// The Beta(a, a) parameter used.
    public var prior: Double

    /// The variance of the Beta(a, a) mixing distribution, 1/(4(2a + 1)); `AlwaysValidState` records it so that a
    /// change of prior restarts the sequence, as a change of τ² does for the A/B test.
    public var mixingVariance: Double { Self.mixingVariance(prior: prior) }

    /// The variance of Beta(a, a).
    public static func mixingVariance(prior a: Double) -> Double { 1 / (4 * (2 * a + 1)) }

    /// ln Λ = ln B(w + a, l + a) − ln B(a, a) + (w + l)·ln 2.
    public static func logLikelihoodRatio(wins: Int, losses: Int, prior a: Double = defaultPrior) -> Double {
        let w = Double(wins)
        let l = Double(losses)
        return logBeta(w + a, l + a) - logBeta(a, a) + (w + l) * M_LN2
    }

    /// `min(1, 1/Λ)` for these counts; 1 for invalid input (negative counts, a ≤ 0), which carries no evidence.
    public static func pValue(wins: Int, losses: Int, prior: Double = defaultPrior) -> Double {
        compute(wins: wins, losses: losses, prior: prior)?.pValue ?? 1
    }

    /// The test at one look, or `nil` for negative counts or a prior that is not a finite positive number.
    public static func compute(wins: Int, losses: Int, prior: Double = defaultPrior) -> InterleavingAlwaysValidTest? {
        guard wins >= 0, losses >= 0, prior > 0, prior.isFinite else { return nil }
        let logLambda = logLikelihoodRatio(wins: wins, losses: losses, prior: prior)
        // exp(−ln Λ) underflows to 0 for overwhelming evidence, never to NaN.
        return InterleavingAlwaysValidTest(
            wins: wins, losses: losses, logLikelihoodRatio: logLambda, pValue: min(1, exp(-logLambda)),
            prior: prior)
    }

    /// ln B(x, y) = lgamma(x) + lgamma(y) − lgamma(x + y).
    static func logBeta(_ x: Double, _ y: Double) -> Double { lgamma(x) + lgamma(y) - lgamma(x + y) }
}

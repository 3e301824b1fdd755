import Foundation

/// Always-valid (peeking-safe) inference for the difference in conversion rates: the mixture SPRT (mSPRT).
///
/// Source: Johari, Koomen, Pekelis & Walsh, "Peeking at A/B Tests" (KDD 2017) and Johari, Pekelis & Walsh,
/// "Always Valid Inference" (Operations Research 70(3), 2022) — the method behind Optimizely's stats engine.
/// With the estimate `θ̂ = p̂T − p̂C` approximately `N(θ, σ²)` and a normal mixing distribution `θ ~ N(0, τ²)`
/// over alternatives, the mixture likelihood ratio against `H₀: θ = 0` is
///
///     Λ = √(σ² / (σ² + τ²)) · exp( θ̂²·τ² / (2σ²(σ² + τ²)) )
///
/// (their eq. for the normal mixture with `σ² = V/n`). Under H₀, Λ over time is a nonnegative martingale with
/// mean 1, so by Ville's inequality `P(∃t: Λₜ ≥ 1/α) ≤ α`: rejecting the first time `1/Λ ≤ α` keeps the false
/// positive rate at α however often the dashboard looks. `σ²` here is the pooled (null) variance
/// `p̄(1−p̄)(1/nT + 1/nC)` — the same SE as the z-test, defined whenever p̄ ∉ {0, 1} — so `θ̂²/σ² = z²`.
///
/// Inverting the same test at every θ₀ gives the always-valid confidence sequence for θ (here with the
/// unpooled variance, as for the fixed-horizon CI): `θ̂ ± √( σ²(σ²+τ²)/τ² · (2·ln(1/α) + ln((σ²+τ²)/σ²)) )`.
///
/// **Mixing variance τ².** τ is the spread of effects the test is most sensitive to: Λ grows fastest once
/// σ ≈ τ. The default τ = 0.01 (one percentage point of conversion rate) matches the smallest differences a
/// recommender change is expected to move in practice; teams with other baselines should set their own from past
/// experiments, as Johari et al. recommend. τ² only trades speed for effect size; validity holds for any τ² > 0.
public struct AlwaysValidTest: Codable, Equatable, Sendable {
    /// Default τ² = 0.01², i.e. one percentage point.
    public static let defaultMixingVariance = 1e-4

    /// ln Λ at the current counts.
    public var logLikelihoodRatio: Double
    /// `min(1, 1/Λ)` at the current counts alone (valid at any single look; see `AlwaysValidState` for the
    /// running minimum over looks).
    public var pValue: Double
    /// The 1 − α confidence sequence for `p̂T − p̂C`, or why there is none (both rates 0 or 1).
    public var confidenceSequence: StatisticResult<EstimateInterval>
    /// The τ² used.
    public var mixingVariance: Double

    /// Stateless mSPRT from cumulative counts since the experiment started.
    public static func compute(
        control: ConversionCounts, treatment: ConversionCounts, alpha: Double = 0.05,
        mixingVariance tau2: Double = defaultMixingVariance
    ) -> StatisticResult<AlwaysValidTest> {
        guard control.users > 0, treatment.users > 0 else {
            return .insufficientData(reason: "a variant has no users yet")
        }
        let nT = Double(treatment.users)
        let nC = Double(control.users)
        let pT = Double(treatment.conversions) / nT
        let pC = Double(control.conversions) / nC
        let theta = pT - pC
        let pooled = Double(treatment.conversions + control.conversions) / (nT + nC)
        let sigma2 = pooled * (1 - pooled) * (1 / nT + 1 / nC)
        guard sigma2 > 0 else {
            return .insufficientData(
                reason: pooled == 0 ? "no conversions in either variant" : "every user converted in both variants")
        }
        let unpooled = pT * (1 - pT) / nT + pC * (1 - pC) / nC
        return .value(
            look(
                estimate: theta, testVariance: sigma2,
                intervalVariance: unpooled > 0 ? unpooled : nil, alpha: alpha, mixingVariance: tau2))
    }

    /// The mSPRT for any estimate `θ̂ ≈ N(θ, σ²)` of a difference, e.g. the CUPED-adjusted difference with
    /// σ² = its squared standard error: the same Λ and confidence sequence as the count-based `compute`, with σ²
    /// used for both. `insufficientData` when σ² is not a positive finite number or θ̂ is not finite.
    public static func compute(
        estimate: Double, variance: Double, alpha: Double = 0.05, mixingVariance tau2: Double = defaultMixingVariance
    ) -> StatisticResult<AlwaysValidTest> {
        guard estimate.isFinite, variance.isFinite, variance > 0 else {
            return .insufficientData(reason: "the estimate has no positive finite variance")
        }
        return .value(
            look(
                estimate: estimate, testVariance: variance, intervalVariance: variance, alpha: alpha,
                mixingVariance: tau2))
    }

    /// Λ with `testVariance` (σ² under H₀), and the confidence sequence with `intervalVariance` when there is one.
    private static func look(
        estimate theta: Double, testVariance sigma2: Double, intervalVariance: Double?, alpha: Double,
        mixingVariance tau2: Double
    ) -> AlwaysValidTest {
        let logLambda = 0.5 * log(sigma2 / (sigma2 + tau2)) + theta * theta * tau2 / (2 * sigma2 * (sigma2 + tau2))
        // exp(-logΛ) underflows to 0 for overwhelming evidence, never to NaN.
        let pValue = min(1, exp(-logLambda))
        let sequence: StatisticResult<EstimateInterval>
        if let v = intervalVariance {
            let radius = (v * (v + tau2) / tau2 * (2 * log(1 / alpha) + log((v + tau2) / v))).squareRoot()
            sequence = .value(EstimateInterval(estimate: theta, lower: theta - radius, upper: theta + radius))
        } else {
            sequence = .insufficientData(reason: "both observed rates are 0 or 1")
        }
        return AlwaysValidTest(
            logLikelihoodRatio: logLambda, pValue: pValue, confidenceSequence: sequence, mixingVariance: tau2)
    }
}

/// The running always-valid p-value of one experiment: `pₙ = min(pₙ₋₁, 1/Λₙ)`, starting at 1.
///
/// The minimum over every look is what Johari et al. call the always-valid p-value: it never increases, so a
/// dashboard that polled a significant result keeps showing it. The handler stores this value per experiment
/// (cumulative counts since the start, not a sliding window: the martingale argument needs all data) and feeds
/// it back on the next poll. A change of τ² restarts the sequence, because Λ under another τ² is another test.
public struct AlwaysValidState: Codable, Equatable, Hashable, Sendable {
    /// The smallest `1/Λ` seen so far (1 before any look).
    public var pValue: Double
    /// Number of looks folded in.
    public var looks: Int
    /// The τ² of the looks folded in; `nil` before the first.
    public var mixingVariance: Double?

    /// A sequence that has not looked yet.
    public init() {
        pValue = 1
        looks = 0
        mixingVariance = nil
    }

    /// The state after one more look.
    public func updated(with look: AlwaysValidTest) -> AlwaysValidState {
        updated(pValue: look.pValue, mixingVariance: look.mixingVariance)
    }

    /// The state after one more look of any mixture SPRT: its `min(1, 1/Λ)` and the variance of its mixing
    /// distribution (τ² for the normal mixture, 1/(4(2a+1)) for the Beta(a, a) one). A different mixing variance
    /// from the looks folded in restarts the sequence.
    public func updated(pValue: Double, mixingVariance: Double) -> AlwaysValidState {
        var next = self
        if let previous = self.mixingVariance, previous != mixingVariance { next = AlwaysValidState() }
        next.pValue = min(next.pValue, pValue)
        next.looks += 1
        next.mixingVariance = mixingVariance
        return next
    }

    /// The state after one more look that had insufficient data (counted, p-value unchanged).
    public func updatedWithoutEvidence() -> AlwaysValidState {
        var next = self
        next.looks += 1
        return next
    }
}

/// Off-policy replay: what another model (the target) would have converted on traffic logged under the live one.
///
/// Why item-position IPS and not whole-list matching: a target list equals a logged list of 10 items almost never,
/// so whole-list IPS would match nothing. Under the item-position click model (a conversion at a slot depends only
/// on the item and its position), the expected conversions of a list are the sum over positions, and each position
/// can be estimated from the logged slots that show the target's item there, weighted by 1/propensity of that
/// (item, position) pair. Source: Li, Abbasi-Yadkori, Kveton, Muthukrishnan, Vinay & Wen, "Offline Evaluation of
/// Ranking Policies with Click Models" (KDD 2018), the item-position model estimator; the Open Bandit Pipeline's
/// `SlateIndependentIPS` (Saito et al. 2021) is the same weight per slot.
///
/// With `w_ij = 1[target has position j and target[j] == slot_j.item] / slot_j.propensity` and `r_ij = converted`:
/// - IPS: `Y_i = Σ_j w_ij r_ij`, value = mean(Y), SE = sd(Y, n−1)/√n, CI = value ± z·SE (normal, z = Φ⁻¹(½ + c/2)).
/// - SNIPS, self-normalised per position: `R_j = Σ_i w_ij r_ij / Σ_i w_ij` (0 when Σ w = 0), value = Σ_j R_j; SE
///   from the influence function `ψ_i = Σ_j (w_ij r_ij − R_j w_ij) / (Σ_i w_ij / n)` (the delta method for a
///   ratio of means, summed over positions), SE = sd(ψ, n−1)/√n.
///
/// The estimates are unbiased (IPS) or consistent (SNIPS) only where the logging policy could show the target's
/// item at that position: a pair with logging propensity 0 is never matched and silently counts as no conversion,
/// which is why exploration (`ExplorationSlot`) exists. A slot whose propensity is not in (0, 1] (unknown, corrupt)
/// is never matched. With one request, the standard deviations (n − 1 in the denominator) are undefined; they are
/// reported as 0, so such an interval has zero width and says nothing.
public enum ReplayEstimator {
    /// Item-position IPS (Li et al. 2018 "independent IPS"; Open Bandit Pipeline's SlateIndependentIPS) and
    /// per-position SNIPS, with normal intervals at `confidence` (in (0, 1)); n = 0 -> all zeros.
    public static func estimate(_ requests: [LoggedRequest], confidence: Double = 0.95) -> ReplayEstimate {
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1), got \(confidence)")
        let n = requests.count
        guard n > 0 else {
            return ReplayEstimate(
                requests: 0, matchedRequests: 0, matchedSlots: 0, loggedRate: 0, ips: .zero, snips: .zero,
                confidence: confidence)
        }
        let matches = requests.map(matchedSlots(of:))
        let width = requests.lazy.map(\.slots.count).max() ?? 0
        var weightSums = Array(repeating: 0.0, count: width)
        var rewardSums = Array(repeating: 0.0, count: width)
        for request in matches {
            for match in request {
                weightSums[match.position] += match.weight
                rewardSums[match.position] += match.weight * match.reward
            }
        }
        let ratios = zip(rewardSums, weightSums).map { $1 > 0 ? $0 / $1 : 0 }
        let ips = matches.map { $0.reduce(0) { $0 + $1.weight * $1.reward } }
        let influence = matches.map { request in
            request.reduce(0.0) { sum, match in
                let j = match.position
                return sum + (match.weight * match.reward - ratios[j] * match.weight) / (weightSums[j] / Double(n))
            }
        }
        let z = NormalDistribution.quantile(0.5 + confidence / 2)
        let conversions = requests.reduce(0) { $0 + $1.slots.count(where: \.converted) }
        return ReplayEstimate(
            requests: n,
            matchedRequests: matches.count(where: { !$0.isEmpty }),
            matchedSlots: matches.reduce(0) { $0 + $1.count },
            loggedRate: Double(conversions) / Double(n),
            ips: interval(value: mean(ips), standardError: standardError(ips), z: z),
            snips: interval(value: ratios.reduce(0, +), standardError: standardError(influence), z: z),
            confidence: confidence)
    }

    /// A slot where the target shows the logged item: its position, weight 1/propensity and reward (0 or 1).
    struct Match {
        var position: Int
        var weight: Double
        var reward: Double
    }

    /// The slots of `request` with `w_ij > 0`.
    static func matchedSlots(of request: LoggedRequest) -> [Match] {
        var matches: [Match] = []
        for (position, slot) in request.slots.enumerated() {
            guard position < request.target.count, request.target[position] == slot.item,
                slot.propensity > 0, slot.propensity <= 1
            else { continue }
            matches.append(Match(position: position, weight: 1 / slot.propensity, reward: slot.converted ? 1 : 0))
        }
        return matches
    }

    static func interval(value: Double, standardError: Double, z: Double) -> ReplayInterval {
        ReplayInterval(
            value: value, standardError: standardError, lower: value - z * standardError,
            upper: value + z * standardError)
    }

    static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    /// sd(values, n − 1)/√n by two passes (mean, then squared deviations); 0 for fewer than two values.
    static func standardError(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let average = mean(values)
        let squares = values.reduce(0) { $0 + ($1 - average) * ($1 - average) }
        let count = Double(values.count)
        return (squares / (count - 1)).squareRoot() / count.squareRoot()
    }
}

import Foundation

/// Binomial probabilities accurate to a few ulps for any `n` a counter can reach, without overflow.
///
/// The plain route, `exp(lgamma(n+1) − lgamma(k+1) − lgamma(n−k+1) + …)`, does not overflow, but its three
/// logarithms are each about `n·ln n` (1.2e6 at n = 10⁵), so their rounding errors (≈ 1e-10 absolute) survive the
/// cancellation and cost ~1e-10 relative accuracy. Loader's saddle-point form ("Fast and Accurate Computation of
/// Binomial Probabilities", 2000; the algorithm behind R's `dbinom`) instead writes
/// `log P(X = x) = δ(n) − δ(x) − δ(n−x) − D(x, np) − D(n−x, nq) − ½·log(2πx(n−x)/n)`, where `δ` is the
/// Stirling-series remainder (small, computed from its asymptotic series; from `lgamma` only for x ≤ 15 where
/// `lgamma` is small too) and `D(x, μ) = x·log(x/μ) + μ − x` is the deviance, summed as a series when `x ≈ μ`
/// so it keeps full relative precision. Every term is small or accurate, so the result is good to ~1e-15.
enum BinomialDistribution {
    /// ln √(2π).
    static let logSquareRootTwoPi = 0.918_938_533_204_672_741_8

    /// δ(n) = ln n! − (n + ½)·ln n + n − ln √(2π), the error of Stirling's approximation.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 { return lgamma(n + 1) - (n + 0.5) * log(n) + n - logSquareRootTwoPi }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// D(x, μ) = x·ln(x/μ) + μ − x ≥ 0 (Loader's `bd0`), by the series in v = (x−μ)/(x+μ) when x is near μ.
    static func deviance(_ x: Double, _ mu: Double) -> Double {
        guard abs(x - mu) < 0.1 * (x + mu) else { return x * log(x / mu) + mu - x }
        var v = (x - mu) / (x + mu)
        var sum = (x - mu) * v
        var term = 2 * x * v
        v *= v
        var j = 1.0
        while j < 1000 {
            term *= v
            let next = sum + term / (2 * j + 1)
            if next == sum { return next }
            sum = next
            j += 1
        }
        return sum
    }

    /// ln P(X = k) for X ~ Binomial(n, ½), `0 ≤ k ≤ n`.
    static func logProbabilityHalf(_ k: Int, _ n: Int) -> Double {
        let logHalf = -Double(n) * M_LN2
        if k == 0 || k == n { return logHalf }
        let x = Double(k)
        let size = Double(n)
        let mu = size / 2
        let lc =
            stirlingError(size) - stirlingError(x) - stirlingError(size - x) - deviance(x, mu)
            - deviance(size - x, mu)
        let logSpread = 2 * logSquareRootTwoPi + log(x) + log1p(-x / size)
        return lc - 0.5 * logSpread
    }

    /// P(X = k) for X ~ Binomial(n, ½); 2⁻ⁿ exactly at k = 0 and k = n (down to the smallest subnormal).
    static func probabilityHalf(_ k: Int, _ n: Int) -> Double {
        if k == 0 || k == n { return n > 1100 ? 0 : Double(sign: .plus, exponent: -n, significand: 1) }
        return exp(logProbabilityHalf(k, n))
    }

    /// P(X ≤ m) for X ~ Binomial(n, ½) and `m ≤ n/2` (the lower tail, where terms shrink as i decreases):
    /// summed downward from `m` until the next term cannot change the sum, about √(20n) terms near the centre
    /// (n = 10⁶: ≤ 4,500) and far fewer in the tail. Terms follow from each other by the exact ratio
    /// P(i − 1)/P(i) = i/(n − i + 1), re-anchored on a direct evaluation every 16 terms, so rounding cannot
    /// accumulate beyond ~30 ulps while the cost stays at one multiplication per term.
    static func lowerTailHalf(_ m: Int, _ n: Int) -> Double {
        precondition(m >= 0 && 2 * m <= n, "lowerTailHalf needs 0 ≤ m ≤ n/2")
        var sum = 0.0
        var term = 0.0
        var i = m
        let size = Double(n)
        while i >= 0 {
            if (m - i) % 16 == 0 {
                term = probabilityHalf(i, n)
            } else {
                term *= Double(i + 1) / (size - Double(i))
            }
            if term <= sum * 1e-17 { break }
            sum += term
            i -= 1
        }
        return sum
    }
}

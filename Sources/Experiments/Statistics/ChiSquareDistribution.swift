import Foundation

/// The chi-square distribution's survival function, via the regularized upper incomplete gamma function.
///
/// `P(χ²_k > x) = Q(k/2, x/2)` where `Q(a, x) = Γ(a, x)/Γ(a)`. Special cases keep full precision where they exist:
/// k = 1 is `erfc(√(x/2))`, k = 2 is `exp(−x/2)`. Otherwise Q is evaluated as in Numerical Recipes (3rd ed.,
/// §6.2, `gammq`): the power series for P when `x < a + 1` (then `Q = 1 − P`, which cannot cancel badly there
/// because P is not close to 1), else the continued fraction for Q by the modified Lentz method.
public enum ChiSquareDistribution {
    /// P(χ²_df > x) for `df ≥ 1` (x ≤ 0 gives 1; df < 1 or NaN x gives NaN, as scipy does).
    public static func survival(_ x: Double, degreesOfFreedom df: Int) -> Double {
        guard df >= 1, !x.isNaN else { return .nan }
        guard x > 0 else { return 1 }
        if x == .infinity { return 0 }
        switch df {
        case 1: return erfc((x / 2).squareRoot())
        case 2: return exp(-x / 2)
        default: return regularizedUpperGamma(Double(df) / 2, x / 2)
        }
    }

    /// Q(a, x) = Γ(a, x)/Γ(a) for `a > 0` (x ≤ 0 gives 1; invalid a or NaN x gives NaN).
    public static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        guard a > 0, a.isFinite, !x.isNaN else { return .nan }
        guard x > 0 else { return 1 }
        if x == .infinity { return 0 }
        // log of x^a e^-x / Γ(a), the common prefactor of both expansions.
        let logPrefactor = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            return max(0, 1 - lowerSeries(a, x) * exp(logPrefactor))
        }
        return min(1, continuedFraction(a, x) * exp(logPrefactor))
    }

    /// Σ xⁿ / (a(a+1)…(a+n)), so that P(a, x) = prefactor · series (NR eq. 6.2.5).
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var denominator = a
        var term = 1 / a
        var sum = term
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * Double.ulpOfOne { break }
        }
        return sum
    }

    /// Continued fraction 1/(x+1−a− 1·(1−a)/(x+3−a− …)) for Q (NR eq. 6.2.7), modified Lentz.
    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < Double.ulpOfOne { break }
        }
        return h
    }
}

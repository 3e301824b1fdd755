#!/usr/bin/env python3
"""Reference values for the interleaving statistics, as JSON on stdout, for Tests/ExperimentsTests.

Library references (independent implementations):
  scipy.stats.binomtest(k, n, 0.5).pvalue   SignTest.pValue (wins k, losses n - k; ties are not passed at all)
  scipy.special.betaln                      InterleavingAlwaysValidTest.logLikelihoodRatio:
                                            ln B(w + a, l + a) - ln B(a, a) + (w + l) ln 2

Exact arithmetic                            the p-value by scipy's definition, exactly: for n <= 100,000 as
                                            2 sum_{i <= min(k, n-k)} C(n, i) / 2^n with Python integers; for
                                            n in the tens of millions with 40-digit decimals (Stirling series),
                                            applying the tolerance 1 + 1e-7 to exact ratios of probabilities.
                                            It tells scipy's own rounding (up to 5e-12 relative) from the Swift
                                            side's.

The sign-test grid covers n = 1 .. 100,000 with k = 0, 1, 2, the centre, n - 1, n and k at 1 .. 40 standard
deviations from the centre (p-values from 1 down to underflow), plus n in the tens of millions next to the
centre, where scipy's relative tolerance 1 + 1e-7 adds outcomes to the tail (or makes p exactly 1). Every row
carries a number of ties that the Swift side adds to its counts, to show that ties are dropped.
Exit status 2 with a clear message when a package is missing (the test then fails, never skips).
"""
import json
import math
import sys
from decimal import Decimal, getcontext

try:
    from scipy import special, stats
except ImportError as error:  # pragma: no cover - reported to the Swift test
    sys.stderr.write(f"{error}; run: python3 -m pip install scipy\n")
    sys.exit(2)


def exact_p_values(n, ks):
    """{k: 2 P(X <= min(k, n - k))} for X ~ Binomial(n, 1/2), exactly: one pass of integer binomial coefficients
    C(n, i) = C(n, i - 1) (n - i + 1) / i up to the largest min(k, n - k), keeping the running sum."""
    wanted = {min(k, n - k) for k in ks}
    top = max(wanted)
    sums = {}
    term, total = 1, 0
    for i in range(top + 1):
        if i > 0:
            term = term * (n - i + 1) // i
        total += term
        if i in wanted:
            sums[i] = total
    values = {}
    for k in ks:
        m = min(k, n - k)
        # int / int is correctly rounded, down to subnormals.
        values[k] = 1.0 if 2 * m + 1 >= n else min(1.0, (2 * sums[m]) / (1 << n))
    return values


LOG_SQRT_TWO_PI = Decimal("0.918938533204672741780329736405617639861397474")


def log_factorial(n):
    """ln n! to ~40 digits for n >= 10^5: Stirling's series with three correction terms (next term < 1e-33)."""
    n = Decimal(n)
    return (n + Decimal("0.5")) * n.ln() - n + LOG_SQRT_TWO_PI + 1 / (12 * n) - 1 / (360 * n**3) + 1 / (1260 * n**5)


def decimal_p_value(k, n):
    """scipy's two-sided p-value at p = 1/2 in 40-digit decimals, for n of millions and k near the centre."""
    getcontext().prec = 40
    m = min(k, n - k)
    assert m >= 100_000
    # scipy adds outcomes closer to the centre while P(i)/P(m) <= 1 + 1e-7 (exact ratios here).
    ratio, m_prime = Decimal(1), m
    while 2 * (m_prime + 1) <= n:
        ratio *= Decimal(n - m_prime) / Decimal(m_prime + 1)
        if ratio > Decimal(1) + Decimal("1e-7"):
            break
        if 2 * (m_prime + 1) == n:
            return 1.0
        m_prime += 1
    log_term = log_factorial(n) - log_factorial(m_prime) - log_factorial(n - m_prime) - n * Decimal(2).ln()
    term, total, i = log_term.exp(), Decimal(0), m_prime
    while i >= 0 and term > total * Decimal("1e-32"):
        total += term
        term = term * i / (n - i + 1)
        i -= 1
    return min(1.0, float(2 * total))


def sign_tests():
    rows = []
    sizes = [1, 2, 3, 4, 5, 6, 7, 10, 11, 20, 25, 50, 51, 100, 101, 250, 999, 1000, 1001, 4096, 10_000, 33_333,
             99_999, 100_000]
    for n in sizes:
        centre = n / 2
        sd = math.sqrt(n) / 2
        ks = {0, 1, 2, n // 2 - 1, n // 2, n // 2 + 1, (n + 1) // 2, n - 2, n - 1, n}
        for multiple in [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 30, 40]:
            ks.add(int(round(centre - multiple * sd)))
            ks.add(int(round(centre + multiple * sd)))
        ks = sorted(k for k in ks if 0 <= k <= n)
        exact = exact_p_values(n, ks)
        for k in ks:
            ties = (k * 7 + n) % 5
            rows.append({"wins": k, "losses": n - k, "ties": ties,
                         "pValue": float(stats.binomtest(k, n, 0.5).pvalue), "exact": exact[k]})
    for n in [20_000_001, 40_000_000]:
        for k in [n // 2 - 1, n // 2 - 2, n // 2 - 3, n // 2 - 1000, n // 2 + 1, n // 2 + 20_000]:
            rows.append({"wins": k, "losses": n - k, "ties": 0, "pValue": float(stats.binomtest(k, n, 0.5).pvalue),
                         "exact": decimal_p_value(k, n)})
    return rows


def mixture():
    rows = []
    for a in [0.5, 1, 5, 30, 100]:
        for wins, losses in [(0, 0), (1, 0), (0, 1), (5, 5), (12, 3), (55, 45), (550, 450), (6000, 4000),
                             (500_000, 500_000), (520_000, 480_000)]:
            log_lambda = special.betaln(wins + a, losses + a) - special.betaln(a, a) + (wins + losses) * math.log(2)
            rows.append({"wins": wins, "losses": losses, "prior": a, "logLambda": float(log_lambda)})
    return rows


def main():
    json.dump({"signTests": sign_tests(), "mixture": mixture()}, sys.stdout)


if __name__ == "__main__":
    main()

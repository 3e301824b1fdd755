#!/usr/bin/env python3
"""Reference statistics from statsmodels and scipy, as JSON on stdout, for Tests/ExperimentsTests.

Library references (independent implementations):
  scipy.stats.norm.ppf / norm.sf          NormalDistribution.quantile / survival / twoSidedPValue
  scipy.stats.chi2.sf                     ChiSquareDistribution.survival (general df)
  scipy.stats.chisquare                   SampleRatioMismatch.check
  statsmodels proportion_confint(wilson)  WilsonInterval
  statsmodels proportions_ztest           TwoProportionTest.zTest (pooled SE)
  statsmodels confint_proportions_2indep(method="wald", compare="diff")   TwoProportionTest.difference
  statsmodels samplesize_proportions_2indep_onetail                       PowerAnalysis.usersNeeded
Formula references (no library implements them; re-derived here in numpy to check the Swift arithmetic):
  delta-method lift CI, MDE, mSPRT log-likelihood ratio.

The grid covers tiny (n = 1..5) and huge (1e7..1e9) samples and rates of exactly 0 and 1. Undefined values
(statsmodels returns nan/inf) are emitted as null: the Swift side must report "insufficient data" there.
Exit status 2 with a clear message when a package is missing (the test then fails, never skips).
"""
import json
import math
import sys
import warnings

try:
    import numpy as np
    from scipy import stats
    from statsmodels.stats.proportion import (
        confint_proportions_2indep,
        proportion_confint,
        proportions_ztest,
        samplesize_proportions_2indep_onetail,
    )
except ImportError as error:  # pragma: no cover - environment problem, reported to the Swift test
    sys.stderr.write(f"{error}; run: python3 -m pip install statsmodels scipy\n")
    sys.exit(2)

Z = stats.norm.isf(0.025)
TAU2 = 1e-4


def finite(value):
    value = float(value)
    return value if math.isfinite(value) else None


def triple(estimate, lower, upper):
    values = [finite(estimate), finite(lower), finite(upper)]
    return None if None in values else values


def arms():
    sizes = [1, 2, 3, 4, 5, 10, 37, 100, 1000, 12345, 10**5, 10**7, 10**8, 10**9]
    rates = [0.0, 0.001, 0.05, 0.1, 0.5, 0.9, 0.999, 1.0]
    seen = []
    for n in sizes:
        for rate in rates:
            arm = (n, int(round(rate * n)))
            if arm not in seen:
                seen.append(arm)
    return seen


def proportions():
    rows = []
    grid = arms()
    for i, (n_c, x_c) in enumerate(grid):
        for j, (n_t, x_t) in enumerate(grid):
            if (i * 7 + j) % 3 != 0:
                continue
            row = {"nC": n_c, "xC": x_c, "nT": n_t, "xT": x_t}
            row["wilsonC"] = list(map(float, proportion_confint(x_c, n_c, alpha=0.05, method="wilson")))
            row["wilsonT"] = list(map(float, proportion_confint(x_t, n_t, alpha=0.05, method="wilson")))
            z, p = proportions_ztest([x_t, x_c], [n_t, n_c])
            row["z"], row["p"] = finite(z), finite(p)
            p_t, p_c = x_t / n_t, x_c / n_c
            var_t, var_c = p_t * (1 - p_t) / n_t, p_c * (1 - p_c) / n_c
            if var_t + var_c > 0:
                low, upp = confint_proportions_2indep(x_t, n_t, x_c, n_c, method="wald", compare="diff")
                row["diff"] = triple(p_t - p_c, low, upp)
            else:
                row["diff"] = None
            # Delta method for p_t/p_c - 1 (formula reference).
            ratio_var = var_t / (p_c * p_c) + (p_t * p_t) * var_c / (p_c * p_c * p_c * p_c) if p_c > 0 else 0.0
            if p_c > 0 and ratio_var > 0:
                half = Z * math.sqrt(ratio_var)
                lift = p_t / p_c - 1
                row["lift"] = [lift, lift - half, lift + half]
            else:
                row["lift"] = None
            pooled = (x_t + x_c) / (n_t + n_c)
            sigma2 = pooled * (1 - pooled) * (1 / n_t + 1 / n_c)
            if sigma2 > 0:
                theta = p_t - p_c
                row["logLambda"] = 0.5 * math.log(sigma2 / (sigma2 + TAU2)) + theta * theta * TAU2 / (
                    2 * sigma2 * (sigma2 + TAU2))
                row["mde"] = (Z + stats.norm.ppf(0.8)) * math.sqrt(sigma2)
            else:
                row["logLambda"] = None
                row["mde"] = None
            rows.append(row)
    return rows


def srm():
    cases = [
        ([500, 500], [0.5, 0.5]), ([510, 490], [0.5, 0.5]), ([5200, 4800], [0.5, 0.5]), ([1, 0], [0.5, 0.5]),
        ([3, 1], [0.5, 0.5]), ([0, 7], [0.3, 0.7]), ([50_030, 49_970], [0.5, 0.5]),
        ([500_000_000, 500_100_000], [0.5, 0.5]), ([2000, 3100, 4900], [0.2, 0.3, 0.5]),
        ([100, 100, 100, 100], [0.25, 0.25, 0.25, 0.25]), ([90, 110, 95, 105, 100], [0.2] * 5),
        ([10, 20, 30, 40, 50, 60, 70], [1 / 7] * 7), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.1] * 10),
        ([1_000_000, 1_010_000, 990_000], [1 / 3, 1 / 3, 1 / 3]), ([9, 1], [0.9, 0.1]), ([450, 550], [0.45, 0.55]),
    ]
    rows = []
    for users, weights in cases:
        total = sum(users)
        expected = [total * w for w in weights]
        statistic, p = stats.chisquare(users, expected)
        rows.append({"users": users, "weights": weights, "chiSquare": float(statistic), "pValue": float(p)})
    return rows


def chi2_grid():
    rows = []
    for df in [1, 2, 3, 4, 5, 6, 7, 9, 10, 20, 50, 99]:
        for x in [1e-6, 0.01, 0.5, 1, 2, 3.3, 5, 10, 15, 30, 60, 100, 250, 500, 1400]:
            rows.append({"df": df, "x": x, "sf": float(stats.chi2.sf(x, df))})
    return rows


def normal_grid():
    ppf = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.02425, 0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4,
           0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]
    sf = [0, 0.1, 0.5, 0.7, 1, 1.5, 1.96, 2.5, 3, 5, 8, 10, 20, 30, 37]
    return {
        "ppf": [{"p": p, "x": float(stats.norm.ppf(p))} for p in ppf],
        "sf": [{"x": x, "sf": float(stats.norm.sf(x)), "twoSided": float(2 * stats.norm.sf(abs(x)))} for x in sf],
    }


def sample_sizes():
    rows = []
    for baseline in [0.01, 0.1, 0.3, 0.5, 0.9]:
        for effect in [-0.05, -0.001, 0.001, 0.01, 0.05]:
            if not 0 <= baseline + effect <= 1:
                continue
            for control_share, treatment_share in [(0.5, 0.5), (0.2, 0.8), (0.7, 0.3)]:
                ratio = control_share / treatment_share
                nobs1 = samplesize_proportions_2indep_onetail(
                    effect, baseline, 0.8, ratio=ratio, alpha=0.05, alternative="two-sided")
                rows.append({"baseline": baseline, "effect": effect, "controlShare": control_share,
                             "treatmentShare": treatment_share, "treatmentUsers": float(nobs1)})
    return rows


def main():
    warnings.simplefilter("ignore")
    with np.errstate(all="ignore"):
        result = {"proportions": proportions(), "srm": srm(), "chi2": chi2_grid(), "normal": normal_grid(),
                  "sampleSize": sample_sizes()}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()

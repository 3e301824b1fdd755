#!/usr/bin/env python3
"""Reference CUPED estimates from statsmodels OLS, as JSON on stdout, for Tests/ExperimentsTests.

For each seeded random data set (binary outcome y = converted; covariate x = binary "had history" or a count of
pre-period conversions) the script emits the riders of both arms and:
  theta              statsmodels OLS(y, [1, x]).fit().params[1] over the riders of both arms (pooled)
  adjusted           (mean yT - mean yC) - theta * (mean xT - mean xC), theta taken from the OLS params
  adjustedSE         sqrt(var(yT - theta xT, ddof=1)/nT + var(yC - theta xC, ddof=1)/nC)   (numpy)
  raw, rawSE         mean yT - mean yC and sqrt(var(yT, ddof=1)/nT + var(yC, ddof=1)/nC)
  correlation        numpy corrcoef(x, y) over both arms
  usersNeededRaw / usersNeededAdjusted
                     ceil(2 (z_{0.975} + z_{0.8})^2 (s2_T + s2_C) / 0.01^2) with scipy.stats.norm.ppf
These follow Deng, Xu, Kohavi & Walker (WSDM 2013), with theta pooled over both arms.
Exit status 2 with a clear message when a package is missing (the test then fails, never skips).
"""
import json
import math
import sys

try:
    import numpy as np
    import statsmodels.api as sm
    from scipy import stats
except ImportError as error:  # pragma: no cover - reported to the Swift test
    sys.stderr.write(f"{error}; run: python3 -m pip install statsmodels scipy numpy\n")
    sys.exit(2)

TARGET = 0.01


def arm(rng, n, kind, base, slope, shift, offset):
    if kind == "binary":
        x = (rng.random(n) < 0.6).astype(float)
    else:
        x = rng.poisson(1.5, n).astype(float) + offset
    logit = base + slope * (x - offset) + shift
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return x, y


def dataset(seed, n_control, n_treatment, kind, slope, shift, offset=0.0):
    rng = np.random.default_rng(seed)
    xc, yc = arm(rng, n_control, kind, -1.5, slope, 0.0, offset)
    xt, yt = arm(rng, n_treatment, kind, -1.5, slope, shift, offset)
    x = np.concatenate([xc, xt])
    y = np.concatenate([yc, yt])
    theta = float(sm.OLS(y, sm.add_constant(x, has_constant="add")).fit().params[1])
    adjusted = (yt.mean() - yc.mean()) - theta * (xt.mean() - xc.mean())
    var_adj = [np.var(yy - theta * xx, ddof=1) for xx, yy in [(xt, yt), (xc, yc)]]
    var_raw = [np.var(yt, ddof=1), np.var(yc, ddof=1)]
    adjusted_se = math.sqrt(var_adj[0] / n_treatment + var_adj[1] / n_control)
    raw_se = math.sqrt(var_raw[0] / n_treatment + var_raw[1] / n_control)
    multiplier = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    return {
        "name": f"{kind} seed {seed} nC {n_control} nT {n_treatment} slope {slope} offset {offset}",
        "control": {"x": xc.tolist(), "y": yc.tolist()},
        "treatment": {"x": xt.tolist(), "y": yt.tolist()},
        "theta": theta,
        "adjusted": float(adjusted),
        "adjustedSE": adjusted_se,
        "raw": float(yt.mean() - yc.mean()),
        "rawSE": raw_se,
        "correlation": float(np.corrcoef(x, y)[0, 1]),
        "varianceReduction": 1 - adjusted_se**2 / raw_se**2,
        "usersNeededRaw": math.ceil(2 * multiplier**2 * sum(var_raw) / TARGET**2),
        "usersNeededAdjusted": math.ceil(2 * multiplier**2 * sum(var_adj) / TARGET**2),
    }


def main():
    sets = []
    seed = 1600
    for kind in ["binary", "count"]:
        for n_control, n_treatment in [(3, 4), (10, 10), (57, 43), (500, 500), (2000, 3000), (20_000, 20_000)]:
            for slope, shift in [(0.0, 0.0), (0.8, 0.1), (2.0, -0.2)]:
                seed += 1
                sets.append(dataset(seed, n_control, n_treatment, kind, slope, shift))
    # A count covariate far from 0 (1000 + Poisson): raw power sums would cancel badly here.
    for n in [50, 5000]:
        seed += 1
        sets.append(dataset(seed, n, n, "count", 0.8, 0.1, offset=1000.0))
    sets = [s for s in sets if all(math.isfinite(s[k]) for k in ["theta", "adjustedSE", "rawSE", "correlation"])
            and s["rawSE"] > 0 and s["adjustedSE"] > 0]
    json.dump({"target": TARGET, "sets": sets}, sys.stdout)


if __name__ == "__main__":
    main()

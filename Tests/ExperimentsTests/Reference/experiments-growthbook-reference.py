#!/usr/bin/env python3
"""Reference assignments from the `growthbook` PyPI package (hash version 2), as JSON on stdout.

Used by Tests/ExperimentsTests at test time: the Swift `ExperimentDefinition.assign(userId:)` must give the same
bucket `n` and the same variant for every row. Ids are deterministic and include non-ASCII, astral-plane
(emoji, surrogate pairs in UTF-16) and combining-mark strings, because GrowthBook hashes UTF-16 code units.

Exit status 2 with a clear message when the package is missing (the test then fails, never skips).
"""
import json
import sys

try:
    from growthbook import GrowthBook, Experiment
    from growthbook.core import gbhash
except ImportError as error:  # pragma: no cover - environment problem, reported to the Swift test
    sys.stderr.write(f"growthbook is not installed ({error}); run: python3 -m pip install growthbook\n")
    sys.exit(2)

EXPERIMENTS = [
    {"id": "rec-model-ab", "seed": None, "variants": [["control", 0.5], ["treatment", 0.5]], "coverage": 1.0},
    {"id": "rec-model-ab", "seed": "custom-seed-2024", "variants": [["control", 0.5], ["treatment", 0.5]],
     "coverage": 1.0},
    {"id": "three-way", "seed": None, "variants": [["control", 0.2], ["a", 0.3], ["b", 0.5]], "coverage": 1.0},
    {"id": "partial", "seed": None, "variants": [["control", 0.1], ["treatment", 0.9]], "coverage": 0.35},
    {"id": "zero-arm", "seed": None, "variants": [["control", 0.5], ["off", 0.0], ["treatment", 0.5]],
     "coverage": 0.8},
    {"id": "ünïcødé-🚕", "seed": None, "variants": [["control", 0.25], ["treatment", 0.75]], "coverage": 1.0},
]


def user_ids():
    ids = [f"user{i}" for i in range(1500)]
    ids += [f"usér-{i}" for i in range(200)]
    ids += [f"🚗{i}🚀" for i in range(200)]
    ids += [f"乗客{i}" for i in range(100)]
    ids += [f"e\u0301-{i}" for i in range(50)]  # combining acute accent
    ids += [f"𝔘𝔰𝔢𝔯-{i}" for i in range(50)]  # mathematical fraktur: astral plane
    ids += ["a", "0", " ", "user-with-a-very-long-id-" + "x" * 100, "👩‍👩‍👧‍👦", "\u00a0nbsp", "\U0010FFFF"]
    return ids


def main():
    rows = []
    for index, spec in enumerate(EXPERIMENTS):
        names = [name for name, _ in spec["variants"]]
        weights = [weight for _, weight in spec["variants"]]
        seed = spec["seed"] or spec["id"]
        experiment = Experiment(
            key=spec["id"], variations=names, weights=weights, coverage=spec["coverage"], hashVersion=2,
            seed=spec["seed"])
        for user_id in user_ids():
            result = GrowthBook(attributes={"id": user_id}).run(experiment)
            n = gbhash(seed, user_id, 2)
            variant = names[result.variationId] if result.inExperiment else None
            rows.append({"experiment": index, "userId": user_id, "seed": seed, "n": n, "variant": variant})
    sys.stdout.reconfigure(encoding="utf-8")
    json.dump({"experiments": EXPERIMENTS, "rows": rows}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference ranking agreements, as JSON on stdout, for Tests/ExperimentsTests (RankingAgreementReferenceTests).

Library reference (an independent implementation):
  rbo.RankingSimilarity(a, b).rbo_ext(p)    RankingAgreement.rankBiasedOverlap: extrapolated RBO of Webber, Moffat
                                            & Zobel (2010), the uneven-lengths formula when the lengths differ.
Plain Python sets:
  |top-k(a) & top-k(b)| / |top-k(a) | top-k(b)|   RankingAgreement.jaccard at several k.

The package's formula is checked here against a direct transcription of the paper's uneven-lengths formula, so a
change in the package's arithmetic shows up as an error of this script, not as a silent change of reference.

Lists: a few hundred random pairs of 1 to 50 distinct items from vocabularies of 5 to 80 names (so they overlap a
little, a lot or not at all), of equal and of uneven lengths, at several p; plus identical, disjoint, prefix and
reversed pairs. Exit status 2 with a clear message when the package is missing (the test then fails, never skips).
"""
import contextlib
import json
import random
import sys

try:
    import rbo
except ImportError as error:  # pragma: no cover - environment problem, reported to the Swift test
    sys.stderr.write(f"rbo is not installed ({error}); run: python3 -m pip install rbo\n")
    sys.exit(2)


def paper_rbo_ext(a, b, p):
    """The uneven-lengths RBO_ext written out term by term from the paper, with overlaps counted by sets."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    s, l = len(short), len(long)
    if l == 0:
        return 1.0
    if s == 0:
        return 0.0

    def overlap(d):
        return len(set(short[:d]) & set(long[:d]))

    x_s, x_l = overlap(s), overlap(l)
    first = sum(overlap(d) / d * p**d for d in range(1, l + 1))
    second = sum(x_s * (d - s) / (s * d) * p**d for d in range(s + 1, l + 1))
    return (1 - p) / p * (first + second) + ((x_l - x_s) / l + x_s / s) * p**l


def package_rbo_ext(a, b, p):
    # The package prints a warning on stdout when it clips a value to [0, 1]; stdout carries the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        return float(rbo.RankingSimilarity(a, b).rbo_ext(p=p))


def jaccard(a, b, k):
    top_a, top_b = set(a[:k]), set(b[:k])
    union = top_a | top_b
    return 1.0 if not union else len(top_a & top_b) / len(union)


def pairs():
    generator = random.Random(17)
    for index in range(400):
        vocabulary = [f"place-{i}" for i in range(generator.choice([5, 10, 20, 40, 80]))]
        length_a = generator.randint(1, min(50, len(vocabulary)))
        # Half the pairs have equal lengths, half uneven ones.
        length_b = length_a if index % 2 == 0 else generator.randint(1, min(50, len(vocabulary)))
        a = generator.sample(vocabulary, length_a)
        b = generator.sample(vocabulary, length_b)
        yield a, b
    letters = [chr(ord("a") + i) for i in range(26)]
    yield letters[:10], letters[:10]
    yield letters[:10], letters[10:20]
    yield letters[:4], letters[:12]
    yield letters[:12], letters[:4]
    yield letters[:10], list(reversed(letters[:10]))
    yield ["a"], ["a"]
    yield ["a"], ["b"]
    yield ["a"], ["b", "a"]
    yield letters[:1], letters[:26]
    yield letters[:26], letters[25::-1]
    yield letters[:5] + ["x", "y"], letters[:5]


def main():
    rows = []
    for index, (a, b) in enumerate(pairs()):
        p = [0.9, 0.5, 0.98, 0.1][index % 4]
        ours, theirs = paper_rbo_ext(a, b, p), package_rbo_ext(a, b, p)
        if abs(ours - min(1.0, theirs)) > 1e-12:
            sys.stderr.write(f"rbo package and the paper's formula differ for {a} {b} p={p}: {theirs} vs {ours}\n")
            sys.exit(3)
        ks = sorted({1, 3, 5, 10, len(a), len(b), max(len(a), len(b)) + 5})
        rows.append({"a": a, "b": b, "p": p, "rbo": theirs, "rboDefault": package_rbo_ext(a, b, 0.9),
                     "jaccard": [{"k": k, "value": jaccard(a, b, k)} for k in ks]})
    json.dump({"pairs": rows}, sys.stdout)


if __name__ == "__main__":
    main()

"""Paired offline comparison of `rideease eval` with implicit's ALS and EASE on the same split.

Reads the split that `rideease eval --export-split` wrote (train rows after repeats were collapsed, and one test
hold-out per user) and the per-user top-10 lists of `rideease eval --export`. Every model ranks the whole catalog
minus the user's training items (the Swift protocol); ties do not occur with float factor scores. NDCG@10 per user
is paired with rideease's on the same user; the mean difference and a normal 95 % CI (1.96 · SD / √n) are printed.

The baselines' hyperparameters are picked on the test hold-outs themselves, which flatters them: a rideease
difference whose CI reaches 0 is therefore conservative.
"""

import json
import sys
import time

import numpy as np
import scipy.sparse as sp

Z95 = 1.959963984540054
K = 10


def load(split_path, rows_path):
    users, items = {}, {}
    train_u, train_i, train_w, test = [], [], [], {}
    with open(split_path) as handle:
        for line in handle:
            row = json.loads(line)
            u = users.setdefault(row["userId"], len(users))
            i = items.setdefault(row["itemId"], len(items))
            if row["part"] == "train":
                train_u.append(u), train_i.append(i), train_w.append(row["weight"])
            else:
                test[u] = i
    matrix = sp.csr_matrix((train_w, (train_u, train_i)), shape=(len(users), len(items)), dtype=np.float32)
    matrix.sum_duplicates()
    rideease = {}
    with open(rows_path) as handle:
        for line in handle:
            row = json.loads(line)
            recs = row["recommendations"][:K]
            position = recs.index(row["heldOut"]) + 1 if row["heldOut"] in recs else None
            rideease[users[row["userId"]]] = 1 / np.log2(position + 1) if position else 0.0
    return users, items, matrix, test, rideease


def ndcg_full_ranking(score_rows, matrix, test_users, test_items):
    """Per-user NDCG@10 of the held-out item, ranked against all items not in the user's training row."""
    gains = np.zeros(len(test_users))
    for start in range(0, len(test_users), 1024):
        block = test_users[start:start + 1024]
        scores = np.asarray(score_rows(block), dtype=np.float64)
        seen = matrix[block]
        for row, user in enumerate(block):
            s = scores[row]
            s[seen.indices[seen.indptr[row]:seen.indptr[row + 1]]] = -np.inf
            target = s[test_items[start + row]]
            rank = 1 + int(np.sum(s > target))
            gains[start + row] = 1 / np.log2(rank + 1) if rank <= K else 0.0
    return gains


def implicit_als(matrix, factors, regularization, alpha, iterations):
    from implicit.als import AlternatingLeastSquares

    model = AlternatingLeastSquares(
        factors=factors, regularization=regularization, alpha=alpha, iterations=iterations,
        random_state=42, use_gpu=False)
    model.fit(matrix, show_progress=False)
    uf, itf = np.asarray(model.user_factors), np.asarray(model.item_factors)
    return lambda block: uf[block] @ itf.T


def ease(matrix, regularization):
    x = (matrix > 0).astype(np.float64)
    gram = (x.T @ x).toarray()
    gram[np.diag_indices_from(gram)] += regularization
    p = np.linalg.inv(gram)
    b = -p / np.diag(p)
    b[np.diag_indices_from(b)] = 0
    return lambda block: x[block] @ b


def paired(a, b):
    d = a - b
    se = d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), se, d.mean() - Z95 * se, d.mean() + Z95 * se


def main(split_path, rows_path, rideease_seconds):
    users, items, matrix, test, rideease = load(split_path, rows_path)
    test_users = np.array(sorted(test))
    test_items = np.array([test[u] for u in test_users])
    base = np.array([rideease[u] for u in test_users])
    print(f"users {len(users)}, items {len(items)}, train non-zeros {matrix.nnz}, test users {len(test_users)}")
    se = base.std(ddof=1) / np.sqrt(len(base))
    print(f"rideease (default train, tuned grid)   NDCG@10 {base.mean():.4f} ± {se:.4f}   "
          f"whole eval run {rideease_seconds:.1f}s (tuning + test refit + final fit)")
    candidates = [("implicit ALS", f"factors={f} reg={r} alpha={a} it={it}",
                   lambda f=f, r=r, a=a, it=it: implicit_als(matrix, f, r, a, it))
                  for f in (32, 64, 128) for r in (1.0, 10.0, 50.0, 100.0, 200.0) for a in (1.0, 10.0, 40.0) for it in (15,)]
    candidates += [("EASE", f"lambda={lam}", lambda lam=lam: ease(matrix, lam)) for lam in (50, 100, 250, 500, 1000)]
    best = {}
    for family, label, fit in candidates:
        start = time.perf_counter()
        scorer = fit()
        seconds = time.perf_counter() - start
        gains = ndcg_full_ranking(scorer, matrix, test_users, test_items)
        mean, dse, lo, hi = paired(base, gains)
        print(f"  {family:12s} {label:38s} NDCG@10 {gains.mean():.4f}  fit {seconds:6.2f}s  "
              f"rideease − it {mean:+.4f} [{lo:+.4f}, {hi:+.4f}]")
        if family not in best or gains.mean() > best[family][1].mean():
            best[family] = (label, gains, seconds)
    print("best of each family (chosen on the test hold-outs: optimistic for them)")
    for family, (label, gains, seconds) in best.items():
        mean, dse, lo, hi = paired(base, gains)
        verdict = "not worse" if hi >= 0 else "WORSE"
        print(f"  rideease − {family} ({label}, fit {seconds:.2f}s): {mean:+.4f} ± {dse:.4f}, "
              f"95% CI [{lo:+.4f}, {hi:+.4f}] → rideease {verdict}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))

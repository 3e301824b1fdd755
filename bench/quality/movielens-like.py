"""A MovieLens-100k-like ratings log: numeric ids, Zipf popularity, low-rank tastes, and the burst rating that
gives real logs many equal timestamps (a rater enters several ratings within the same second).

    python3 movielens-like.py OUT.csv [users] [items] [ratings] [seed]

Timestamps start in September 1997, where MovieLens 100k's do (Unix seconds); the ties are what the log is for.
"""

import sys

import numpy as np


def main(path, users=943, items=1682, ratings=100_000, seed=1998):
    rng = np.random.default_rng(seed)
    rank = 12
    popularity = -1.0 * np.log(rng.permutation(items) + 1.0)
    item_tastes = rng.normal(size=(items, rank))
    activity = np.exp(3.6 + rng.normal(size=users))
    counts = np.minimum(items // 2, 20 + np.round(activity / activity.sum() * (ratings - 20 * users))).astype(int)
    with open(path, "w") as out:
        out.write("user,item,timestamp\n")
        for user in range(users):
            taste = rng.normal(size=rank) * 1.5 / np.sqrt(rank)
            keys = popularity + item_tastes @ taste - np.log(-np.log(rng.uniform(size=items)))
            chosen = np.argsort(-keys)[: counts[user]]
            rng.shuffle(chosen)
            clock = 874_724_710 + int(rng.integers(0, 200 * 86_400))
            for item in chosen:
                # Half the ratings land in the same second as the previous one: bursts of equal timestamps.
                clock += 0 if rng.uniform() < 0.5 else int(rng.integers(1, 600))
                out.write(f"{user + 1},{item + 1},{clock}\n")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))

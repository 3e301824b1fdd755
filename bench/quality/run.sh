#!/usr/bin/env bash
# Offline quality of the default `rideease eval` pipeline against implicit's ALS and EASE on the same split.
#
#   bench/quality/run.sh [riders] [places] [days] [seed]      a simulated city (`rideease simulate`)
#   bench/quality/run.sh movielens [users] [items] [ratings]   a MovieLens-like log with many tied timestamps
#
# Puts the log into a scratch store (simulated, or imported with `rideease events import`), runs `rideease eval` (tuned iALS, the default training pipeline) with
# --export-split (train rows + test hold-outs) and --export (per-user top-10), then trains implicit's ALS and an
# EASE (numpy closed form) on exactly those train rows in a scratch venv and prints per-user paired NDCG@10
# differences with 95 % CIs and training times. Set RIDEEASE_BIN to reuse a built binary, QUALITY_VENV to reuse
# a venv that has implicit, scipy and numpy.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
log=city
if [[ "${1:-}" == movielens ]]; then log=movielens; shift; fi
riders="${1:-3000}" places="${2:-600}" days="${3:-28}" seed="${4:-7}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
if [[ -z "${RIDEEASE_BIN:-}" ]]; then
    (cd "$repo" && swift build -c release --product rideease >/dev/null)
    RIDEEASE_BIN="$(cd "$repo" && swift build -c release --show-bin-path)/rideease"
fi
venv="${QUALITY_VENV:-$scratch/venv}"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q implicit scipy numpy
fi
store="$scratch/store"
cd "$repo"
if [[ $log == movielens ]]; then
    users="${1:-943}" items="${2:-1682}" ratings="${3:-100000}"
    python3 "$repo/bench/quality/movielens-like.py" "$scratch/ratings.csv" "$users" "$items" "$ratings"
    "$RIDEEASE_BIN" events import --storage "$store" "$scratch/ratings.csv" >/dev/null
    described="MovieLens-like log: $users users, $items items, $ratings ratings (bench/quality/movielens-like.py)"
else
    "$RIDEEASE_BIN" simulate --storage "$store" --riders "$riders" --places "$places" --days "$days" \
        --seed "$seed" >/dev/null
    described="rideease simulate --riders $riders --places $places --days $days --seed $seed"
fi
start=$(date +%s.%N)
"$RIDEEASE_BIN" eval --storage "$store" --user-limit 0 --export "$scratch/rows.jsonl" \
    --export-split "$scratch/split.jsonl" >"$scratch/report.json" 2>/dev/null
end=$(date +%s.%N)
echo "$described; rideease eval (tuned iALS, default grid)"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); t=r["test"]; o=t["overall"]
print("chosen", r["chosen"], "tied hold-outs", t.get("tiedHoldOutUsers"), "of", t["evaluatedUsers"])' \
    "$scratch/report.json"
OPENBLAS_NUM_THREADS=1 "$venv/bin/python" "$repo/bench/quality/compare.py" "$scratch/split.jsonl" \
    "$scratch/rows.jsonl" "$(echo "$end - $start" | bc)"

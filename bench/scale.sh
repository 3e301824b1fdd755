#!/usr/bin/env bash
# Cost of every stage from 10k to 10M rides: simulate a city per size, train on it (every core, then one thread
# on the same snapshot for the fit speed-up), start the server, ask for a first recommendation, hot-swap to the
# other model; print wall, CPU and peak RSS per stage and a growth exponent per stage (100k..10M).
#
#   bench/scale.sh --quick   # 10k, 100k (development)
#   bench/scale.sh           # 10k, 100k, 1M
#   bench/scale.sh --full    # also 10M (long; run with nohup)
#
# SCALE_SIZES="10000000" runs only the sizes given. SCALE_STOP_AFTER_FIT=N ends training of sizes >= N rides after
# the final fit (no artifact, registration or serving figures): for a branch whose artifact encode is still slow.
#
# Sizes: riders = rides/10, places = max(100, rides/500) (10M rides: 1M riders, 20k places), 14 days, one city per
# 500 places. Needs a release build (swift build -c release --product rideease) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(10000 100000 1000000)
case "${1:-}" in
--quick) sizes=(10000 100000) ;;
--full) sizes=(10000 100000 1000000 10000000) ;;
"") ;;
*) echo "usage: bench/scale.sh [--quick|--full]" >&2; exit 2 ;;
esac
[ -n "${SCALE_SIZES:-}" ] && read -r -a sizes <<<"$SCALE_SIZES"
binary="${RIDEEASE_BIN:-.build/release/rideease}"
[ -x "$binary" ] || { echo "no $binary: run swift build -c release --product rideease" >&2; exit 1; }
work="${SCALE_WORK:-$(mktemp -d /tmp/rideease-scale.XXXXXX)}"
echo "scale bench: sizes ${sizes[*]}, work folder $work, $(nproc) cores, commit $(git rev-parse --short HEAD)"
# The fit's speed-up needs free cores: the same CPU-bound work in two processes at once vs one says how many this
# machine gives us right now (2.0 on two idle cores; about 1.0 when other work holds them).
python3 - <<'PY'
import multiprocessing, time
def burn(_):
    x = 0
    for i in range(6_000_000): x += i
start = time.monotonic(); burn(0); one = time.monotonic() - start
start = time.monotonic()
with multiprocessing.Pool(2) as pool: pool.map(burn, [0, 1])
two = time.monotonic() - start
print(f"machine check: two CPU-bound processes ran {2 * one / two:.2f}x the work of one per second")
PY
for rides in "${sizes[@]}"; do
    riders=$((rides / 10))
    places=$((rides / 500 > 100 ? rides / 500 : 100))
    cities=$((places / 500 > 2 ? places / 500 : 2))
    dir="$work/$rides"
    rm -rf "$dir" && mkdir -p "$dir"
    store="$dir/store"
    echo "== $rides rides: $riders riders, $places places, $cities cities"
    python3 bench/scale/measure.py --out "$dir/simulate.jsonl" -- "$binary" simulate --storage "$store" \
        --riders "$riders" --places "$places" --cities "$cities" --days 14 --seed 7
    stop=()
    if [ -n "${SCALE_STOP_AFTER_FIT:-}" ] && [ "$rides" -ge "$SCALE_STOP_AFTER_FIT" ]; then stop=(--stop-after-fit); fi
    python3 bench/scale/measure.py --out "$dir/train.jsonl" "${stop[@]}" -- "$binary" train --storage "$store" \
        --no-tune >"$dir/train.json"
    if [ ${#stop[@]} -gt 0 ]; then
        echo "stopped after the final fit: no artifact, registration or serving figures at this size"
        continue
    fi
    snapshot=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dataSnapshotId"])' "$dir/train.json")
    first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["model"]["version"])' "$dir/train.json")
    swap=""
    if [ "$rides" -le 1000000 ]; then
        # Same snapshot on one thread: the fit's speed-up, and a second model version for the hot-swap.
        python3 bench/scale/measure.py --out "$dir/train-1thread.jsonl" --env RIDEEASE_TRAIN_THREADS=1 -- \
            "$binary" train --storage "$store" --no-tune --snapshot "$snapshot" >"$dir/train-1thread.json"
        swap="$first"
    fi
    python3 bench/scale/serve-probe.py "$binary" "$store" rider-0001 "$swap" >"$dir/serve.json" ||
        echo "serve probe failed (see $dir)" >&2
    du -sh "$store" | sed 's/^/store size: /'
done
echo
python3 bench/scale/report.py "$work" "${sizes[@]}"

#!/usr/bin/env bash
# Rider erasure: how its cost grows with the store. For each size N (events), a fresh folder gets N ride events of
# N/20 riders (one target rider with 40 rides, spread over every segment) imported as events, a popularity model
# trained on them, and then `rideease riders forget` erases the target (settle 0). Printed per size: segments,
# wall-clock seconds of the erasure, events removed, and the other riders' event count before and after (they must
# be equal). The erasure reads every event segment once, so its time should grow linearly with N.
#
# Usage: bench/erasure-bench.sh [sizes="100000 400000 1600000"] [binary=.build/release/rideease]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"100000 400000 1600000"}
binary=${2:-.build/release/rideease}
if [ "$binary" = .build/release/rideease ]; then swift build -c release --product rideease >/dev/null; fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $commit"
echo "# bench/erasure-bench.sh \"$sizes\" $binary"
printf '%10s %9s %10s %10s %14s %14s\n' events segments seconds removed others-before others-after
for n in $sizes; do
    work=$(mktemp -d)
    python3 - "$n" >"$work/rides.csv" <<'PY'
import sys
n = int(sys.argv[1]); riders = max(2, n // 20); step = max(1, n // 40)
print("user,item,weight,timestamp")
for i in range(n):
    user = "target-rider" if i % step == 0 and i // step < 40 else f"u{i % riders}"
    print(f"{user},p{(i * 7919) % 997},1,{1767225600 + i}")
PY
    export RIDEEASE_STORAGE="$work/data" LOG_LEVEL=error RIDEEASE_ERASURE_SETTLE_SECONDS=0
    "$binary" events import "$work/rides.csv" >/dev/null
    "$binary" train --algorithm popularity --no-tune >/dev/null
    count() { find "$work/data/events" -name '*.jsonl' -print0 | xargs -0 cat | grep -vc '"userId":"target-rider"' || true; }
    before=$(count)
    segments=$(find "$work/data/events" -name '*.jsonl' | wc -l)
    start=$(date +%s.%N)
    "$binary" riders forget target-rider >"$work/forget.log" 2>&1  # progress lines on stderr, the record on stdout
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    removed=$( (grep -o 'events: [0-9]* segments scanned, [0-9]* rewritten, [0-9]* lines removed' "$work/forget.log" \
        || true) | head -1 | awk '{print $7}')
    after=$(count)
    left=$( (grep -rl 'target-rider' "$work/data" || true) | wc -l)
    printf '%10s %9s %10.2f %10s %14s %14s\n' "$n" "$segments" "$seconds" "${removed:-?}" "$before" "$after"
    [ "$left" -eq 0 ] || echo "!! $left objects still hold the rider's id"
    rm -rf "$work"
done

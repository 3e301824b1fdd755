#!/usr/bin/env bash
# Does replaying logged traffic (rideease eval --replay: item-position IPS and SNIPS on traces with propensities)
# predict the conversion rate a candidate then achieves when served? In the simulated ride world, runs of logged
# requests served by iALS 64 with an ε-greedy exploration slot are replayed for three candidates and compared with
# the same riders served by the candidate, under a cascade and a position-based click model (see bench/RESULTS.md).
#
#   bench/replay-accuracy.sh [runs=100] [requests-per-run=20000] [seed=1]
#
# REPLAY_BENCH_EPSILON overrides ε (default 0.2). About 5 CPU-minutes at the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100}" requests="${2:-20000}" seed="${3:-1}"
swift build -c release --product InterleavingBench >/dev/null 2>&1 || swift build -c release --product InterleavingBench
echo "# $(date -u +%FT%TZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), commit $(git rev-parse --short HEAD)"
echo "# bench/replay-accuracy.sh $runs $requests $seed"
time "$(swift build -c release --show-bin-path)/InterleavingBench" replay "$runs" "$requests" "$seed"

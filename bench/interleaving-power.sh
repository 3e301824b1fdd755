#!/usr/bin/env bash
# Power of team-draft interleaving against A/B (raw z-test and CUPED) in the simulated ride world, and A/A false
# ship/rollback under continuous peeking; prints the table and a PASS/FAIL line per goal (see bench/RESULTS.md).
# Builds the InterleavingBench target in release mode and runs it on every core.
#
#   bench/interleaving-power.sh [experiments-per-size=500] [max-riders=409600] [seed=1]
#
# A full run takes about 8 CPU-minutes: 4-8 minutes of wall time on 2 cores, depending on what else runs; the
# report's last line gives both, so a run on a shared machine can be judged.
set -euo pipefail
cd "$(dirname "$0")/.."
experiments="${1:-500}" riders="${2:-409600}" seed="${3:-1}"
swift build -c release --product InterleavingBench >/dev/null 2>&1 || swift build -c release --product InterleavingBench
echo "# $(date -u +%FT%TZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), commit $(git rev-parse --short HEAD)"
echo "# bench/interleaving-power.sh $experiments $riders $seed"
"$(swift build -c release --show-bin-path)/InterleavingBench" "$experiments" "$riders" "$seed"

#!/usr/bin/env bash
# Compaction: what merging each day's small segments into one daily file buys readers. DAYS finished days of
# SEGMENTS small event and trace segments each (a writer flushing every 5 s makes 17 280 a day) are written into a
# fresh FileStore; a snapshot read (every event) and trace lookups (getTrace, a mid-day and an end-of-day request)
# are timed, then the compact function runs and both are timed again. The events must come back identical.
#
# Usage: bench/compaction-bench.sh [segments per day=2000] [days=3] [events per segment=5]
# Needs: a release build (made here).
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
swift build -c release --product CompactionBench >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $commit"
echo "# bench/compaction-bench.sh ${1:-2000} ${2:-3} ${3:-5}"
.build/release/CompactionBench "${1:-2000}" "${2:-3}" "${3:-5}"

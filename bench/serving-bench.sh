#!/usr/bin/env bash
# Serving benchmark: POST /recommendations against GET /healthz of the same server in the same run,
# with traces and metrics on, for a model of 2,000 items x 64 factors and 50,000 riders; then the latency of
# recommendations at stated loads below saturation; then full load while the model is switched every second,
# counting failed requests.
#
# Usage: bench/serving-bench.sh [seconds=30] [connections=64]
# Needs: wrk (apt-get install wrk), a release build (made here). The setup is shared with bench/shadow-bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
connections=${2:-64}
source bench/serving-setup.sh
serving_prepare
serving_data
serving_start

run healthz /healthz
RIDERS=$riders run recommend /recommendations -s "$lua"
awk -v a="$(cat rps-healthz)" -v b="$(cat rps-recommend)" 'BEGIN {printf "cost ratio (healthz req/s / recommend req/s): %.2f\n", a / b}'
awk -v a="$(cat cpu-healthz)" -v b="$(cat cpu-recommend)" 'BEGIN {printf "cost ratio (server CPU per recommend / per healthz): %.2f\n", b / a}'
echo "== RSS after load $(rss)"

echo "== latency at a given load: the same 64 connections, each pausing between requests"
# At full load, closed-loop connections measure the queue, not the service: by Little's law the mean latency is
# connections / throughput whatever the server does, and wrk competes with the server for the same 2 cores. A
# latency goal is a latency at a stated load, so here each connection pauses a random time (mean THINK_MS)
# before each request; the load is what the server then sustained, printed with the latency it gave.
for think in 32 16 10 6; do
    THINK_MS=$think RIDERS=$riders run "recommend-pause-${think}ms" /recommendations -s "$lua"
done

echo "== hot-swap every second under load"
switch_loop() {
    local flip=0 version
    while true; do
        version=$([ $flip = 0 ] && echo v0.1.0 || echo v0.2.0)
        flip=$((1 - flip))
        curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$port/admin/switch-model" \
            -H "x-api-key: $MODEL_ADMIN_API_KEY" -H 'Content-Type: application/json' \
            -d "{\"version\":\"$version\",\"target\":\"all\"}" >>switches.txt || true
        sleep 1
    done
}
switch_loop &
switcher=$!
RIDERS=$riders run recommend-swap /recommendations -s "$lua"
kill "$switcher" 2>/dev/null || true
ok=$(grep -c '^200$' switches.txt || true)
bad=$(grep -vc '^200$' switches.txt || true)
echo "switches: $ok ok, $bad failed"
echo "== RSS at end $(rss)"

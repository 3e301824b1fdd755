#!/usr/bin/env bash
# Serving benchmark: POST /recommendations against GET /healthz of the same server in the same run,
# with traces and metrics on, for a model of 2,000 items x 64 factors and 50,000 riders; then the latency of
# recommendations at stated loads below saturation; then full load while the model is switched every second,
# counting failed requests.
#
# Usage: bench/serving-bench.sh [seconds=30] [connections=64]
# Needs: wrk (apt-get install wrk), a release build (made here).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
connections=${2:-64}
riders=50000

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product rideease >/dev/null
bin=$(swift build -c release --show-bin-path)/rideease
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
cp functions.yaml "$work/"
cd "$work"

echo "== data: $riders riders, 2000 places; iALS 64 factors"
"$bin" simulate --riders $riders --places 2000 --days 7 --seed 11 2>/dev/null
"$bin" train --no-tune --set factors=64 --set iterations=10 2>/dev/null | grep -E '"version"|"ndcg"' | head -2
"$bin" train --no-tune --algorithm popularity 2>/dev/null | grep '"version"' | head -1

export MODEL_ADMIN_API_KEY=bench-key LOG_LEVEL=warning LOG_FORMAT=json RIDEEASE_DEPLOYMENT_POLL_SECONDS=1
"$bin" serve --port 0 --no-schedule > server.log 2>&1 &
server=$!
for _ in $(seq 1 200); do grep -q '"listening"' server.log 2>/dev/null && break; sleep 0.1; done
# LOG_LEVEL=warning hides the "listening" line; find the port from the process instead.
port=""
for _ in $(seq 1 100); do
    port=$(ss -ltnpH 2>/dev/null | awk -v pid="pid=$server," '$0 ~ pid {split($4, a, ":"); print a[length(a)]}' | head -1)
    [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz?probe=ready" >/dev/null && break
    sleep 0.1
done
[ -n "$port" ] || { echo "server did not start"; cat server.log; exit 1; }
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }
echo "== server on 127.0.0.1:$port, RSS $(rss)"

# Server CPU time (user + system, in clock ticks): per request, it is the cost figure that other load on a shared
# machine does not inflate the way it inflates latency.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)

run() { # name, path, extra wrk args
    local name=$1 path=$2; shift 2
    local cpu_before cpu_after
    cpu_before=$(cpu_ticks)
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "http://127.0.0.1:$port$path" > "wrk-$name.txt"
    cpu_after=$(cpu_ticks)
    local rps p50 p99 errors requests cpu
    requests=$(awk '/requests in/ {print $1}' "wrk-$name.txt")
    cpu=$(awk -v t="$((cpu_after - cpu_before))" -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    rps=$(awk '/Requests\/sec/ {print $2}' "wrk-$name.txt")
    p50=$(awk '$1 == "50%" {print $2}' "wrk-$name.txt")
    p99=$(awk '$1 == "99%" {print $2}' "wrk-$name.txt")
    errors=$(awk '/Non-2xx/ {print $5} /Socket errors/ {print $0}' "wrk-$name.txt" | tr '\n' ' ')
    printf '%-22s %10s req/s   p50 %8s   p99 %8s   server CPU %6s us/request   errors: %s\n' \
        "$name" "$rps" "$p50" "$p99" "$cpu" "${errors:-0}"
    echo "$rps" > "rps-$name"
    echo "$cpu" > "cpu-$name"
}

run healthz /healthz
RIDERS=$riders run recommend /recommendations -s "$OLDPWD/bench/serving-recommend.lua"
awk -v a="$(cat rps-healthz)" -v b="$(cat rps-recommend)" 'BEGIN {printf "cost ratio (healthz req/s / recommend req/s): %.2f\n", a / b}'
awk -v a="$(cat cpu-healthz)" -v b="$(cat cpu-recommend)" 'BEGIN {printf "cost ratio (server CPU per recommend / per healthz): %.2f\n", b / a}'
echo "== RSS after load $(rss)"

echo "== latency at a given load: the same 64 connections, each pausing between requests"
# At full load, closed-loop connections measure the queue, not the service: by Little's law the mean latency is
# connections / throughput whatever the server does, and wrk competes with the server for the same 2 cores. A
# latency goal is a latency at a stated load, so here each connection pauses a random time (mean THINK_MS)
# before each request; the load is what the server then sustained, printed with the latency it gave.
for think in 32 16 10 6; do
    THINK_MS=$think RIDERS=$riders run "recommend-pause-${think}ms" /recommendations \
        -s "$OLDPWD/bench/serving-recommend.lua"
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
RIDERS=$riders run recommend-swap /recommendations -s "$OLDPWD/bench/serving-recommend.lua"
kill "$switcher" 2>/dev/null || true
ok=$(grep -c '^200$' switches.txt || true)
bad=$(grep -vc '^200$' switches.txt || true)
echo "switches: $ok ok, $bad failed"
echo "== RSS at end $(rss)"

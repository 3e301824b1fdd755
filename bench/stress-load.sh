#!/usr/bin/env bash
# Load and hot-swap under load: wrk runs a mix of POST /recommendations, GET /traces/{id} and
# POST /events for SECONDS while the model is switched every second; prints throughput, p50/p99, errors per
# route, failed switches and the server's RSS before and after (after a warm-up, so caches are full).
# Goals (exit 1 when missed): 0 non-2xx, 0 socket errors, 0 failed switches, RSS flat in the run's second half
# (<= 10 % + 10 MB; RSS is sampled every tenth of the run).
#
# Usage: bench/stress-load.sh [seconds=60] [connections=32] [riders=20000]
# Needs: wrk (Debian), curl; a release build (made here) unless RIDEEASE_BIN names a binary.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-32}
riders=${3:-20000}
places=1000
root=$PWD
source bench/stress/lib.sh
command -v wrk >/dev/null || stress_fail "wrk is not installed (apt-get install wrk)"

bin=$(stress_binary)
work=$(mktemp -d)
SERVER_PID=""
switcher=""
trap '[ -n "$switcher" ] && kill "$switcher" 2>/dev/null; [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null; rm -rf "$work"' EXIT
cp functions.yaml "$work/"
cd "$work"

echo "== data: $riders riders, $places places; v0.1.0 iALS (32 factors), v0.2.0 popularity"
stress_seed "$bin" "$riders" "$places"
export MODEL_ADMIN_API_KEY=stress-load-key LOG_LEVEL=warning LOG_FORMAT=json RIDEEASE_DEPLOYMENT_POLL_SECONDS=1
stress_serve "$bin" server.log
base="http://127.0.0.1:$SERVER_PORT"
echo "== server pid $SERVER_PID on $base; RSS at start $(stress_rss_kb "$SERVER_PID") kB"

warmup=$(( seconds / 6 > 3 ? seconds / 6 : 3 ))
RIDERS=$riders PLACES=$places wrk -t2 -c"$connections" -d"${warmup}s" -s "$root/bench/stress/mixed.lua" "$base" >wrk-warmup.txt
rss_before=$(stress_rss_kb "$SERVER_PID")
echo "== after ${warmup}s warm-up: RSS $rss_before kB"

switch_loop() {
    local flip=0 version
    while true; do
        version=$([ $flip = 0 ] && echo v0.1.0 || echo v0.2.0)
        flip=$((1 - flip))
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -X POST "$base/admin/switch-model" \
            -H "x-api-key: $MODEL_ADMIN_API_KEY" -H 'Content-Type: application/json' \
            -d "{\"version\":\"$version\",\"target\":\"all\"}" >>switches.txt || echo "curl-failed" >>switches.txt
        sleep 1
    done
}
switch_loop &
switcher=$!
# RSS every tenth of the run: a leak grows steadily to the end, caches filling up flatten out.
(for _ in $(seq 1 10); do sleep "$(awk -v s="$seconds" 'BEGIN {print s / 10}')"; stress_rss_kb "$SERVER_PID"; done >rss.txt) &
sampler=$!
RIDERS=$riders PLACES=$places wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -s "$root/bench/stress/mixed.lua" "$base" >wrk.txt
kill "$switcher" 2>/dev/null || true
wait "$switcher" 2>/dev/null || true
switcher=""
wait "$sampler" 2>/dev/null || true
rss_after=$(stress_rss_kb "$SERVER_PID")
rss_mid=$(sed -n 5p rss.txt)

rps=$(awk '/Requests\/sec/ {print $2}' wrk.txt)
requests=$(awk '/requests in/ {print $1}' wrk.txt)
p50=$(awk '$1 == "latency" {print $3}' wrk.txt)
p99=$(awk '$1 == "latency" {print $5}' wrk.txt)
non2xx=$(awk '/Non-2xx/ {print $5}' wrk.txt); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' wrk.txt); socket=${socket:-0}
switches_ok=$(grep -c '^200$' switches.txt || true)
switches_bad=$(grep -vc '^200$' switches.txt || true)
echo "== mixed load ${seconds}s, $connections connections, model switched every second"
grep '^route ' wrk.txt
printf 'total %s requests, %s req/s, p50 %s ms, p99 %s ms, non-2xx %s, socket errors %s\n' \
    "$requests" "$rps" "$p50" "$p99" "$non2xx" "$socket"
echo "switches: $switches_ok ok, $switches_bad failed"
echo "RSS before $rss_before kB, after $rss_after kB ($(awk -v a="$rss_before" -v b="$rss_after" 'BEGIN {printf "%+.1f%%", (b - a) * 100 / a}')); second half of the run $(awk -v a="$rss_mid" -v b="$rss_after" 'BEGIN {printf "%+.1f%%", (b - a) * 100 / a}')"
echo "RSS every $(awk -v s="$seconds" 'BEGIN {print s / 10}') s (kB): $(tr '\n' ' ' <rss.txt)"
stress_stop "$SERVER_PID"
SERVER_PID=""

[ "$non2xx" = 0 ] || stress_fail "load: $non2xx non-2xx answers (goal 0); see the routes above"
[ "$socket" = 0 ] || stress_fail "load: $socket socket errors/timeouts (goal 0)"
[ "$switches_ok" -gt 0 ] && [ "$switches_bad" = 0 ] || stress_fail "hot-swap: $switches_bad failed switches (goal 0)"
# Flat = the second half of the run adds at most 10 % + 10 MB (the trace ring and the event-id filter fill up
# first; both are bounded).
awk -v a="$rss_mid" -v b="$rss_after" 'BEGIN {exit !(b <= a * 1.1 + 10240)}' ||
    stress_fail "RSS grew from $rss_mid kB to $rss_after kB in the second half of steady load (goal: flat)"
echo "load goals met"

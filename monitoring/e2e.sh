#!/usr/bin/env bash
# End-to-end monitoring check: the real rideease binary (demo data) scraped by a real Prometheus on loopback.
# Asserts through Prometheus's HTTP API that the target is up, that the original demo's metrics (and, with a shadow
# running, the shadow's) exist with their labels, that `promtool check metrics` finds no problem beyond the
# tolerated unit note, and that EVERY expression of the dashboard and the rules returns data.
#
# Usage: monitoring/e2e.sh [path/to/rideease]   (default: .build/debug/rideease)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/debug/rideease}")
work=$(mktemp -d "${TMPDIR:-/tmp}/rideease-e2e.XXXXXX")
server=""
PROM_DIR=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    [ -n "$PROM_DIR" ] && monitoring/prometheus-up.sh --stop "$PROM_DIR" || true
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() { # description, command...
    local what=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $what"
        sed 's/^/    /' "$work/check.out" | head -20
    fi
}

cp functions.yaml "$work/"
# exec: $! must be the server itself, so the cleanup's kill reaches it (not just a subshell).
(cd "$work" && MODEL_ADMIN_API_KEY=e2e-key LOG_FORMAT=json RIDEEASE_DEPLOYMENT_POLL_SECONDS=0.5 \
    exec "$bin" serve --port 0 --demo --no-schedule >server.log 2>&1) &
server=$!
port=""
for _ in $(seq 1 600); do
    port=$(grep -o '"address":"[^"]*"' "$work/server.log" 2>/dev/null | head -1 | sed 's/.*:\([0-9]*\)"$/\1/' || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start"; cat "$work/server.log"; exit 1; }
url="http://127.0.0.1:$port"

# Traffic: a shadow of the demo's version over every request (so the shadow row and rules have data),
# predictions for both variants, a conversion, a bad request, a switch and a rollback.
curl -sf -X POST "$url/admin/shadow" -H 'x-api-key: e2e-key' -H 'Content-Type: application/json' \
    -d '{"version":"v0.1.0","target":"all","samplePercent":100}' >/dev/null \
    || { echo "could not start a shadow"; exit 1; }
for i in $(seq 1 60); do
    curl -s -X POST "$url/recommendations" -H 'Content-Type: application/json' \
        -d "{\"userId\":\"rider-$(printf %04d "$i")\",\"limit\":5}" >"$work/last.json"
done
request=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requestId"])' "$work/last.json")
curl -s -X POST "$url/events" -H 'Content-Type: application/json' \
    -d "{\"type\":\"conversion\",\"userId\":\"rider-0060\",\"itemId\":\"place-0001\",\"requestId\":\"$request\",\"timestamp\":$(date +%s)}" >/dev/null
curl -s -X POST "$url/recommendations" -H 'Content-Type: application/json' -d '{"userId":""}' >/dev/null
curl -s -X POST "$url/admin/switch-model" -H 'x-api-key: e2e-key' -H 'Content-Type: application/json' \
    -d '{"version":"v0.1.0","target":"treatment"}' >/dev/null
curl -s -X POST "$url/admin/rollback" -H 'x-api-key: e2e-key' >/dev/null

curl -s "$url/metrics" >"$work/metrics.txt"
promtool_lint() {
    # The only tolerated lint: the abbreviated unit in the original demo's rideease_prediction_latency_ms.
    local out
    out=$(promtool check metrics <"$work/metrics.txt" 2>&1 || true)
    echo "$out"
    ! echo "$out" | grep -v '^rideease_prediction_latency_ms .*abbreviated\|^$' | grep -q .
}
check "promtool check metrics is clean" promtool_lint

eval "$(monitoring/prometheus-up.sh --target "127.0.0.1:$port" --interval 1s)"
query() { curl -sfG "$PROM_URL/api/v1/query" --data-urlencode "query=$1"; }
has_result() { query "$1" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["data"]["result"] else 1)'; }
for _ in $(seq 1 60); do has_result 'up{job="rideease-inference"} == 1' && break; sleep 0.5; done
# Keep traffic flowing so rates over the scrape window are non-zero.
for i in $(seq 1 40); do
    curl -s -X POST "$url/recommendations" -H 'Content-Type: application/json' \
        -d "{\"userId\":\"rider-$(printf %04d $((i * 3)))\"}" >/dev/null
    sleep 0.25
done
check "target is up" has_result 'up{job="rideease-inference"} == 1'
for series in \
    'rideease_prediction_latency_ms_bucket{variant="control"}' \
    'rideease_prediction_latency_ms_bucket{variant="treatment"}' \
    'rideease_prediction_requests_total{variant="control",status="success"}' \
    'rideease_prediction_requests_total{variant="none",status="error"}' \
    'rideease_prediction_errors_total{stage="validation"}' \
    'rideease_service_uptime_seconds' \
    'rideease_offload_threads{pool="cpu"} >= 2' \
    'rideease_offload_jobs_total{pool="io"} > 0' \
    'rideease_model_info{variant="control"} == 1' \
    'rideease_training_last_ndcg_at_10 > 0' \
    'rideease_offload_threads{pool="background"} == 1' \
    'rideease_shadow_active{version="v0.1.0"} == 1' \
    'rideease_shadow_requests_total{variant="control",outcome="scored"} > 0' \
    'rideease_shadow_rbo_count{variant="treatment"} > 0' \
    'rideease_shadow_scoring_seconds_bucket{variant="control",le="+Inf"} > 0'; do
    check "series $series" has_result "$series"
done
check "every dashboard and rule expression returns data" \
    python3 monitoring/check-monitoring.py exprs --url "$PROM_URL" --require-data

echo "monitoring e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Shadow deployments: what scoring every request a second time, off the response path, costs the requests riders
# are served. The server, data and serving model of bench/serving-bench.sh (iALS, 64 factors); the shadow is a model
# of the same cost (iALS, 64 factors, another seed) at 100 % sampling. At the paused loads of the serving bench and
# at full load, phases alternate off/on/off/…/off in the same run (the off phases on either side show the drift).
# Per phase: req/s, p50/p99, server CPU per request, failed requests (non-2xx and socket errors); per on phase, what
# became of the samples (scored / dropped / error, from /metrics) and the shadow's mean scoring time; at the end the
# summary endpoint's counts. The claim checked: at each load, p99 with the shadow on <= 1.10 x p99 with it off, and
# no failed served request. Drops at full load are by design: one nice-10 thread, a bounded backlog.
#
# Usage: bench/shadow-bench.sh [seconds=12] [connections=64] [rounds=2]
#   rounds: on phases per load, each between two off phases (2: off/on/off/on/off).
# Needs: wrk, a release build (made here).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-12}
connections=${2:-64}
rounds=${3:-2}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
source bench/serving-setup.sh
serving_prepare
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $commit"
echo "# bench/shadow-bench.sh $seconds $connections $rounds"
serving_data
echo "== shadow model: iALS 64 factors, seed 7"
"$bin" train --no-tune --set factors=64 --set iterations=10 --set seed=7 2>/dev/null | grep '"version"' | head -1
shadow_version=v0.3.0
serving_start

# Sampled requests by outcome, summed over variants, and the shadow's scoring time: "scored dropped error sum count".
shadow_counts() {
    curl -s "http://127.0.0.1:$port/metrics" | awk '
        /^rideease_shadow_requests_total\{/ {
            match($0, /outcome="[a-z]+"/); n[substr($0, RSTART + 9, RLENGTH - 10)] += $NF }
        /^rideease_shadow_scoring_seconds_sum/ { sum += $NF }
        /^rideease_shadow_scoring_seconds_count/ { count += $NF }
        END { printf "%d %d %d %.6f %d\n", n["scored"], n["dropped"], n["error"], sum, count }'
}

# Waits until the background thread has recorded every handed-over sample (the counts stop moving), at most 15 s.
settle() {
    local last="" now
    for _ in $(seq 1 30); do
        now=$(shadow_counts)
        [ "$now" = "$last" ] && return 0
        last=$now
        sleep 0.5
    done
}

results=phases.txt
: > "$results"
phase() { # load (ms of pause, 0 = full), on|off, round
    local load=$1 mode=$2 round=$3 name before after
    name="load${load}-${mode}${round}"
    if [ "$mode" = on ]; then
        admin POST /admin/shadow "{\"version\":\"$shadow_version\",\"target\":\"all\",\"samplePercent\":100}" \
            >/dev/null
    fi
    before=$(shadow_counts)
    THINK_MS=$load RIDERS=$riders run "$name" /recommendations -s "$lua"
    if [ "$mode" = on ]; then admin DELETE /admin/shadow >/dev/null; fi
    settle
    after=$(shadow_counts)
    # load mode round | req/s p50 p99 cpu requests non2xx socket | scored dropped error scoring-ms-mean
    echo "$load $mode $round $(cat "stats-$name") $(awk -v b="$before" -v a="$after" 'BEGIN {
        split(b, x, " "); split(a, y, " "); n = y[5] - x[5]
        printf "%d %d %d %.3f", y[1] - x[1], y[2] - x[2], y[3] - x[3], (n > 0 ? (y[4] - x[4]) / n * 1000 : 0) }')" \
        >> "$results"
    if [ "$mode" = on ]; then tail -1 "$results" | awk '{
        printf "    shadow: %d scored, %d dropped, %d errors of %d served; mean scoring %.3f ms\n", $11, $12, $13, $8, $14 }'
    fi
}

echo "== warm-up, 5 s at full load (not counted)"
seconds=5 RIDERS=$riders run warmup /recommendations -s "$lua" >/dev/null

for load in 32 16 10 6 0; do
    if [ "$load" = 0 ]; then echo "== full load"; else echo "== pauses of $load ms"; fi
    for round in $(seq 1 "$rounds"); do
        phase "$load" off "$round"
        phase "$load" on "$round"
    done
    phase "$load" off $((rounds + 1))
done

echo "== per load: means over the phases (p99 of each phase, averaged); ratio = p99 on / p99 off"
echo "| load | shadow | req/s | p50 ms | p99 ms (each phase) | µs CPU/request | failed | scored / dropped / error | ratio p99 on/off |"
echo "|---|---|---|---|---|---|---|---|---|"
awk '
    { k = $1 SUBSEP $2; n[k]++; rps[k] += $4; p50[k] += $5; p99[k] += $6; cpu[k] += $7; req[k] += $8
      fail[k] += $9 + $10; sc[k] += $11; dr[k] += $12; er[k] += $13
      each[k] = each[k] (each[k] == "" ? "" : " / ") sprintf("%.2f", $6); loads[$1] = 1 }
    END {
        split("32 16 10 6 0", order, " ")
        for (i = 1; i <= 5; i++) {
            l = order[i]; if (!(l in loads)) continue
            label = (l == 0 ? "full" : "pauses " l " ms")
            off = l SUBSEP "off"; on = l SUBSEP "on"
            ratio = (p99[on] / n[on]) / (p99[off] / n[off])
            printf "| %s | off | %.0f | %.2f | %.2f (%s) | %.0f | %d of %d | | |\n", label, rps[off] / n[off],
                p50[off] / n[off], p99[off] / n[off], each[off], cpu[off] / n[off], fail[off], req[off]
            total = sc[on] + dr[on] + er[on]
            printf "| %s | on | %.0f | %.2f | %.2f (%s) | %.0f | %d of %d | %d / %d / %d (%.1f %% dropped) | **%.2f** |\n",
                label, rps[on] / n[on], p50[on] / n[on], p99[on] / n[on], each[on], cpu[on] / n[on], fail[on],
                req[on], sc[on], dr[on], er[on], (total > 0 ? 100 * dr[on] / total : 0), ratio
        }
    }' "$results"

echo "== the summary endpoint (after the tallies are written, every 10 s)"
sleep 12
admin GET /admin/shadow/summary | jq -c '{version: .shadow.version, scored: .total.scored, dropped: .total.dropped,
    errors: .total.errors, meanJaccard: .total.meanJaccard, meanRbo: .total.meanRbo,
    topItemChangedShare: .total.topItemChangedShare, latencyP50Ms: .total.latencyP50Ms,
    latencyP99Ms: .total.latencyP99Ms}'
awk '$2 == "on" {s += $11; d += $12; e += $13} END {printf "from /metrics over the on phases: %d scored, %d dropped, %d errors\n", s, d, e}' "$results"
echo "== server log: $(grep -c . server.log) lines, $(grep -ci '"error"\|fatal' server.log || true) at error level or fatal"
echo "# end: load $(cut -d' ' -f1-3 /proc/loadavg), RSS $(rss)"

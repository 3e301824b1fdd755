#!/usr/bin/env bash
# Shadow deployments: what scoring every request a second time, off the response path, costs the requests riders
# are served. The server, data and serving model of bench/serving-bench.sh (iALS, 64 factors); the shadow is a model
# of the same cost (iALS, 64 factors, another seed) at 100 % sampling. At the paused loads of the serving bench and
# at full load, phases alternate off/on/off/…/off in the same run (the off phases on either side show the drift).
# Per phase: req/s, p50/p99, server CPU per request, failed requests (non-2xx and socket errors); per on phase, what
# became of the samples (scored / dropped / error, from /metrics) and the shadow's mean scoring time; at the end the
# summary endpoint's counts. The claim checked: at each load, p99 with the shadow on <= 1.10 x p99 with it off, and
# no failed served request. Drops at full load are by design: one low-priority thread, a bounded backlog.
#
# Usage: bench/shadow-bench.sh [seconds=12] [connections=64] [rounds=2]
#   rounds: on phases per load, each between two off phases (2: off/on/off/on/off).
#   LOADS="32 0" measures only those loads (pause in ms, 0 = full load); default: 32 16 10 6 0.
#   MODES="on nice10" adds, after each on phase (the build's own policy for the shadow's thread), a phase with the
#   thread moved from outside (chrt, renice) to nice 10; "idle" moves it to SCHED_IDLE. Default: on.
#   SHADOW_VERSION=v0.2.0 shadows with popularity instead (next to nothing to score: what the hand-over costs).
# Needs: wrk, a release build (made here).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-12}
connections=${2:-64}
rounds=${3:-2}
loads=${LOADS:-32 16 10 6 0}
modes=${MODES:-on}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
source bench/serving-setup.sh
serving_prepare
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $commit"
echo "# LOADS=\"$loads\" MODES=\"$modes\" SHADOW_VERSION=${SHADOW_VERSION:-v0.3.0} bench/shadow-bench.sh $seconds $connections $rounds"
serving_data
echo "== shadow model: iALS 64 factors, seed 7"
"$bin" train --no-tune --set factors=64 --set iterations=10 --set seed=7 2>/dev/null | grep '"version"' | head -1
shadow_version=${SHADOW_VERSION:-v0.3.0}
echo "== shadow: $shadow_version"
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

# The shadow's thread (Offload.background): the server's only thread under SCHED_IDLE, or at nice 10 in builds
# before that policy (the kernel's thread names do not tell the pools apart). It starts with the first use of the
# pool, which a /metrics scrape is. Its own setting is kept in background_own ("idle" or "nice10") and
# background_nice.
background_tid=""
background_own=""
background_nice=0
background_thread() {
    local task fields
    if [ -z "$background_tid" ]; then
        for task in /proc/"$server"/task/*; do
            # After "pid (comm) ", field 17 is the nice value and field 39 the policy (5 = SCHED_IDLE).
            fields=$(sed 's/.*) //' "$task/stat" | awk '{print $17, $39}')
            case "$fields" in
                *" 5") background_tid=$(basename "$task") background_own=idle background_nice=${fields% *} ;;
                "10 "*) background_tid=$(basename "$task") background_own=nice10 background_nice=10 ;;
            esac
        done
    fi
    [ -n "$background_tid" ] || { echo "the shadow's thread (SCHED_IDLE or nice 10) was not found" >&2; return 1; }
    echo "$background_tid"
}
# Puts the shadow's thread under "idle" (SCHED_IDLE) or "nice10" (SCHED_OTHER at nice 10) from outside.
background_set() {
    local tid
    tid=$(background_thread)
    case "$1" in
        idle) chrt --idle -p 0 "$tid" && renice -n "$background_nice" -p "$tid" >/dev/null ;;
        nice10) chrt --other -p 0 "$tid" && renice -n 10 -p "$tid" >/dev/null ;;
    esac
}
# "policy, nice" of the shadow's thread.
background_policy() {
    local tid
    tid=$(background_thread)
    echo "$(chrt -p "$tid" | awk -F': ' '/policy/ {print $2}'), nice $(sed 's/.*) //' "/proc/$server/task/$tid/stat" |
        awk '{print $17}')"
}

results=phases.txt
: > "$results"
phase() { # load (ms of pause, 0 = full), off|on|idle|nice10, round
    local load=$1 mode=$2 round=$3 name before after
    name="load${load}-${mode}${round}"
    case "$mode" in idle | nice10) background_set "$mode" ;; esac
    if [ "$mode" != off ]; then
        admin POST /admin/shadow "{\"version\":\"$shadow_version\",\"target\":\"all\",\"samplePercent\":100}" \
            >/dev/null
    fi
    before=$(shadow_counts)
    THINK_MS=$load RIDERS=$riders run "$name" /recommendations -s "$lua"
    if [ "$mode" != off ]; then admin DELETE /admin/shadow >/dev/null; fi
    settle
    case "$mode" in idle | nice10) background_set "$background_own" ;; esac
    after=$(shadow_counts)
    # load mode round | req/s p50 p99 cpu requests non2xx socket | scored dropped error scoring-ms-mean
    echo "$load $mode $round $(cat "stats-$name") $(awk -v b="$before" -v a="$after" 'BEGIN {
        split(b, x, " "); split(a, y, " "); n = y[5] - x[5]
        printf "%d %d %d %.3f", y[1] - x[1], y[2] - x[2], y[3] - x[3], (n > 0 ? (y[4] - x[4]) / n * 1000 : 0) }')" \
        >> "$results"
    if [ "$mode" != off ]; then tail -1 "$results" | awk '{
        printf "    shadow: %d scored, %d dropped, %d errors of %d served; mean scoring %.3f ms\n", $11, $12, $13, $8, $14 }'
    fi
}

echo "== warm-up, 5 s at full load (not counted)"
seconds=5 RIDERS=$riders run warmup /recommendations -s "$lua" >/dev/null
shadow_counts >/dev/null
background_thread >/dev/null  # here, not in a subshell: it keeps the thread and its own policy
echo "== the shadow's thread: $(background_policy)"

for load in $loads; do
    if [ "$load" = 0 ]; then echo "== full load"; else echo "== pauses of $load ms"; fi
    for round in $(seq 1 "$rounds"); do
        phase "$load" off "$round"
        for mode in $modes; do phase "$load" "$mode" "$round"; done
    done
    phase "$load" off $((rounds + 1))
done

echo "== per load: means over the phases; ratio = mean p99 on / mean p99 off (and of the medians)"
echo "| load | shadow | req/s | p50 ms | p99 ms (each phase) | µs CPU/request | failed | scored / dropped / error | ratio p99 on/off |"
echo "|---|---|---|---|---|---|---|---|---|"
awk -v loads="$loads" -v modes="$modes" '
    function median(list,    v, m, i, j, t) {
        m = split(list, v, " / ")
        for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    { k = $1 SUBSEP $2; n[k]++; rps[k] += $4; p50[k] += $5; p99[k] += $6; cpu[k] += $7; req[k] += $8
      fail[k] += $9 + $10; sc[k] += $11; dr[k] += $12; er[k] += $13
      each[k] = each[k] (each[k] == "" ? "" : " / ") sprintf("%.2f", $6); seen[$1] = 1 }
    END {
        count = split(loads, order, " "); modeCount = split(modes, mode, " ")
        for (i = 1; i <= count; i++) {
            l = order[i]; if (!(l in seen)) continue
            label = (l == 0 ? "full" : "pauses " l " ms")
            off = l SUBSEP "off"
            printf "| %s | off | %.0f | %.2f | %.2f (%s) | %.0f | %d of %d | | |\n", label, rps[off] / n[off],
                p50[off] / n[off], p99[off] / n[off], each[off], cpu[off] / n[off], fail[off], req[off]
            for (j = 1; j <= modeCount; j++) {
                on = l SUBSEP mode[j]; if (!(on in n)) continue
                ratio = (p99[on] / n[on]) / (p99[off] / n[off]); mratio = median(each[on]) / median(each[off])
                total = sc[on] + dr[on] + er[on]
                printf "| %s | %s | %.0f | %.2f | %.2f (%s) | %.0f | %d of %d | %d / %d / %d (%.1f %% dropped) | **%.2f** (medians %.2f) |\n",
                    label, mode[j], rps[on] / n[on], p50[on] / n[on], p99[on] / n[on], each[on], cpu[on] / n[on],
                    fail[on], req[on], sc[on], dr[on], er[on], (total > 0 ? 100 * dr[on] / total : 0), ratio, mratio
            }
        }
    }' "$results"

echo "== the summary endpoint (after the tallies are written, every 10 s)"
sleep 12
admin GET /admin/shadow/summary | jq -c '{version: .shadow.version, scored: .total.scored, dropped: .total.dropped,
    errors: .total.errors, meanJaccard: .total.meanJaccard, meanRbo: .total.meanRbo,
    topItemChangedShare: .total.topItemChangedShare, latencyP50Ms: .total.latencyP50Ms,
    latencyP99Ms: .total.latencyP99Ms}'
awk '$2 != "off" {s += $11; d += $12; e += $13} END {printf "from /metrics over the on phases: %d scored, %d dropped, %d errors\n", s, d, e}' "$results"
echo "== server log: $(grep -c . server.log) lines, $(grep -ci '"error"\|fatal' server.log || true) at error level or fatal"
echo "== the shadow's thread at the end: $(background_policy)"
echo "# end: load $(cut -d' ' -f1-3 /proc/loadavg), RSS $(rss)"

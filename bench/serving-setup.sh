# Shared setup of the serving benches (sourced by bench/serving-bench.sh and bench/shadow-bench.sh, from the
# repository root, with $seconds and $connections set): a release build, a simulated world of 50,000 riders and
# 2,000 places, iALS with 64 factors (v0.1.0) and popularity (v0.2.0) registered, one server with traces and
# metrics on, and `run`, which drives wrk and prints the figures the benches compare.
#
# In order: serving_prepare; serving_data; any extra training; serving_start; then `run` as often as needed.

repo=$(pwd)
riders=${riders:-50000}
lua="$repo/bench/serving-recommend.lua"
export MODEL_ADMIN_API_KEY=bench-key LOG_LEVEL=warning LOG_FORMAT=json RIDEEASE_DEPLOYMENT_POLL_SECONDS=1

# Installs wrk if missing, builds the release binary, and moves into a fresh working directory (removed on exit).
serving_prepare() {
    command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    swift build -c release --product rideease >/dev/null
    bin=$(swift build -c release --show-bin-path)/rideease
    work=$(mktemp -d)
    server=""
    trap 'serving_stop; rm -rf "$work"' EXIT
    cp functions.yaml "$work/"
    cd "$work"
}

serving_stop() {
    [ -n "$server" ] || return 0
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}

serving_data() {
    echo "== data: $riders riders, 2000 places; iALS 64 factors"
    "$bin" simulate --riders "$riders" --places 2000 --days 7 --seed 11 2>/dev/null
    "$bin" train --no-tune --set factors=64 --set iterations=10 2>/dev/null | grep -E '"version"|"ndcg"' | head -2
    "$bin" train --no-tune --algorithm popularity 2>/dev/null | grep '"version"' | head -1
}

# Starts the server, finds its port, and makes v0.1.0 (iALS) the served model: a server on a store without a
# deployment bootstraps the newest registered version, which would be whatever was trained last.
serving_start() {
    "$bin" serve --port 0 --no-schedule >server.log 2>&1 &
    server=$!
    for _ in $(seq 1 200); do grep -q '"listening"' server.log 2>/dev/null && break; sleep 0.1; done
    # LOG_LEVEL=warning hides the "listening" line; find the port from the process instead.
    port=""
    for _ in $(seq 1 100); do
        port=$(ss -ltnpH 2>/dev/null | awk -v pid="pid=$server," '$0 ~ pid {split($4, a, ":"); print a[length(a)]}' |
            head -1)
        [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz?probe=ready" >/dev/null && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "server did not start"; cat server.log; exit 1; }
    admin POST /admin/switch-model '{"version":"v0.1.0","target":"all"}' >/dev/null
    local served
    served=$(curl -s -X POST "http://127.0.0.1:$port/recommendations" -H 'Content-Type: application/json' \
        -d '{"userId":"rider-0001","limit":10}' | grep -o '"modelVersion":"[^"]*"')
    echo "== server on 127.0.0.1:$port, RSS $(rss), serving $served"
}

# An admin call (method, path, JSON body or empty): prints the body, fails on a non-2xx answer.
admin() {
    local method=$1 path=$2 body=${3:-}
    local data=()
    [ -z "$body" ] || data=(-H 'Content-Type: application/json' -d "$body")
    curl -sf -X "$method" "http://127.0.0.1:$port$path" -H "x-api-key: $MODEL_ADMIN_API_KEY" "${data[@]}"
}

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }

# Server CPU time (user + system, in clock ticks): per request, it is the cost figure that other load on a shared
# machine does not inflate the way it inflates latency.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# wrk prints latencies as 812.00us, 1.23ms or 1.02s: in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
    else if (v ~ /s$/) printf "%.3f", v * 1000; else printf "%.3f", v / 1000 }'; }

# One wrk run (name, path, extra wrk args): prints a line of figures and leaves them in stats-<name>
# ("req/s p50_ms p99_ms cpu_us requests non2xx socket_errors").
run() {
    local name=$1 path=$2; shift 2
    local cpu_before cpu_after
    cpu_before=$(cpu_ticks)
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "http://127.0.0.1:$port$path" > "wrk-$name.txt"
    cpu_after=$(cpu_ticks)
    local rps p50 p99 errors requests cpu non2xx socket
    requests=$(awk '/requests in/ {print $1}' "wrk-$name.txt")
    cpu=$(awk -v t="$((cpu_after - cpu_before))" -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    rps=$(awk '/Requests\/sec/ {print $2}' "wrk-$name.txt")
    p50=$(awk '$1 == "50%" {print $2}' "wrk-$name.txt")
    p99=$(awk '$1 == "99%" {print $2}' "wrk-$name.txt")
    errors=$(awk '/Non-2xx/ {print $5} /Socket errors/ {print $0}' "wrk-$name.txt" | tr '\n' ' ')
    non2xx=$(awk '/Non-2xx/ {print $5}' "wrk-$name.txt")
    socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "wrk-$name.txt")
    printf '%-22s %10s req/s   p50 %8s   p99 %8s   server CPU %6s us/request   errors: %s\n' \
        "$name" "$rps" "$p50" "$p99" "$cpu" "${errors:-0}"
    echo "$rps" > "rps-$name"
    echo "$cpu" > "cpu-$name"
    echo "$rps $(to_ms "$p50") $(to_ms "$p99") $cpu $requests ${non2xx:-0} ${socket:-0}" > "stats-$name"
}

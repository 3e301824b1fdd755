# Shared by bench/stress-*.sh: the binary, a data folder with two models, a server on a free loopback port.
# Source it; it defines functions only. Servers are started with the same steps as bench/serving-bench.sh.

# The rideease binary: $RIDEEASE_BIN when set (scripts/stress-check.sh passes the debug build the tests use),
# else a release build made here.
stress_binary() {
    if [ -n "${RIDEEASE_BIN:-}" ]; then
        echo "$RIDEEASE_BIN"
    else
        swift build -c release --product rideease >/dev/null
        echo "$(swift build -c release --show-bin-path)/rideease"
    fi
}

# stress_seed BIN RIDERS PLACES: a simulated ride world and two registered models (v0.1.0 iALS, v0.2.0
# popularity) in the current folder's default store, so switches alternate between different models.
stress_seed() {
    local bin=$1 riders=$2 places=$3
    "$bin" simulate --riders "$riders" --places "$places" --days 7 --seed 11 >/dev/null 2>&1
    "$bin" train --no-tune --set factors=32 --set iterations=6 >/dev/null 2>&1
    "$bin" train --no-tune --algorithm popularity >/dev/null 2>&1
}

# stress_free_port: a free loopback port (the kernel picks it; the short race until the server binds is fine).
stress_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stress_serve BIN LOG: starts `rideease serve` on loopback in the background; sets SERVER_PID and SERVER_PORT
# once it answers the readiness probe.
stress_serve() {
    local bin=$1 log=$2
    SERVER_PORT=$(stress_free_port)
    "$bin" serve --host 127.0.0.1 --port "$SERVER_PORT" --no-schedule >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 1200); do
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:"; tail -20 "$log"; return 1; }
        curl -sf "http://127.0.0.1:$SERVER_PORT/healthz?probe=ready" >/dev/null && return 0
        sleep 0.1
    done
    echo "server did not become ready:"; tail -20 "$log"; return 1
}

# stress_rss_kb PID: resident set size in kB.
stress_rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# stress_stop PID: SIGTERM (graceful: flushes traces and events), then waits up to 15 s; SIGKILL after that.
stress_stop() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

# stress_fail MESSAGE: prints a goal that was missed and exits non-zero.
stress_fail() { echo "STRESS GOAL MISSED: $*" >&2; exit 1; }

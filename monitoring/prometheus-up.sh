#!/usr/bin/env bash
# Starts a throwaway Prometheus on a free 127.0.0.1 port with an empty TSDB in a temporary directory, using
# monitoring/prometheus.yml (scrape job rideease-inference) and monitoring/alerts-policy.yaml, and waits until
# it is ready. Used by monitoring/check.sh and meant for end-to-end tests that scrape the real binary.
#
#   eval "$(monitoring/prometheus-up.sh [--target 127.0.0.1:8080] [--interval 1s])"
#   ... use $PROM_URL (e.g. curl "$PROM_URL/api/v1/query?query=up") ...
#   monitoring/prometheus-up.sh --stop "$PROM_DIR"
#
# Prints shell assignments on stdout: PROM_URL, PROM_PORT, PROM_PID, PROM_DIR (Prometheus's log is
# $PROM_DIR/prometheus.log). Prometheus's own output never goes to this script's stdout, so a caller reading
# stdout through a pipe gets EOF when this script exits. --target replaces the scrape target (default:
# 127.0.0.1:1, where nothing listens); --interval replaces the 15s scrape and evaluation intervals (e.g. 1s for
# tests). --stop DIR kills the Prometheus started with that DIR (by its recorded pid) and removes DIR.
# Bash callers may instead `source` this file and call prometheus_start / prometheus_stop.
set -euo pipefail

PROM_MONITORING_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

prometheus_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# prometheus_start [target] [interval]: sets PROM_URL PROM_PORT PROM_PID PROM_DIR; returns non-zero on failure.
prometheus_start() {
    local target="${1:-127.0.0.1:1}" interval="${2:-15s}" attempt
    command -v prometheus >/dev/null || { echo "prometheus not found: run scripts/monitoring-install.sh" >&2; return 1; }
    PROM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/rideease-prometheus.XXXXXX")"
    cp "$PROM_MONITORING_DIR/alerts-policy.yaml" "$PROM_DIR/alerts-policy.yaml"
    sed -e "s|'localhost:8080'|'$target'|" \
        -e "s|^\(  *\)scrape_interval: 15s|\1scrape_interval: $interval|" \
        -e "s|^\(  *\)evaluation_interval: 15s|\1evaluation_interval: $interval|" \
        "$PROM_MONITORING_DIR/prometheus.yml" >"$PROM_DIR/prometheus.yml"
    grep -q "'$target'" "$PROM_DIR/prometheus.yml" || { echo "could not set the scrape target" >&2; return 1; }
    for attempt in 1 2 3; do
        PROM_PORT="$(prometheus_free_port)"
        PROM_URL="http://127.0.0.1:$PROM_PORT"
        prometheus \
            --config.file="$PROM_DIR/prometheus.yml" \
            --storage.tsdb.path="$PROM_DIR/data" \
            --web.listen-address="127.0.0.1:$PROM_PORT" \
            --web.enable-lifecycle \
            </dev/null >>"$PROM_DIR/prometheus.log" 2>&1 &
        PROM_PID=$!
        echo "$PROM_PID" >"$PROM_DIR/prometheus.pid"
        local i
        for i in $(seq 1 150); do
            if ! kill -0 "$PROM_PID" 2>/dev/null; then break; fi
            if curl -fsS --max-time 1 "$PROM_URL/-/ready" >/dev/null 2>&1; then
                return 0
            fi
            sleep 0.2
        done
        kill "$PROM_PID" 2>/dev/null || true
        wait "$PROM_PID" 2>/dev/null || true
        echo "prometheus did not become ready on $PROM_URL (attempt $attempt); log tail:" >&2
        tail -n 5 "$PROM_DIR/prometheus.log" >&2 || true
    done
    return 1
}

# prometheus_stop [dir]: kills the Prometheus recorded in dir (default $PROM_DIR), waits for it, removes dir.
prometheus_stop() {
    local dir="${1:-${PROM_DIR:-}}" pid
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    if [ -f "$dir/prometheus.pid" ]; then
        pid="$(cat "$dir/prometheus.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            local i
            for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    target="" interval=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --target) target="$2"; shift 2 ;;
            --interval) interval="$2"; shift 2 ;;
            --stop) prometheus_stop "$2"; exit 0 ;;
            -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
            *) echo "unknown argument: $1" >&2; exit 2 ;;
        esac
    done
    if ! prometheus_start "${target:-127.0.0.1:1}" "${interval:-15s}"; then
        prometheus_stop "${PROM_DIR:-}"
        exit 1
    fi
    printf 'PROM_URL=%s\nPROM_PORT=%s\nPROM_PID=%s\nPROM_DIR=%s\n' "$PROM_URL" "$PROM_PORT" "$PROM_PID" "$PROM_DIR"
fi

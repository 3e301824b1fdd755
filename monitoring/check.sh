#!/usr/bin/env bash
# Checks the monitoring artefacts against a real Prometheus (Debian's `prometheus` package):
#   - promtool check config / check rules / test rules (alerts-policy.test.yaml: every alert fires and stays silent)
#   - grafana-dashboard.json: structure (check-monitoring.py dashboard) and in sync with scripts/generate-dashboard.py
#   - a throwaway Prometheus on a free 127.0.0.1 port with an empty TSDB (prometheus-up.sh) loads the rules; every
#     rule has severity/summary/description/runbook_url, every runbook_url anchor exists in RUNBOOK.md, and every
#     PromQL expression of the dashboard, the rules and the runbook parses (/api/v1/query answers "success",
#     Grafana variables substituted: $__rate_interval -> 1m, $instance/$variant -> .*)
# Prints `monitoring: N passed, M failed` and exits non-zero on any failure. Needs prometheus, promtool, python3,
# curl: scripts/monitoring-install.sh installs them.
#
#   monitoring/check.sh            run everything
#   VERBOSE=1 monitoring/check.sh  also print every passing check
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
out="$(mktemp)"
PROM_DIR=""

# shellcheck source=monitoring/prometheus-up.sh
source monitoring/prometheus-up.sh

cleanup() {
    prometheus_stop "$PROM_DIR"
    rm -f "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME COMMAND...: one check, counted by its exit status; output shown on failure.
step() {
    local name="$1"
    shift
    if "$@" >"$out" 2>&1; then
        passed=$((passed + 1))
        echo "ok - $name"
    else
        failed=$((failed + 1))
        echo "not ok - $name"
        sed 's/^/    /' "$out"
    fi
}

# checks NAME COMMAND...: a command printing "ok - ..." / "not ok - ..." lines, each counted.
checks() {
    local name="$1" n_ok n_bad
    shift
    "$@" >"$out" 2>&1 || true
    n_ok=$(grep -c '^ok - ' "$out" || true)
    n_bad=$(grep -c '^not ok - ' "$out" || true)
    if [ "$n_ok" -eq 0 ] && [ "$n_bad" -eq 0 ]; then
        n_bad=1
        echo "not ok - $name produced no results:"
        sed 's/^/    /' "$out"
    fi
    passed=$((passed + n_ok))
    failed=$((failed + n_bad))
    if [ "${VERBOSE:-0}" = 1 ]; then grep '^ok - ' "$out" || true; fi
    grep -v '^ok - ' "$out" | sed 's/^/    /' || true
    if [ "$n_bad" -eq 0 ]; then
        echo "ok - $name ($n_ok checks)"
    else
        echo "not ok - $name ($n_ok passed, $n_bad failed)"
    fi
}

for tool in promtool prometheus python3 curl; do
    command -v "$tool" >/dev/null || { echo "monitoring/check.sh: $tool not found (run scripts/monitoring-install.sh)" >&2; exit 1; }
done
echo "# $(promtool --version 2>&1 | head -n1)"

step "promtool check config monitoring/prometheus.yml" promtool check config monitoring/prometheus.yml
step "promtool check rules monitoring/alerts-policy.yaml" promtool check rules monitoring/alerts-policy.yaml
step "promtool test rules monitoring/alerts-policy.test.yaml" promtool test rules monitoring/alerts-policy.test.yaml
step "grafana-dashboard.json is what scripts/generate-dashboard.py renders" python3 scripts/generate-dashboard.py --check
checks "dashboard structure" python3 monitoring/check-monitoring.py dashboard

if prometheus_start "127.0.0.1:1" "15s" 2>"$out"; then
    passed=$((passed + 1))
    echo "ok - Prometheus ready on $PROM_URL with monitoring/prometheus.yml and the rules (pid $PROM_PID)"
    checks "rules loaded in Prometheus: labels, annotations, runbook anchors, test coverage" \
        python3 monitoring/check-monitoring.py rules --url "$PROM_URL"
    checks "PromQL of dashboard, rules and runbook parses in Prometheus" \
        python3 monitoring/check-monitoring.py exprs --url "$PROM_URL"
else
    failed=$((failed + 1))
    echo "not ok - start Prometheus"
    sed 's/^/    /' "$out"
fi

echo "monitoring: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

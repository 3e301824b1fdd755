#!/usr/bin/env bash
# Bad input, generated: schemathesis (PyPI) reads GET /openapi.yaml from a live server and sends
# generated valid and invalid requests to every operation, admin ones with the admin key.
# Goals (exit 1 when missed): no 5xx, every answer documented (status, content type, JSON schema: every 4xx a
# JSON error envelope). `--checks all` runs in the long form; its extra findings are reported, not gated.
#
# Usage: bench/stress-schemathesis.sh [max-examples=100] [all]
# Needs: schemathesis (pip install schemathesis); a release build unless RIDEEASE_BIN names a binary.
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-100}
mode=${2:-gate}
source bench/stress/lib.sh
command -v schemathesis >/dev/null || stress_fail "schemathesis is not installed (pip install schemathesis)"

bin=$(stress_binary)
work=$(mktemp -d)
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null; rm -rf "$work"' EXIT
cp functions.yaml "$work/"
cd "$work"
stress_seed "$bin" 500 100
export MODEL_ADMIN_API_KEY=stress-schema-key LOG_LEVEL=warning LOG_FORMAT=json
stress_serve "$bin" server.log
base="http://127.0.0.1:$SERVER_PORT"

# The gate: what the issue asks for. not_a_server_error: no 5xx but the documented 503/504; the conformance
# checks: every answer's status, content type and body are the documented ones (4xx: the JSON error envelope).
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
[ "$mode" = all ] && checks=all
echo "== schemathesis $(schemathesis --version | awk '{print $NF}') against $base/openapi.yaml: checks $checks, $examples examples per operation"
run_schemathesis() {
    status=0
    schemathesis run "$base/openapi.yaml" --checks "$checks" -H "x-api-key: $MODEL_ADMIN_API_KEY" \
        --max-examples "$examples" --seed 9 --workers 2 --request-timeout 60 --no-color \
        --suppress-health-check all >schemathesis.txt 2>&1 || status=$?
}
run_schemathesis
# Schemathesis itself now and then crashes under CPython 3.11 while it builds its test code ("SystemError: AST
# constructor recursion depth mismatch"): a crash of the tool with every generated case passed, not a finding about
# the API. Such a run is repeated once, and says so; any failed case still fails the gate.
counts=$(sed -n 's/^ *\([0-9]*\) generated, \([0-9]*\) passed.*/\1 \2/p' schemathesis.txt | tail -1)
if [ "$status" != 0 ] && grep -q "AST constructor recursion depth mismatch" schemathesis.txt \
    && [ -n "$counts" ] && [ "${counts% *}" = "${counts#* }" ]; then
    grep -B2 -A2 "SystemError" schemathesis.txt | head -20
    echo "== schemathesis crashed inside CPython with every case passed ($counts); running it once more"
    run_schemathesis
fi
# A failed run prints everything: the failing and erroring cases (with their curl) come before the summary.
if [ "$status" = 0 ]; then tail -40 schemathesis.txt; else cat schemathesis.txt; fi
if grep -q '"severity":"ERROR"' server.log; then
    echo "== server errors logged:"; grep '"severity":"ERROR"' server.log | head -5
fi
kill -0 "$SERVER_PID" 2>/dev/null || stress_fail "schemathesis: the server died"
stress_stop "$SERVER_PID"
SERVER_PID=""
[ "$status" = 0 ] || stress_fail "schemathesis found failures (exit $status); see above"
echo "schemathesis goals met"

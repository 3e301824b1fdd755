#!/usr/bin/env bash
# The console in a real browser: starts `rideease serve --demo` on a free loopback port with an admin key, sends a
# little traffic (recommendations, conversions, a second model), then headless Chromium (Debian's) signs in, loads
# every console page, presses switch and rollback, runs a shadow through the Shadow form (its table against
# GET /admin/shadow/summary, then ends it), runs an interleaving experiment through the Experiments forms
# (stop the default one, create, start, interleaved traffic) and checks what it renders against the API.
# Screenshots: artifacts/console/*.png. Needs chromium and PyPI websocket-client (scripts/install-test-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=.build/debug/rideease
[ -x "$binary" ] || swift build --product rideease
artifacts=artifacts/console
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

started=$(date +%s)
key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
"$binary" functions --json --manifest functions.yaml >"$work/functions.json"

# The server gets the key from its environment only; it is never on a command line.
: >"$work/server.log"
PIPELINE_GIT_SHA="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    MODEL_ADMIN_API_KEY="$key" RIDEEASE_STORAGE="$work/data" LOG_FORMAT=json RIDEEASE_DEPLOYMENT_POLL_SECONDS=1 \
    "$binary" serve --demo --no-schedule --host 127.0.0.1 --port 0 --manifest functions.yaml >"$work/server.log" 2>&1 &
server=$!

port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's/.*"address":"127\.0\.0\.1:\([0-9]*\)".*"message":"listening".*/\1/p' "$work/server.log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; echo "the emulator exited" >&2; exit 1; }
    sleep 0.5
done
[ -n "$port" ] || { tail -20 "$work/server.log"; echo "the emulator did not start listening" >&2; exit 1; }
base="http://127.0.0.1:$port"
echo "emulator on $base (demo data ready after $(( $(date +%s) - started )) s)"

# Demo traffic: predictions for 300 riders, conversions for some, and a second model version.
python3 - "$base" "$key" <<'PY'
import json, sys, time, urllib.request
base, key = sys.argv[1], sys.argv[2]
def post(path, body, admin=False):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    if admin:
        request.add_header("x-api-key", key)
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read()), response.headers
conversions = []
for rider in range(300):
    answer, headers = post("/recommendations", {"userId": f"rider-{rider:04d}", "limit": 5})
    if rider % 4 == 0 and answer["recommendations"]:
        conversions.append({"type": "conversion", "userId": f"rider-{rider:04d}",
                            "itemId": answer["recommendations"][0]["itemId"], "timestamp": int(time.time()),
                            "requestId": answer["requestId"]})
post("/events", {"events": conversions})
post("/train", {"algorithm": "popularity"}, admin=True)
print(f"traffic: 300 recommendations, {len(conversions)} conversions, a second model")
PY
# Traces and experiment tallies are group-committed (tallies every 10 s); the summary and the timeline read them from
# the store, so wait until the summary counts the riders above instead of guessing a delay.
python3 - "$base" <<'PY'
import json, sys, time, urllib.request
def get(path):
    with urllib.request.urlopen(sys.argv[1] + path, timeout=30) as response:
        return json.loads(response.read())
experiment = get("/healthz")["experimentId"]
deadline = time.monotonic() + 60
while True:
    summary = get(f"/experiments/{experiment}/summary?windowHours=24")
    users = sum(variant["users"] for variant in summary["variants"])
    if users >= 300 or time.monotonic() > deadline:
        print(f"the summary counts {users} riders")
        break
    time.sleep(0.5)
PY

CONSOLE_BASE_URL="$base" CONSOLE_ADMIN_KEY="$key" CONSOLE_ARTIFACTS="$artifacts" \
    CONSOLE_FUNCTIONS_JSON="$work/functions.json" CHROMIUM="$(command -v chromium)" \
    python3 scripts/console-browser-check.py
if grep -q "$key" "$work/server.log"; then
    echo "the admin key appeared in the server log" >&2
    exit 1
fi
echo "console browser check passed in $(( $(date +%s) - started )) s"

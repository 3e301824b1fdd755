#!/usr/bin/env bash
# Cold start: exec -> first 200 answer from POST /recommendations, for `rideease serve` with a 50k-rider iALS model
# (2,000 places, 64 factors) and with a synthetic 1M-rider model, beside the Node.js peer started the same way.
# A poller connects to the port as fast as it can (every 0.5 ms) from the moment the process is spawned; the
# figure is spawn -> first HTTP 200 to a POST /recommendations for a known rider.
#
# Usage: bench/coldstart.sh [PEER_JS] [runs=10]
#   PEER_JS: path of the Node.js peer (node-recommender.js); skipped with a message when not given or absent.
# Needs: a Swift toolchain (release build made here), python3; node for the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
peer=${1:-}
runs=${2:-10}

# Built as the container image builds it (Dockerfile): a statically linked Swift runtime, which needs libcurl's
# development files (apt-get install libcurl4-openssl-dev); without them, the dynamically linked build is measured.
build=(swift build -c release --static-swift-stdlib)
if ! "${build[@]}" --product rideease >/dev/null 2>&1; then
    echo "note: --static-swift-stdlib build failed (libcurl4-openssl-dev missing?); measuring the dynamic build"
    build=(swift build -c release)
    "${build[@]}" --product rideease >/dev/null 2>&1 || "${build[@]}" --product rideease
fi
"${build[@]}" --product ArtifactBench >/dev/null 2>&1 || "${build[@]}" --product ArtifactBench
bin=$("${build[@]}" --show-bin-path)
echo "binary: ${build[*]} ($(du -h "$bin/rideease" | cut -f1))"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/poll.py" <<'PY'
import json, os, signal, socket, subprocess, sys, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def first_answer(port, body, deadline):
    request = (f"POST /recommendations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(request)
                status = s.recv(64).split(b" ", 2)
                if len(status) > 1 and status[1] == b"200":
                    return True
        except OSError:
            pass
        time.sleep(0.0005)
    return False

def measure(label, argv, env_extra, user, runs, cwd):
    body = json.dumps({"userId": user, "limit": 10})
    times = []
    for _ in range(runs):
        port = free_port()
        env = dict(os.environ, PORT=str(port), **env_extra)
        start = time.perf_counter()
        process = subprocess.Popen([a.replace("{port}", str(port)) for a in argv], cwd=cwd, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = first_answer(port, body, start + 60)
        elapsed = (time.perf_counter() - start) * 1000
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill(); process.wait()
        if not ok:
            print(f"| {label} | no answer within 60 s |"); return
        times.append(elapsed)
    times.sort()
    p50 = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    print(f"| {label} | {len(times)} | {p50:.1f} | {times[0]:.1f} | {times[-1]:.1f} |", flush=True)

if __name__ == "__main__":
    label, user, runs, cwd = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    env_extra = dict(kv.split("=", 1) for kv in sys.argv[5].split(",") if kv) if sys.argv[5] else {}
    measure(label, sys.argv[6:], env_extra, user, runs, cwd)
PY

serve_env="MODEL_ADMIN_API_KEY=bench-key,LOG_LEVEL=warning,LOG_FORMAT=json"
serve=("$bin/rideease" serve --no-schedule --no-console --host 127.0.0.1 --port "{port}")

echo "== 50k riders: simulate, train (iALS 64 factors, no tuning)"
cp functions.yaml "$work/"
start=$(date +%s.%N)
(cd "$work" && "$bin/rideease" simulate --riders 50000 --places 2000 --days 7 --seed 11 >/dev/null 2>&1)
mid=$(date +%s.%N)
(cd "$work" && "$bin/rideease" train --no-tune --set factors=64 --set iterations=10 >/dev/null 2>&1)
end=$(date +%s.%N)
printf 'simulate %.1f s, train %.1f s; artifact %s bytes\n' "$(echo "$mid - $start" | bc)" "$(echo "$end - $mid" | bc)" \
    "$(find "$work/.rideease/data/models" -name model.bin -printf '%s\n' | head -1)"
# One unmeasured start: the first instance on an empty store bootstraps the deployment record.
python3 "$work/poll.py" "warm-up" rider-0001 1 "$work" "$serve_env" "${serve[@]}" >/dev/null

echo
echo "| server (exec -> first 200 from POST /recommendations) | runs | p50 ms | min ms | max ms |"
echo "|---|---:|---:|---:|---:|"
python3 "$work/poll.py" "rideease serve, 50k riders x 2,000 places x 64" rider-0001 "$runs" "$work" "$serve_env" \
    "${serve[@]}"
if [ -n "$peer" ] && [ -f "$peer" ] && command -v node >/dev/null; then
    python3 "$work/poll.py" "Node.js peer, 50k x 2,000 x 64 (same factors' sizes)" u1 "$runs" "$work" \
        "USERS=50000,ITEMS=2000,FACTORS=64" node "$(cd "$(dirname "$peer")" && pwd)/$(basename "$peer")"
else
    echo "| Node.js peer | skipped: pass the path of node-recommender.js (and have node on PATH) | | | |"
fi

echo
echo "== 1M riders x 20,000 places x 64 factors (synthetic, registered directly)"
mkdir -p "$work/big"
cp functions.yaml "$work/big/"
"$bin/ArtifactBench" register --storage "$work/big/.rideease/data" --users 1000000 --items 20000 --factors 64
python3 "$work/poll.py" "warm-up" rider-0000001 1 "$work/big" "$serve_env" "${serve[@]}" >/dev/null
echo "| server (exec -> first 200 from POST /recommendations) | runs | p50 ms | min ms | max ms |"
echo "|---|---:|---:|---:|---:|"
python3 "$work/poll.py" "rideease serve, 1M riders x 20,000 places x 64" rider-0000001 "$(( runs < 5 ? runs : 5 ))" \
    "$work/big" "$serve_env" "${serve[@]}"
if [ -n "$peer" ] && [ -f "$peer" ] && command -v node >/dev/null; then
    python3 "$work/poll.py" "Node.js peer, 1M x 20,000 x 64" u1 "$(( runs < 5 ? runs : 5 ))" "$work" \
        "USERS=1000000,ITEMS=20000,FACTORS=64" node "$(cd "$(dirname "$peer")" && pwd)/$(basename "$peer")"
fi

#!/usr/bin/env bash
# Starts the RideEase emulator on a fresh machine: builds if needed, keeps state in ./.rideease/data
# (or $RIDEEASE_STORAGE), seeds demo data (a simulated ride world and a first model) when the store is empty,
# and serves every function of functions.yaml on http://localhost:${PORT:-8080}.
# Extra arguments go to `rideease serve` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "serve.sh: the Swift toolchain (swift 6.x) is not on PATH" >&2
    exit 1
fi
dpkg-query -W -f='${Status}' libcurl4-openssl-dev 2>/dev/null | grep -q "ok installed" \
    || scripts/install-test-deps.sh >/dev/null

swift build --product rideease -q
exec .build/debug/rideease serve --demo "$@"

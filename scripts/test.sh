#!/usr/bin/env bash
# Runs the whole RideEase test suite, installing what the tests need (Debian and PyPI packages) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

log "checking test dependencies"
scripts/install-test-deps.sh

log "checking formatting: swift format lint --strict"
swift format lint --strict --recursive --parallel Package.swift Sources Tests Benchmarks

log "building: Swift 6 language mode, warnings are errors"
swift build --build-tests

log "running the tests (every one: a test whose tool is missing fails here instead of being skipped)"
RIDEEASE_REQUIRE_EXTERNAL_TOOLS=1 swift test --skip-build

log "the web console in headless Chromium: every page against a running emulator (screenshots in artifacts/console/)"
scripts/console-browser-check.sh

log "stress, short form: secret scan, schemathesis, load with hot-swaps, storage faults, kill -9 (scripts/stress-check.sh)"
scripts/stress-check.sh

log "checking monitoring: promtool config, rules and rule tests; the dashboard; every PromQL expression on a real Prometheus"
scripts/monitoring-install.sh
monitoring/check.sh

log "monitoring end to end: the real binary scraped by a real Prometheus"
monitoring/e2e.sh

log "shipping: hadolint, workflow YAML, the image built with buildah and served by podman as a non-root user"
scripts/container-check.sh

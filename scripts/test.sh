#!/usr/bin/env bash
# Runs the whole RideEase test suite, installing what the tests need when it is missing.
# Usage: scripts/test.sh            (CI=true makes every missing tool an error instead of a prompt-free install)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

log "checking tools"
scripts/install-test-deps.sh

log "checking formatting (swift format lint --strict)"
swift format lint --strict --recursive --parallel Package.swift Sources Tests

log "building (Swift 6 language mode, warnings are errors)"
swift build --build-tests 2>&1 | grep -v '^\[' || true
swift build --build-tests -q

log "running tests"
swift test --skip-build --parallel 2>&1 | tee .build/test-output.txt

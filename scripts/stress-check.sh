#!/usr/bin/env bash
# The short form of the reliability and security suite, run by scripts/test.sh: each long form in
# bench/ with small parameters, against the debug binary the tests use. Exits non-zero with a
# "STRESS GOAL MISSED" line when a goal is missed: a secret in the repository, a 5xx or an undocumented answer
# from schemathesis, a non-2xx or a failed switch under load, a trace or acknowledged event lost within the
# buffer bound, a registry or deployment left inconsistent by kill -9.
# The long forms and their figures: bench/RESULTS.md ("Stress").
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { printf '\n--> %s (%ss so far)\n' "$*" "$((SECONDS - started))"; }

step "secret scan: self-test, then every file git tracks"
python3 scripts/secret-scan.py --self-test
python3 scripts/secret-scan.py

swift build --product rideease >/dev/null
export RIDEEASE_BIN
RIDEEASE_BIN="$(swift build --show-bin-path)/rideease"

step "bad input: schemathesis against the live server's /openapi.yaml"
bench/stress-schemathesis.sh 8

step "load: mixed recommendations, traces and events for 15 s, model switched every second"
bench/stress-load.sh 15 16 2000

step "storage faults: S3 on moto, the store unreachable for 8 s of a 20 s load"
python3 bench/stress/storage-faults.py --bin "$RIDEEASE_BIN" --seconds 20 --outage 8 --workers 3

step "crashes: kill -9 during training and switches, 8 times"
python3 bench/stress/crashes.py --bin "$RIDEEASE_BIN" --iterations 8

printf '\nstress check passed in %ss\n' "$((SECONDS - started))"

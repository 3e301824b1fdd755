#!/usr/bin/env bash
# Long form of the A/A simulation: many A/A experiments polled after every batch of traffic; prints the
# share that ever ends in ship/rollback under the always-valid rule and under the naively peeked z-test.
# Builds only the Experiments module and its tests, in release mode, in a scratch package (the full app is not
# needed), so it runs in about two minutes on 2 cores.
#
#   bench/experiments-aa-simulation.sh [experiments] [polls] [users-per-poll] [rate-percent]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
experiments="${1:-5000}" polls="${2:-100}" users="${3:-200}" rate="${4:-10}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/Sources" "$scratch/Tests"
ln -s "$repo/Sources/Experiments" "$scratch/Sources/Experiments"
ln -s "$repo/Tests/ExperimentsTests" "$scratch/Tests/ExperimentsTests"
ln -s "$repo/scripts" "$scratch/scripts"
cat > "$scratch/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "experiments-bench",
    targets: [
        .target(name: "Experiments"),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments"]),
    ]
)
SWIFT
cd "$scratch"
swift build -c release --build-tests >/dev/null
RIDEEASE_AA_EXPERIMENTS="$experiments" RIDEEASE_AA_POLLS="$polls" RIDEEASE_AA_USERS_PER_POLL="$users" \
RIDEEASE_AA_RATE_PERCENT="$rate" \
    swift test -c release --skip-build --filter 'AASimulationTests' 2>&1 | grep -E '^(A/A|A/B)|Test run'

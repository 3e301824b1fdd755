#!/usr/bin/env bash
# Storage benchmark (not a test): PUT/GET/LIST throughput and p50/p99 latency for FileStore and S3Store (moto,
# signature checking on) in the same run.
#   bench/storage-bench.sh [COUNT] [SIZE_BYTES] [CONCURRENCY]
# Needs the StorageBench executable target (Benchmarks/StorageBench/main.swift) and moto[server] (pip).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
size=${2:-4096}
concurrency=${3:-4}
scratch=${STORAGE_BENCH_SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product StorageBench >&2
folder=$(mktemp -d "${TMPDIR:-/tmp}/rideease-bench.XXXXXX")
trap 'rm -rf "$folder"' EXIT
# moto serves until our end of its stdin closes (when this script exits).
coproc MOTO { python3 scripts/s3-moto-server.py; }
read -r endpoint key secret <&"${MOTO[0]}"
echo "# $(date -u +%FT%TZ) $(uname -m), $(nproc) cores, count=$count size=$size concurrency=$concurrency"
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret "$scratch/release/StorageBench" \
    --count "$count" --size "$size" --concurrency "$concurrency" \
    --folder "$folder" --s3 "s3://bench/run?endpoint=$endpoint&region=us-east-1&signing=moto"

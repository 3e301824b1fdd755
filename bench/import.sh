#!/usr/bin/env bash
# Events import benchmark (not a test): rows/s and peak RSS of `rideease events import` on generated ratings logs
# of growing size (numeric ids, 1990s Unix seconds), then a re-import of the largest (every row a duplicate).
#   bench/import.sh [ROWS...]          default: 200000 2000000
# RIDEEASE_BIN=path/to/rideease skips the release build (e.g. .build/debug/rideease, whose parser module is
# optimised in debug builds too). Needs GNU time (/usr/bin/time -v) for the peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(200000 2000000)
if [ -z "${RIDEEASE_BIN:-}" ]; then
    swift build -c release --product rideease >&2
    RIDEEASE_BIN=$(swift build -c release --show-bin-path)/rideease
fi
folder=$(mktemp -d "${TMPDIR:-/tmp}/rideease-import.XXXXXX")
trap 'rm -rf "$folder"' EXIT
echo "# $(date -u +%FT%TZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $RIDEEASE_BIN"
printf '%-10s %-9s %9s %12s %12s  %s\n' rows run wall_s rows_per_s peak_rss_mb stdout
measure() { # rows label file store
    local out
    out=$( { /usr/bin/time -f 'TIME %e %M' "$RIDEEASE_BIN" events import "$3" --storage "file://$4" 2>&1 >"$folder/stdout"; } \
        | grep '^TIME' )
    read -r _ wall kb <<<"$out"
    printf '%-10s %-9s %9.2f %12.0f %12.1f  %s\n' "$1" "$2" "$wall" "$(echo "$1 / $wall" | bc -l)" \
        "$(echo "$kb / 1024" | bc -l)" "$(cat "$folder/stdout")"
}
for rows in "${sizes[@]}"; do
    file="$folder/ratings-$rows.csv"
    awk -v n="$rows" 'BEGIN { print "userId,movieId,rating,timestamp";
        for (i = 0; i < n; i++) printf "%d,%d,%d,%d\n", int(i / 3), (i * 7919) % 20000, 1 + i % 5, 874724710 + i }' \
        >"$file"
    measure "$rows" import "$file" "$folder/store-$rows"
    rm -f "$folder/stdout"
done
last=${sizes[${#sizes[@]}-1]}
measure "$last" re-import "$folder/ratings-$last.csv" "$folder/store-$last"
gzip -k "$folder/ratings-$last.csv"
measure "$last" gzip "$folder/ratings-$last.csv.gz" "$folder/store-gz-$last"

#!/usr/bin/env bash
# Builds the RideEase runtime image without a Docker daemon, with buildah:
#   the release binary (static Swift runtime) + the shared libraries ldd finds for it (glibc, libstdc++, libcurl and
#   its TLS stack) + CA roots, time zones, a non-root user and functions.yaml, on an empty (scratch) root.
# Why not debootstrap a Debian root: no registry is reachable to pull a base image, and a minbase debootstrap takes
# minutes and ~150 MB for files the binary never opens; copying what ldd lists takes seconds and is exact.
#
# Writes artifacts/image-ref, artifacts/image-id and artifacts/image-digest. The digest (sha256:… of the image
# manifest) is what models' lineage records: run the image with CONTAINER_IMAGE_DIGEST=$(cat artifacts/image-digest),
# and pin it in `rideease deploy plan --image …@DIGEST` (after `buildah push --digestfile`, use the registry's digest).
#
# Environment: IMAGE_NAME (default localhost/rideease); RIDEEASE_CONTAINER_ROOT, a private container storage folder
# (vfs driver, for CI and sandboxes); SKIP_SWIFT_BUILD=1 to package the binary already built.
set -euo pipefail
cd "$(dirname "$0")/.."

image_name=${IMAGE_NAME:-localhost/rideease}
git_sha=$(git rev-parse HEAD 2>/dev/null || echo unknown)
image_ref="$image_name:${git_sha:0:12}"
uid=65532

storage_flags=()
if [ -n "${RIDEEASE_CONTAINER_ROOT:-}" ]; then
    storage_flags=(--root "$RIDEEASE_CONTAINER_ROOT/storage" --runroot "$RIDEEASE_CONTAINER_ROOT/run" --storage-driver vfs)
fi
bh() { buildah "${storage_flags[@]}" "$@"; }

for tool in buildah ldd ldconfig curl strip; do
    command -v "$tool" >/dev/null || { echo "package-image.sh: $tool is missing (scripts/install-test-deps.sh installs it)" >&2; exit 1; }
done
[ -s /etc/ssl/certs/ca-certificates.crt ] || { echo "package-image.sh: /etc/ssl/certs/ca-certificates.crt is missing (Debian ca-certificates)" >&2; exit 1; }
[ -d /usr/share/zoneinfo ] || { echo "package-image.sh: /usr/share/zoneinfo is missing (Debian tzdata)" >&2; exit 1; }

started=$(date +%s)
if [ "${SKIP_SWIFT_BUILD:-0}" != 1 ]; then
    echo "package-image.sh: swift build -c release --static-swift-stdlib --product rideease"
    swift build -c release --static-swift-stdlib --product rideease
fi
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/rideease"
[ -x "$binary" ] || { echo "package-image.sh: no release binary at $binary" >&2; exit 1; }
built=$(date +%s)

rootfs=$(mktemp -d)
container=""
cleanup() {
    rm -rf "$rootfs"
    if [ -n "$container" ]; then bh rm "$container" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# Stripped: symbols are most of the release binary's size and nothing reads them at run time.
install -D -s -m 0755 "$binary" "$rootfs/usr/local/bin/rideease"
# curl answers the HEALTHCHECK and the container check from inside; it needs no library the binary does not.
install -D -m 0755 "$(command -v curl)" "$rootfs/usr/bin/curl"
# Every shared library either program loads, at the path the loader resolved, plus the loader itself.
{ ldd "$binary"; ldd "$(command -v curl)"; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
    | sort -u | while read -r library; do
        install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
    done
if { ldd "$binary"; ldd "$(command -v curl)"; } | grep -q 'not found'; then
    echo "package-image.sh: a shared library is missing on this machine:" >&2
    ldd "$binary" | grep 'not found' >&2
    exit 1
fi
mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/share" "$rootfs/app" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
cp -a /usr/share/zoneinfo "$rootfs/usr/share/"
cp functions.yaml "$rootfs/app/functions.yaml"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nrideease:x:%s:%s:rideease:/nonexistent:/usr/sbin/nologin\n' \
    "$uid" "$uid" >"$rootfs/etc/passwd"
printf 'root:x:0:\nrideease:x:%s:\n' "$uid" >"$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
printf '/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n/lib\n/usr/lib\n' >"$rootfs/etc/ld.so.conf"
ldconfig -r "$rootfs"
mkdir -p "$rootfs/var/lib/rideease/data"

container=$(bh from scratch)
bh copy "$container" "$rootfs/" / >/dev/null
bh copy --chown "$uid:$uid" "$container" "$rootfs/var/lib/rideease/" /var/lib/rideease/ >/dev/null
bh config \
    --user "$uid:$uid" \
    --workingdir /app \
    --port 8080 \
    --env PORT=8080 \
    --env RIDEEASE_STORAGE=/var/lib/rideease/data \
    --env LOG_FORMAT=json \
    --env PIPELINE_GIT_SHA="$git_sha" \
    --entrypoint '["/usr/local/bin/rideease"]' \
    --cmd '["serve", "--no-schedule"]' \
    --label org.opencontainers.image.title=rideease \
    --label org.opencontainers.image.revision="$git_sha" \
    --label org.opencontainers.image.created="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$container"
mkdir -p artifacts
bh commit --quiet --format oci --iidfile artifacts/image-id "$container" "$image_ref" >/dev/null
bh rm "$container" >/dev/null
container=""

digest=$(bh images --digests --format '{{.Digest}}' "$image_ref" | head -n 1)
case "$digest" in
    sha256:*) ;;
    *) echo "package-image.sh: buildah reported no digest for $image_ref (got \"$digest\")" >&2; exit 1 ;;
esac
printf '%s\n' "$image_ref" >artifacts/image-ref
printf '%s\n' "$digest" >artifacts/image-digest
size=$(bh images --format '{{.Size}}' "$image_ref" | head -n 1)
echo "package-image.sh: $image_ref  digest $digest  size $size  (swift build $((built - started))s, image $(($(date +%s) - built))s)"

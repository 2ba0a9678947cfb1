#!/usr/bin/env bash
# Runs every test newsflow has, installing what they need on a fresh machine:
#   - Tansu 0.6.0, the Kafka-compatible broker the broker tests start
#     (cargo install, ~15-20 minutes the first time, skipped when present);
#   - Prometheus and promtool (Debian package) for the observability checks;
#   - cargo-fuzz (cargo install, nightly toolchain) for the fuzz targets.
# Then: cargo test (unit, integration against Tansu and the in-process mock
# broker), the promtool checks of deploy/prometheus, and a bounded fuzzing
# run of every fuzz target (scripts/fuzz.sh: about 60 s each, ~6 minutes
# with the build; NEWSFLOW_FUZZ_SECS changes the time per target, 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v tansu >/dev/null 2>&1; then
  echo "== installing tansu 0.6.0 (once per machine)"
  cargo install tansu --version 0.6.0 --features dynostore --locked
fi
if ! command -v promtool >/dev/null 2>&1; then
  echo "== installing prometheus (Debian package)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q prometheus >/dev/null \
    || { $SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q prometheus >/dev/null; }
fi
# Debian starts the prometheus service on install; the tests run their own.
(command -v systemctl >/dev/null && systemctl stop prometheus 2>/dev/null) || true

export NEWSFLOW_REQUIRE_TANSU=1
export NEWSFLOW_REQUIRE_PROMETHEUS=1
# Two cores: run test binaries' tests two at a time (each starts brokers and
# newsflow processes).
echo "== cargo test"
cargo test -- --test-threads=2
echo "== benches compile"
cargo check --benches --examples --quiet
if [ -x scripts/check-prometheus.sh ]; then
  echo "== promtool checks"
  scripts/check-prometheus.sh
fi
FUZZ_SECS="${NEWSFLOW_FUZZ_SECS:-60}"
if [ "$FUZZ_SECS" != 0 ]; then
  echo "== fuzzing (${FUZZ_SECS}s per target)"
  scripts/fuzz.sh "$FUZZ_SECS"
fi
echo "== all tests passed"

#!/usr/bin/env bash
# Runs every test newsflow has, installing what they need on a fresh machine:
#   - Apache Kafka 4.1 (broker and tools), resolved from Maven Central into
#     ~/.m2 by scripts/kafka.sh install (Java 17 and Maven; a minute the
#     first time, skipped when present); each broker test starts its own
#     single-node broker with it;
#   - Prometheus and promtool (Debian package) for the observability checks;
#   - cargo-fuzz (cargo install, nightly toolchain) for the fuzz targets.
# Then: cargo test (unit, integration against Apache Kafka and the in-process
# mock broker), the promtool checks of deploy/prometheus, and a bounded
# fuzzing run of every fuzz target (scripts/fuzz.sh: about 60 s each, ~6
# minutes with the build; NEWSFLOW_FUZZ_SECS changes the time per target,
# 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_install() {
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@" >/dev/null \
    || { $SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@" >/dev/null; }
}
if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  echo "== installing Java 17 and Maven (Debian packages)"
  apt_install openjdk-17-jre-headless maven
fi
echo "== Apache Kafka for the tests (scripts/kafka.sh install)"
scripts/kafka.sh install
if ! command -v promtool >/dev/null 2>&1; then
  echo "== installing prometheus (Debian package)"
  apt_install prometheus
fi
# Debian starts the prometheus service on install; the tests run their own.
(command -v systemctl >/dev/null && systemctl stop prometheus 2>/dev/null) || true

export NEWSFLOW_REQUIRE_KAFKA=1
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

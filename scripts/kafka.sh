#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, broker and controller in one
# process, 127.0.0.1 only) for the broker tests and for trying newsflow
# against a real Kafka by hand. The jars come from Maven Central through
# scripts/kafka/pom.xml and are cached in ~/.m2; the resolved classpath is
# cached under target/kafka/.
#
#   scripts/kafka.sh install                 resolve the jars (mvn; once per machine)
#   scripts/kafka.sh classpath               print the classpath (resolving if needed)
#   scripts/kafka.sh check                   exit 0 if a broker can start without
#                                            resolving anything, else say what is missing
#   scripts/kafka.sh start DIR PORT [CPORT] [--owner PID] [--keep]
#                                            format DIR, start a broker on PORT
#                                            (controller on CPORT, default PORT+1),
#                                            wait until it serves, print its address;
#                                            with --owner, the broker stops when
#                                            process PID exits; with --keep, the
#                                            storage already in DIR is kept (a
#                                            restart of a stopped broker)
#   scripts/kafka.sh stop DIR [--kill]       stop the broker started in DIR
#                                            (--kill: at once, no controlled shutdown)
#   scripts/kafka.sh console-consumer ARGS   Kafka's console consumer
#   scripts/kafka.sh consumer-groups ARGS    Kafka's kafka-consumer-groups
#   scripts/kafka.sh java CLASS ARGS         any other Kafka class
#
# The broker is configured for tests: replication factor 1 for the internal
# topics (offsets, transaction state, share groups), few internal partitions,
# no initial rebalance delay, no topic auto-creation (as on most production
# clusters), a small heap. Transactions work on it.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
POM="$HERE/kafka/pom.xml"
LOG4J="$HERE/kafka/log4j2.properties"
CACHE="$ROOT/target/kafka"
# Start-up is most of a test broker's life: a small heap, the serial
# collector and the client compiler keep it short and light on 2 cores.
JAVA_OPTS=(${KAFKA_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto})

die() { echo "kafka.sh: $*" >&2; exit 1; }

# The cached classpath, if every jar on it is still in ~/.m2.
cached_classpath() {
  local key file
  key="$(sha256sum "$POM" | cut -c1-16)"
  file="$CACHE/classpath-$key"
  [ -s "$file" ] || return 1
  local cp; cp="$(cat "$file")"
  local IFS=:
  for jar in $cp; do [ -f "$jar" ] || return 1; done
  echo "$file"
}

install() {
  need_java
  command -v mvn >/dev/null || die "mvn (Maven) is not installed"
  cached_classpath >/dev/null && return 0
  mkdir -p "$CACHE"
  local key; key="$(sha256sum "$POM" | cut -c1-16)"
  echo "kafka.sh: resolving Apache Kafka from Maven Central into ~/.m2" >&2
  mvn -q -B -Dstyle.color=never -f "$POM" dependency:build-classpath \
    -Dmdep.outputFile="$CACHE/classpath-$key.tmp" >&2 \
    || die "mvn could not resolve $POM"
  mv "$CACHE/classpath-$key.tmp" "$CACHE/classpath-$key"
}

classpath() {
  local file
  file="$(cached_classpath)" || { install; file="$(cached_classpath)"; }
  cat "$file"
}

run_java() {
  local class="$1"; shift
  local cp; cp="$(classpath)"
  exec java "${JAVA_OPTS[@]}" -Dlog4j2.configurationFile="$LOG4J" -cp "$cp" "$class" "$@"
}

# Formatted KRaft storage for a single node with node.id=1, made once per
# Kafka version and copied for each broker: formatting starts a JVM of its
# own, a third of a broker's start-up. Each broker is a cluster of its own,
# so sharing the cluster and directory ids between them is harmless.
formatted_template() {
  local cp="$1" key; key="$(sha256sum "$POM" | cut -c1-16)"
  local tpl="$CACHE/storage-$key"
  if [ ! -f "$tpl/meta.properties" ]; then
    local tmp; tmp="$(mktemp -d "$CACHE/storage.XXXXXX")"
    printf '%s\n' process.roles=broker,controller node.id=1 \
      controller.quorum.voters=1@127.0.0.1:9093 controller.listener.names=CONTROLLER \
      listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093 \
      "log.dirs=$tmp/data" > "$tmp/server.properties"
    java "${JAVA_OPTS[@]}" -Dlog4j2.configurationFile="$LOG4J" -cp "$cp" kafka.tools.StorageTool \
      format --cluster-id "$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" \
      --config "$tmp/server.properties" > "$tmp/format.log" 2>&1 \
      || { cat "$tmp/format.log" >&2; die "formatting Kafka storage failed"; }
    # Another broker starting at the same time may have made it first.
    mv -T "$tmp/data" "$tpl" 2>/dev/null || true
    rm -rf "$tmp"
  fi
  echo "$tpl"
}

start() {
  local dir="" port="" cport="" owner="" keep=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --owner) owner="$2"; shift 2 ;;
      --keep) keep=1; shift ;;
      *) if [ -z "$dir" ]; then dir="$1"; elif [ -z "$port" ]; then port="$1"; else cport="$1"; fi; shift ;;
    esac
  done
  [ -n "$dir" ] && [ -n "$port" ] || die "usage: kafka.sh start DIR PORT [CPORT] [--owner PID]"
  cport="${cport:-$((port + 1))}"
  local cp; cp="$(classpath)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ ! -e "$dir/kafka.pid" ] || ! kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null \
    || die "a broker already runs in $dir (pid $(cat "$dir/kafka.pid"))"
  cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  if [ -z "$keep" ] || [ ! -d "$dir/data" ]; then
    rm -rf "$dir/data"
    cp -r "$(formatted_template "$cp")" "$dir/data"
  fi
  : > "$dir/kafka.log"
  java "${JAVA_OPTS[@]}" -Dlog4j2.configurationFile="$LOG4J" -cp "$cp" \
    kafka.Kafka "$dir/server.properties" >> "$dir/kafka.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$dir/kafka.pid"
  if [ -n "$owner" ]; then
    # Stops the broker once the owner is gone, however it ended.
    bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null' \
      _ "$owner" "$pid" > /dev/null 2>&1 < /dev/null &
  fi
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  until grep -q "Kafka Server started" "$dir/kafka.log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$dir/kafka.log" >&2; die "the broker in $dir exited during start-up"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 40 "$dir/kafka.log" >&2; stop "$dir"; die "the broker in $dir did not start in time"
    fi
    sleep 0.1
  done
  echo "127.0.0.1:$port"
}

stop() {
  local dir="${1:?usage: kafka.sh stop DIR [--kill]}" now="${2:-}"
  [ -f "$dir/kafka.pid" ] || return 0
  local pid; pid="$(cat "$dir/kafka.pid")"
  # Only a Kafka broker is signalled, never a process that reused the pid.
  if grep -q kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null; then
    if [ "$now" != --kill ]; then
      kill -TERM "$pid" 2>/dev/null || true
      local i
      for i in $(seq 1 "${KAFKA_STOP_TIMEOUT:-100}"); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -f "$dir/kafka.pid"
}

# Kafka 4 brokers need Java 17 or later.
need_java() {
  command -v java >/dev/null || die "java (17 or later) is not installed"
  local v; v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "java ${v:-of unknown version} is too old: Kafka 4 needs 17 or later"
}

check() {
  need_java
  cached_classpath >/dev/null || die "the Kafka jars are not resolved yet: run scripts/kafka.sh install"
}

cmd="${1:-}"; [ $# -gt 0 ] && shift
case "$cmd" in
  install) install ;;
  classpath) classpath ;;
  check) check ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  console-consumer) run_java org.apache.kafka.tools.consumer.ConsoleConsumer "$@" ;;
  consumer-groups) run_java org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@" ;;
  java) run_java "$@" ;;
  *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

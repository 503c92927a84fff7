#!/usr/bin/env bash
# Local Apache Kafka for development, tests and CI: one combined broker + controller in KRaft mode at
# 127.0.0.1:9092 (controller 127.0.0.1:9093), resolved from Maven Central instead of a download site,
# because Maven Central is the only source of Java packages that every machine of this project reaches.
#
#   scripts/kafka.sh install   resolve the Kafka jars into .cache/kafka/<version>/libs (once)
#   scripts/kafka.sh start     install if needed, format storage (once), start in the background, wait, create topics
#   scripts/kafka.sh stop      stop the broker this script started (SIGTERM, then SIGKILL after a grace period)
#   scripts/kafka.sh status    exit 0 when a broker answers at 127.0.0.1:9092
#   scripts/kafka.sh topics    create the topics of libs/contracts/src/topics.ts that are missing, and give the input
#                              topics and their DLQs their max.message.bytes (scripts/kafka/topics.js)
#
# Every command is idempotent. If some other Kafka already answers at 127.0.0.1:9092, start uses it as it is.
#
# Version: Kafka 4.1.2 (KAFKA_VERSION overrides). kafkajs 2.2.4 works against it: produce, consume in a group,
# admin createTopics/describeCluster, idempotent and transactional producers were checked by hand, and
# test/platform/kafka-smoke.spec.ts checks every contract topic on each test run. Kafka 4 dropped only protocol
# versions older than the ones kafkajs negotiates, so no fallback to 3.9 was needed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${KAFKA_VERSION:-4.1.2}
heap=${KAFKA_HEAP:-512m}
host=127.0.0.1
port=9092
controller_port=9093
start_timeout_s=${KAFKA_START_TIMEOUT_S:-90}
stop_timeout_s=${KAFKA_STOP_TIMEOUT_S:-30}

libs="$root/.cache/kafka/$version/libs"
run_dir="$root/.run/kafka"
data_dir="$run_dir/data"
pid_file="$run_dir/kafka.pid"
log_file="$run_dir/server.log"
props="$run_dir/server.properties"

say() { printf 'kafka: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

answers() { timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; }

our_pid() {
  # The pid of the broker this script started, if it is still that process (pids get reused).
  [[ -f $pid_file ]] || return 1
  local pid
  pid=$(<"$pid_file")
  [[ -n $pid && -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  printf '%s' "$pid"
}

tool() {
  java -Xmx256m -Dlog4j2.configurationFile="$root/scripts/kafka/tools-log4j2.properties" -cp "$libs/*" "$@"
}

install() {
  if [[ -f $libs/.complete ]]; then return 0; fi
  command -v java >/dev/null || die "java is missing (apt-get install -y openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "mvn is missing (apt-get install -y maven)"
  say "resolving Apache Kafka $version from Maven Central into ${libs#"$root"/}"
  local staging="$libs.partial"
  rm -rf "$staging"
  mkdir -p "$(dirname "$libs")"
  local mvn_log="$(dirname "$libs")/maven.log"
  if ! mvn -B --no-transfer-progress -f "$root/scripts/kafka/pom.xml" package \
    -Dkafka.version="$version" -Dkafka.libs="$staging" >"$mvn_log" 2>&1; then
    tail -n 40 "$mvn_log" >&2
    die "Maven could not resolve Kafka $version (full log: ${mvn_log#"$root"/})"
  fi
  [[ -f $staging/kafka_2.13-$version.jar ]] || die "kafka_2.13-$version.jar was not resolved"
  rm -rf "$libs"
  mv "$staging" "$libs"
  touch "$libs/.complete"
}

write_properties() {
  mkdir -p "$data_dir"
  cat >"$props" <<EOF
# Written by scripts/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
advertised.listeners=PLAINTEXT://$host:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.bootstrap.servers=$host:$controller_port
log.dirs=$data_dir
# Topics exist only when created explicitly with their contract partition counts (scripts/kafka.sh topics).
auto.create.topics.enable=false
num.partitions=1
# A single node: every internal topic has one replica, and consumers join a group without the 3 s wait.
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
EOF
}

format_storage() {
  [[ -f $data_dir/meta.properties ]] && return 0
  local cluster_id
  cluster_id=$(tool kafka.tools.StorageTool random-uuid)
  say "formatting $data_dir (cluster $cluster_id)"
  tool kafka.tools.StorageTool format --standalone --ignore-formatted -t "$cluster_id" -c "$props" >&2
}

start() {
  if answers; then
    if our_pid >/dev/null; then say "already running (pid $(our_pid))"; else say "a broker already answers at $host:$port; using it"; fi
    topics
    return 0
  fi
  install
  write_properties
  format_storage
  [[ -f $log_file ]] && mv -f "$log_file" "$log_file.1"
  say "starting Kafka $version at $host:$port (log: ${log_file#"$root"/})"
  # setsid: the broker must outlive the shell that started it and must not get that shell's Ctrl-C.
  setsid java -Xms128m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$props" </dev/null >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  local pid=$! deadline=$((SECONDS + start_timeout_s))
  until grep -q 'Kafka Server started' "$log_file" 2>/dev/null && answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log_file" >&2 || true
      rm -f "$pid_file"
      die "the broker exited during start-up (log above)"
    fi
    ((SECONDS < deadline)) || die "the broker did not answer within ${start_timeout_s}s (see ${log_file#"$root"/})"
    sleep 0.5
  done
  say "started (pid $pid)"
  topics
}

stop() {
  local pid
  if ! pid=$(our_pid); then
    rm -f "$pid_file"
    if answers; then say "a broker answers at $host:$port but was not started by this script; leaving it"; else say "not running"; fi
    return 0
  fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "still running after ${stop_timeout_s}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  rm -f "$pid_file"
  say "stopped"
}

status() {
  if answers; then
    local pid
    if pid=$(our_pid); then echo "running (pid $pid) at $host:$port"; else echo "a broker answers at $host:$port (not started by this script)"; fi
    return 0
  fi
  echo "not running"
  return 3
}

topics() {
  answers || die "no broker at $host:$port (scripts/kafka.sh start)"
  install
  local wanted existing name partitions bytes current current_bytes config
  wanted=$(node "$root/scripts/kafka/topics.js") || die "could not read libs/contracts/src/topics.ts"
  # One describe call for all topics: each JVM start costs about a second. Lines are tab-separated fields
  # (Topic: NAME, PartitionCount: N, Configs: k=v,k=v); keep "NAME N max.message.bytes" ("-" when not set).
  existing=$(tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$host:$port" --describe --exclude-internal |
    awk -F'\t' '/^Topic: .*PartitionCount: / {
      name = ""; count = ""; bytes = "-"
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^Topic: /) name = substr($i, 8)
        else if ($i ~ /^PartitionCount: /) count = substr($i, 17)
        else if ($i ~ /^Configs: /) {
          n = split(substr($i, 10), kv, ",")
          for (j = 1; j <= n; j++) if (kv[j] ~ /^max\.message\.bytes=/) bytes = substr(kv[j], 19)
        }
      }
      print name, count, bytes
    }')
  while read -r name partitions bytes; do
    # read fails at end of input when the topic does not exist yet: that is the "create" case below.
    read -r current current_bytes < <(awk -v n="$name" '$1 == n { print $2, $3 }' <<<"$existing") || current=""
    config=()
    [[ $bytes != - ]] && config=(--config "max.message.bytes=$bytes")
    if [[ -z $current ]]; then
      tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$host:$port" --create --if-not-exists \
        --topic "$name" --partitions "$partitions" --replication-factor 1 "${config[@]}" >/dev/null
      say "created $name ($partitions partitions${config:+, max.message.bytes=$bytes})"
      continue
    fi
    if ((current < partitions)); then
      tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$host:$port" --alter \
        --topic "$name" --partitions "$partitions" >/dev/null
      say "raised $name from $current to $partitions partitions"
    elif ((current > partitions)); then
      # Kafka cannot remove partitions; say so instead of failing every later run.
      say "warning: $name has $current partitions, the contract says $partitions (delete .run/kafka to start afresh)"
    fi
    # A topic created before its size limit was set (or by hand) gets it now; one already right is left alone.
    if [[ $bytes != - && $current_bytes != "$bytes" ]]; then
      tool kafka.admin.ConfigCommand --bootstrap-server "$host:$port" --entity-type topics --entity-name "$name" \
        --alter --add-config "max.message.bytes=$bytes" >/dev/null
      say "set max.message.bytes=$bytes on $name (was ${current_bytes/#-/the broker default})"
    fi
  done <<<"$wanted"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  topics) topics ;;
  *) echo "usage: scripts/kafka.sh {install|start|stop|status|topics}" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The run command (`npm start`): the whole system on this machine, fed with a sample feed.
# Builds, starts PostgreSQL and Kafka (with the contract topics), migrates database `ledger`, starts the ledger,
# the relay and the API from dist/ in the background (logs in .run/logs/), publishes 20,000 generated events,
# prints where to look, and stays in the foreground until Ctrl-C or SIGTERM; then it stops what it started
# (Kafka only if it was not already running). Running it again needs no clean-up.
#
#   scripts/run.sh           keeps what the local broker and database already hold
#   scripts/run.sh --fresh   starts from empty topics and an empty ledger database (the test suite publishes its
#                            own events to the same local topics, and a ledger consumes whatever its topics hold)
set -euo pipefail

fresh=false
case "${1:-}" in
  "") ;;
  --fresh) fresh=true ;;
  *) echo "usage: scripts/run.sh [--fresh]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
logs=.run/logs
pids_dir=.run/apps
mkdir -p "$logs" "$pids_dir"

say() { printf 'run: %s\n' "$*" >&2; }
cli() { node dist/apps/cli/src/main.js "$@"; }

# Ports as libs/config reads them (same keys, same defaults).
api_port=${API_PORT:-3000}
ledger_port=${LEDGER_HTTP_PORT:-3001}
relay_port=${RELAY_HTTP_PORT:-3002}
stop_timeout_s=30
ready_timeout_s=60

apps=(ledger relay api)
declare -A port_of=([ledger]=$ledger_port [relay]=$relay_port [api]=$api_port)
# Node.js flags per app; the ledger's are LEDGER_NODE_FLAGS in libs/config/src/node-flags.ts (a spec checks).
declare -A node_flags=([ledger]="--max-semi-space-size=32 --single-threaded-gc" [relay]="" [api]="")
started=()
kafka_started=false

app_pid() {
  # The pid of an app this script started (now or in an earlier run), if it is still that process.
  local file="$pids_dir/$1.pid" pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ -n $pid && -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "dist/apps/$1/src/main.js" || return 1
  printf '%s' "$pid"
}

stop_app() {
  local name=$1 pid
  pid=$(app_pid "$name") || { rm -f "$pids_dir/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "$name did not stop within ${stop_timeout_s}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pids_dir/$name.pid"
  say "stopped $name"
}

cleanup() {
  trap - EXIT INT TERM
  say "stopping"
  # The API and the relay first, the ledger last: it finishes the batch in hand and commits its offsets.
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do stop_app "${started[i]}"; done
  if [[ $kafka_started == true ]]; then bash scripts/kafka.sh stop || true; fi
}

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/build.sh

bash scripts/pg.sh start
if [[ $fresh == true ]]; then
  say "--fresh: emptying the local Kafka data and the ledger database"
  bash scripts/kafka.sh stop
  if bash scripts/kafka.sh status >/dev/null; then
    say "a Kafka this script did not start answers at 127.0.0.1:9092; stop it first"
    exit 1
  fi
  rm -rf .run/kafka
  bash scripts/pg.sh drop ledger
fi
bash scripts/kafka.sh status >/dev/null || kafka_started=true
bash scripts/kafka.sh start

# A Kafka principal's credentials as KEY=VALUE words for env(1) when the broker authenticates, as scripts/kafka.sh
# starts it by default; nothing otherwise. The API uses no Kafka. (The generated passwords have no spaces.)
principal_env() {
  local creds=""
  [[ $1 == api ]] || creds=$(bash scripts/kafka.sh credentials "$1")
  [[ -z $creds ]] || grep -E '^KAFKA_[A-Z_]+=' "$creds"
}
as_principal() {
  local name=$1
  shift
  # shellcheck disable=SC2046 # one word per KEY=VALUE line
  env $(principal_env "$name") "$@"
}
bash scripts/pg.sh create ledger
say "migrating database ledger"
# Each app connects as its own least-privilege role (scripts/pg.sh made them): the migrations and the API-key
# bookkeeping run as the owner, the ledger writes as ledger_writer, the relay and the API as theirs.
owner_url=$(bash scripts/pg.sh url ledger ledger_owner)
declare -A database_url_of=(
  [ledger]=$(bash scripts/pg.sh url ledger ledger_writer)
  [relay]=$(bash scripts/pg.sh url ledger ledger_relay)
  [api]=$(bash scripts/pg.sh url ledger ledger_reader)
)
DATABASE_URL=$owner_url cli migrate
# A regulator key for the demo (idempotent; only its sha256 is stored). Create real keys the same way.
DATABASE_URL=$owner_url node dist/apps/api/src/create-api-key.js --role regulator --key demo-regulator-key --label demo >/dev/null
# The ledger's checkpoint key for the demo (made once); regulators verify proofs with its public half.
mkdir -p .run/keys
cli checkpoint-key --out .run/keys/ledger-checkpoint.pem >/dev/null
export LEDGER_CHECKPOINT_KEY_FILE=$root/.run/keys/ledger-checkpoint.pem
# The API serves the public half to the dashboard, which checks entries' proofs in the browser with it.
export API_LEDGER_PUBLIC_KEY_FILE=$root/.run/keys/ledger-checkpoint.pub

# Signed events (docs/signatures.md): the sample feed, and a signing key for each of its publishers, registered by
# the regulator, whose key the ledger and the API trust. Signatures are required.
say "generating a sample feed (20000 events, seed 1) and its publishers' signing keys (.run/keys/)"
cli generate --events 20000 --seed 1 >.run/sample.ndjson
bash scripts/demo-keys.sh .run/sample.ndjson
export SIGNATURES=required TRUSTED_KEYS_FILE=$root/.run/keys/trusted-keys.json

for name in "${apps[@]}"; do
  entry="dist/apps/$name/src/main.js"
  if [[ ! -f $entry ]]; then
    say "note: $entry does not exist yet; not starting $name"
    continue
  fi
  if pid=$(app_pid "$name"); then
    say "$name is still running from an earlier run (pid $pid); restarting it"
    stop_app "$name"
  fi
  [[ -f $logs/$name.log ]] && mv -f "$logs/$name.log" "$logs/$name.log.1"
  # The app's Kafka login, read before the fork: the start-up check below looks for the app's command line at once.
  principal=$(principal_env "$name")
  # setsid: Ctrl-C reaches this script only, which then stops each app with SIGTERM, in order.
  # shellcheck disable=SC2086 # the flags are words, and so is one KEY=VALUE line of the login
  DATABASE_URL=${database_url_of[$name]} setsid env $principal node ${node_flags[$name]} "$entry" </dev/null >"$logs/$name.log" 2>&1 &
  echo $! >"$pids_dir/$name.pid"
  started+=("$name")
  say "started $name (pid $!, log $logs/$name.log)"
done

# Wait until each started app answers HTTP (any status: readiness detail is on /health/ready).
for name in "${started[@]}"; do
  port=${port_of[$name]}
  deadline=$((SECONDS + ready_timeout_s))
  until curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; do
    if ! app_pid "$name" >/dev/null; then
      tail -n 20 "$logs/$name.log" >&2 || true
      say "$name exited during start-up (log above)"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      say "$name did not answer on port $port within ${ready_timeout_s}s (see $logs/$name.log)"
      exit 1
    fi
    sleep 0.5
  done
done

# The keys first, and recorded before anything they sign is sent: the ledger reads its topics side by side.
say "publishing the regulator's signed key registrations, then the sample feed, signed"
as_principal regulator node dist/apps/cli/src/main.js publish .run/keys/registrations.ndjson >/dev/null
keys_expected=$(grep -c . .run/keys/registrations.ndjson || true)
deadline=$((SECONDS + ready_timeout_s))
until (($(psql "$(bash scripts/pg.sh url ledger)" -XtAc "SELECT count(*) FROM publisher_keys") >= keys_expected)); do
  if ((SECONDS >= deadline)); then
    say "the ledger did not record the key registrations within ${ready_timeout_s}s (see $logs/ledger.log)"
    exit 1
  fi
  sleep 0.5
done
# Each topic's part as a principal allowed to write it (the broker's ACLs): policy as the regulator, shipments as a
# chipmaker, deployments as a cloud provider. The ledger checks each event's signature, whoever sent it.
node -e '
  const fs = require("fs");
  const { topicOfType } = require("./dist/libs/contracts/src/routing.js");
  const parts = { policy: [], shipments: [], deployments: [] };
  for (const line of fs.readFileSync(".run/sample.ndjson", "utf8").split("\n")) {
    if (line.trim() === "") continue;
    let topic = null;
    try { topic = topicOfType(JSON.parse(line).type); } catch {}
    parts[topic === "policy.changes.v1" ? "policy" : topic === "dc.deployments.v1" ? "deployments" : "shipments"].push(line);
  }
  for (const [name, lines] of Object.entries(parts)) fs.writeFileSync(`.run/sample-${name}.ndjson`, lines.join("\n") + "\n");'
for part in regulator:policy nvidia:shipments aws:deployments; do
  as_principal "${part%%:*}" node dist/apps/cli/src/main.js publish ".run/sample-${part#*:}.ndjson" --keys .run/keys/signers >/dev/null
done

cat <<EOF

  The ledger is running.
    API             http://127.0.0.1:$api_port      (header x-api-key: demo-regulator-key)
    dashboard       http://127.0.0.1:$api_port/?key=demo-regulator-key
    API docs        http://127.0.0.1:$api_port/docs
    health          http://127.0.0.1:$api_port/health/ready   (ledger :$ledger_port, relay :$relay_port)
    metrics         http://127.0.0.1:$api_port/metrics (api, x-api-key: demo-regulator-key)   http://127.0.0.1:$ledger_port/metrics (ledger)   http://127.0.0.1:$relay_port/metrics (relay)
    alerts          npm run -s ledger -- tail-alerts      (follows compliance.alerts.v1)
    logs            $logs/{ledger,relay,api}.log   Kafka: .run/kafka/server.log
    sample feed     .run/sample.ndjson (publish more: npm run -s ledger -- publish FILE --keys .run/keys/signers)
    Kafka logins    .run/kafka/credentials/NAME.env, one per principal (SASL SCRAM-SHA-512; each may write only its
                    topics): set -a; . .run/kafka/credentials/nvidia.env; set +a; npm run -s ledger -- publish ...
    signing keys    .run/keys/ (signers/*.key.json; the regulator's trust anchor: trusted-keys.json; docs/signatures.md)
    audit           npm run -s ledger -- verify --ledger-key .run/keys/ledger-checkpoint.pub
                                                   (hash chain, balances, Merkle tree, signed checkpoints)
    proofs          http://127.0.0.1:$api_port/checkpoints/latest, /proof/entries/1/inclusion; check one offline with
                    npm run -s ledger -- verify-proof PROOF.json --ledger-key .run/keys/ledger-checkpoint.pub
                    npm run -s ledger -- rejudge   (every recorded event judged again, compared with the ledger)

  Running this command again republishes the same sample: the ledger counts those events as duplicates and
  changes nothing (idempotency by publisher and eventId).
  Ctrl-C stops everything this command started.

EOF

# Stay in the foreground; say once if an app stops by itself.
declare -A reported=()
while true; do
  for name in "${started[@]}"; do
    if [[ -z ${reported[$name]:-} ]] && ! app_pid "$name" >/dev/null; then
      say "$name has stopped; last lines of $logs/$name.log:"
      tail -n 10 "$logs/$name.log" >&2 || true
      reported[$name]=1
    fi
  done
  sleep 2 &
  wait $! || true
done

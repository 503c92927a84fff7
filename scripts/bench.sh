#!/usr/bin/env bash
# The benchmark commands (`npm run bench`, `bench:api`, `bench:writer`, `bench:replay`, `bench:transport`). Like
# the test command: builds, starts what the benchmark needs (PostgreSQL; Kafka with the contract topics for the
# end-to-end one), runs it with the remaining arguments, and stops Kafka at the end only if this script started it.
# When a service cannot be started, it stops at once with one line saying what to start.
#
#   scripts/bench.sh ledger [args]   end to end on real Kafka and Postgres (bench/ledger.bench.ts)
#   scripts/bench.sh api [args]      the read API (Postgres)
#   scripts/bench.sh writer [args]   the ledger writer alone (Postgres)
#   scripts/bench.sh replay [args]   the offline replay (neither)
#   scripts/bench.sh transport [args] the Nest dispatch of a batch through the ledger's transport (neither)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
usage="usage: scripts/bench.sh ledger|api|writer|replay|transport [args]"
name=${1:-}
case "$name" in
  ledger) program=dist/bench/ledger.bench.js needs="postgres kafka" ;;
  api) program=dist/bench/api.bench.js needs="postgres" ;;
  writer) program=dist/bench/ledger-writer.bench.js needs="postgres" ;;
  replay) program=dist/bench/replay.bench.js needs="" ;;
  transport) program=dist/bench/transport-dispatch.bench.js needs="" ;;
  *) echo "bench: unknown benchmark \"$name\"" >&2; echo "$usage" >&2; exit 2 ;;
esac
shift

say() { printf 'bench: %s\n' "$*" >&2; }

bash scripts/build.sh

# The services' own output goes to a log; on failure only one line is shown, naming what to start.
log=$(mktemp -t bench-services.XXXXXX)
trap 'rm -f "$log"' EXIT
if [[ " $needs " == *" postgres "* ]] && ! bash scripts/pg.sh start >"$log" 2>&1; then
  say "PostgreSQL could not be started ($(tail -n 1 "$log")); start it: bash scripts/pg.sh start"
  exit 1
fi
if [[ " $needs " == *" kafka "* ]]; then
  if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
    trap 'bash scripts/kafka.sh stop >/dev/null 2>&1 || true; rm -f "$log"' EXIT
  fi
  if ! bash scripts/kafka.sh start >"$log" 2>&1; then
    say "Kafka could not be started ($(tail -n 1 "$log")); start it: bash scripts/kafka.sh start"
    exit 1
  fi
  # An authenticating broker (the default): the benchmark connects as its super user, as the tests do (it publishes
  # to every topic and makes consumer groups); the services it starts get their own logins from it.
  creds=$(bash scripts/kafka.sh credentials admin)
  if [[ -n $creds ]]; then set -a; . "$creds"; set +a; fi
fi

export KAFKAJS_NO_PARTITIONER_WARNING=1
node "$program" "$@"

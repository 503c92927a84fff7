#!/usr/bin/env bash
# Local PostgreSQL for development, tests and CI: the machine's Debian cluster at 127.0.0.1:5432, user postgres,
# trust authentication (no password).
#
#   scripts/pg.sh start       start the cluster if it is stopped and wait until it accepts connections
#   scripts/pg.sh create DB   create database DB unless it exists
#   scripts/pg.sh drop DB     drop database DB if it exists (closing its connections)
#   scripts/pg.sh url DB      print the connection URL of DB
set -euo pipefail

host=127.0.0.1
port=5432
user=postgres
start_timeout_s=${PG_START_TIMEOUT_S:-60}

say() { printf 'pg: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

ready() { pg_isready -q -h "$host" -p "$port" -U "$user" 2>/dev/null; }
sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d postgres -tAc "$1"; }

valid_name() {
  # Names go into SQL unquoted by the callers' habits elsewhere; allow only what needs no quoting.
  [[ ${1:-} =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name must match [a-z_][a-z0-9_]* (got \"${1:-}\")"
}

start() {
  if ready; then return 0; fi
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed (apt-get install -y postgresql)"
  local cluster_version
  cluster_version=$(ls /etc/postgresql | sort -V | tail -n 1)
  [[ -n $cluster_version ]] || die "no cluster under /etc/postgresql"
  say "starting cluster $cluster_version/main"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start || true
  local deadline=$((SECONDS + start_timeout_s))
  until ready; do
    ((SECONDS < deadline)) || die "PostgreSQL did not accept connections within ${start_timeout_s}s"
    sleep 0.5
  done
}

create() {
  valid_name "${1:-}"
  start
  if [[ -z $(sql "select 1 from pg_database where datname = '$1'") ]]; then
    sql "create database $1" && say "created database $1"
  fi
}

drop() {
  valid_name "${1:-}"
  start
  sql "drop database if exists $1 with (force)"
}

url() {
  valid_name "${1:-}"
  printf 'postgres://%s@%s:%s/%s\n' "$user" "$host" "$port" "$1"
}

case "${1:-}" in
  start) start ;;
  create) create "${2:-}" ;;
  drop) drop "${2:-}" ;;
  url) url "${2:-}" ;;
  *) echo "usage: scripts/pg.sh {start|create DB|drop DB|url DB}" >&2; exit 2 ;;
esac

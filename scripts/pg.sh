#!/usr/bin/env bash
# Local PostgreSQL for development, tests and CI: the machine's Debian cluster at 127.0.0.1:5432, user postgres,
# trust authentication (no password).
#
#   scripts/pg.sh start         start the cluster if it is stopped, wait until it accepts connections, make the roles
#   scripts/pg.sh roles         create the ledger's roles unless they exist (start does this too)
#   scripts/pg.sh create DB     create database DB, owned by ledger_owner, unless it exists
#   scripts/pg.sh drop DB       drop database DB if it exists (closing its connections)
#   scripts/pg.sh url DB [ROLE] print the connection URL of DB as ROLE (default ledger_owner)
#
# Roles (least privilege; docs/operations.md): ledger_owner runs the migrations and owns every table;
# ledger_writer (the ledger), ledger_relay (the relay) and ledger_reader (the API, verify, rejudge) get only the
# grants the migrations give them. None is a superuser or may create roles. Locally they authenticate by trust,
# like postgres; compose and k8s give each its own password.
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
  if ready; then make_roles; return 0; fi
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
  make_roles
}

roles=(ledger_owner ledger_writer ledger_reader ledger_relay)

make_roles() {
  local role
  for role in "${roles[@]}"; do
    sql "do \$\$ begin
           if not exists (select 1 from pg_roles where rolname = '$role') then
             create role $role login nosuperuser nocreaterole nocreatedb noreplication nobypassrls;
           end if;
         end \$\$" 2>/dev/null || [[ -n $(sql "select 1 from pg_roles where rolname = '$role'") ]] ||
      die "could not create role $role"
  done
}

create() {
  valid_name "${1:-}"
  start
  if [[ -z $(sql "select 1 from pg_database where datname = '$1'") ]]; then
    sql "create database $1 owner ledger_owner" && say "created database $1 (owner ledger_owner)"
  else
    adopt "$1"
  fi
}

# A database made before the roles existed (owned by postgres): hand it and its tables and functions to ledger_owner,
# so that the migrations can go on as the owner.
adopt() {
  [[ $(sql "select pg_get_userbyid(datdba) from pg_database where datname = '$1'") == ledger_owner ]] && return 0
  say "database $1: handing it to ledger_owner"
  sql "alter database $1 owner to ledger_owner"
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d "$1" -tAc "
    do \$\$ declare r record; begin
      for r in select tablename from pg_tables where schemaname = 'public' and tableowner <> 'ledger_owner' loop
        execute format('alter table public.%I owner to ledger_owner', r.tablename);
      end loop;
      for r in select p.oid::regprocedure as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
               where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> 'ledger_owner' loop
        execute format('alter function %s owner to ledger_owner', r.f);
      end loop;
    end \$\$"
}

drop() {
  valid_name "${1:-}"
  start
  sql "drop database if exists $1 with (force)"
}

url() {
  valid_name "${1:-}"
  local role=${2:-ledger_owner}
  [[ " ${roles[*]} $user " == *" $role "* ]] || die "unknown role $role (one of ${roles[*]} $user)"
  printf 'postgres://%s@%s:%s/%s\n' "$role" "$host" "$port" "$1"
}

case "${1:-}" in
  start) start ;;
  roles) start ;;
  create) create "${2:-}" ;;
  drop) drop "${2:-}" ;;
  url) url "${2:-}" "${3:-}" ;;
  *) echo "usage: scripts/pg.sh {start|roles|create DB|drop DB|url DB [ROLE]}" >&2; exit 2 ;;
esac

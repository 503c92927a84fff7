#!/usr/bin/env bash
# PostgreSQL container init (docker-compose.yml mounts it into /docker-entrypoint-initdb.d): the ledger's
# least-privilege roles with their passwords, and the ledger database owned by ledger_owner. Runs once, when the
# data volume is created, as the image's superuser. Passwords come from the environment (compose sets them).
set -euo pipefail
for role in ledger_owner ledger_writer ledger_reader ledger_relay; do
  var="${role^^}_PASSWORD"
  password=${!var:?"$var is not set"}
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD %L', :'role', :'password') \gexec
SQL
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c 'ALTER DATABASE ledger OWNER TO ledger_owner'

#!/usr/bin/env bash
# The secrets docker-compose.yml needs, made once under .run/compose/ (ignored by git, mode 0600):
#   compose.env          Kafka passwords: the broker's super user `admin` (also the controller's PLAIN login) and
#                        one SCRAM-SHA-512 password per principal of the services (ledger, relay) and the demo
#                        publishers (regulator, nvidia, aws) and subscriber
#   trusted-keys.json    the regulator's trust anchor (TRUSTED_KEYS_FILE of the ledger and the API), with its key in
#                        regulator.key.json (sign regulator events with `ledger sign FILE --keys ...`)
#
#   scripts/compose-credentials.sh && docker compose --env-file .run/compose/compose.env up --build
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$root/.run/compose"
mkdir -p "$dir"
chmod 700 "$dir"
random_password() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
if [[ ! -f $dir/compose.env ]]; then
  (
    umask 077
    for name in ADMIN LEDGER RELAY REGULATOR NVIDIA AWS SUBSCRIBER; do echo "KAFKA_${name}_PASSWORD=$(random_password)"; done >"$dir/compose.env"
  )
  echo "compose: Kafka passwords written to ${dir#"$root"/}/compose.env" >&2
fi
if [[ ! -f $dir/trusted-keys.json ]]; then
  [[ -f $root/dist/apps/cli/src/main.js ]] || { echo "compose: build first (npm ci) to make the regulator's key" >&2; exit 1; }
  node "$root/dist/apps/cli/src/main.js" keygen --publisher regulator --name compose --out "$dir/regulator.key.json" 2>/dev/null |
    sed 's/^/[/; s/$/]/' >"$dir/trusted-keys.json"
  echo "compose: the regulator's key in ${dir#"$root"/}/regulator.key.json, its trust anchor in trusted-keys.json" >&2
fi

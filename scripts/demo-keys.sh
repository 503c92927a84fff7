#!/usr/bin/env bash
# The signing keys of the demo (`npm start`), under .run/keys/ (ignored by git; the private keys are 0600):
#   regulator.key.json      the regulator's key; its public half is the ledger's trust anchor
#   trusted-keys.json       TRUSTED_KEYS_FILE of the ledger and the API: [{"keyId":"regulator/demo","publicKey":...}]
#   publishers/P.key.json   one key per publisher of FEED (`ledger publish --keys .run/keys/publishers`)
#   registrations.ndjson    the regulator's signed policy.publisher-key-registered events for those keys
# Idempotent: existing keys and registrations are kept, so publishing the registrations again is a duplicate.
#
#   scripts/demo-keys.sh FEED.ndjson
set -euo pipefail
feed=${1:?usage: scripts/demo-keys.sh FEED.ndjson}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dir=.run/keys
cli() { node dist/apps/cli/src/main.js "$@"; }
mkdir -p "$dir/publishers" "$dir/pending"
chmod 700 "$dir"

if [[ ! -f $dir/regulator.key.json ]]; then
  cli keygen --publisher regulator --name demo --out "$dir/regulator.key.json" 2>/dev/null | sed 's/^/[/; s/$/]/' >"$dir/trusted-keys.json"
fi

# Every publisher of the feed but the regulator (whose key is the anchor above).
publishers=$(node -e '
  const seen = new Set();
  for (const line of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) {
    try { const p = JSON.parse(line).publisher; if (typeof p === "string" && p !== "regulator") seen.add(p); } catch {}
  }
  console.log([...seen].sort().join(" "));' "$feed")
for p in $publishers; do
  [[ -f $dir/publishers/$p.key.json ]] && continue
  cli keygen --publisher "$p" --name demo --out "$dir/publishers/$p.key.json" 2>/dev/null >"$dir/pending/$p.ndjson"
done
shopt -s nullglob
pending=("$dir"/pending/*.ndjson)
if ((${#pending[@]} > 0)); then
  cat "${pending[@]}" >"$dir/pending.ndjson"
  cli sign "$dir/pending.ndjson" --keys "$dir/regulator.key.json" >>"$dir/registrations.ndjson"
  rm -f "${pending[@]}" "$dir/pending.ndjson"
fi
touch "$dir/registrations.ndjson"

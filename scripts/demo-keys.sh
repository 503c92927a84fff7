#!/usr/bin/env bash
# The signing keys of the demo (`npm start`), under .run/keys/ (ignored by git; the private keys are 0600):
#   signers/P.key.json      one key per publisher of FEED, the regulator's included (`ledger publish --keys
#                           .run/keys/signers`); the public half of the regulator's is the ledger's trust anchor
#   trusted-keys.json       TRUSTED_KEYS_FILE of the ledger and the API: [{"keyId":"regulator/demo","publicKey":...}]
#   registrations.ndjson    the regulator's signed policy.publisher-key-registered events for the other keys
# Idempotent: existing keys and registrations are kept, so publishing the registrations again is a duplicate.
#
#   scripts/demo-keys.sh FEED.ndjson
set -euo pipefail
feed=${1:?usage: scripts/demo-keys.sh FEED.ndjson}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dir=.run/keys
cli() { node dist/apps/cli/src/main.js "$@"; }
mkdir -p "$dir/signers" "$dir/pending"
chmod 700 "$dir"
regulator_key=$dir/signers/regulator.key.json

if [[ ! -f $regulator_key ]]; then
  cli keygen --publisher regulator --name demo --out "$regulator_key" 2>/dev/null | sed 's/^/[/; s/$/]/' >"$dir/trusted-keys.json"
fi

# Every publisher of the feed but the regulator (whose key is the anchor above).
publishers=$(node -e '
  const seen = new Set();
  for (const line of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) {
    try { const p = JSON.parse(line).publisher; if (typeof p === "string" && p !== "regulator") seen.add(p); } catch {}
  }
  console.log([...seen].sort().join(" "));' "$feed")
for p in $publishers; do
  [[ -f $dir/signers/$p.key.json ]] && continue
  cli keygen --publisher "$p" --name demo --out "$dir/signers/$p.key.json" 2>/dev/null >"$dir/pending/$p.ndjson"
done
shopt -s nullglob
pending=("$dir"/pending/*.ndjson)
if ((${#pending[@]} > 0)); then
  cat "${pending[@]}" >"$dir/pending.ndjson"
  cli sign "$dir/pending.ndjson" --keys "$regulator_key" >>"$dir/registrations.ndjson"
  rm -f "${pending[@]}" "$dir/pending.ndjson"
fi
rmdir "$dir/pending"
touch "$dir/registrations.ndjson"

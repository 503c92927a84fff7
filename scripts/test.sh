#!/usr/bin/env bash
# The test command (`npm test`; `npm run test:unit` for the small specs only). Works on a fresh clone:
# installs the npm packages if they are missing, builds, checks the size rule (scripts/check-sizes.js) and the
# import rules (.dependency-cruiser.cjs), starts PostgreSQL and Kafka (with the contract topics), then runs every
# compiled spec with node's test runner and exits with its status.
#
#   scripts/test.sh         all specs: libs/*/test (small), test/** (medium and large, real Postgres and Kafka)
#   scripts/test.sh unit    the small specs beside the libs and apps only; no Kafka
#
# Kafka is stopped at the end only if this script started it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mode=${1:-all}
case "$mode" in
  all | unit) ;;
  *) echo "usage: scripts/test.sh [unit]" >&2; exit 2 ;;
esac

say() { printf 'test: %s\n' "$*" >&2; }

bash scripts/build.sh

# The size rule (files <= 400 lines, functions <= 80; scripts/size-allowlist.txt for the known exceptions), in both
# modes and before anything slow: a violation fails the run at once.
say "checking source sizes"
node scripts/check-sizes.js

# The import rules (.dependency-cruiser.cjs): an app importing another app, libs/policy importing a framework or a
# lower lib importing a higher one fails the run before any spec.
say "checking the import rules"
npm run -s check:imports

bash scripts/pg.sh start

if [[ $mode == all ]]; then
  kafka_was_running=false
  bash scripts/kafka.sh status >/dev/null && kafka_was_running=true
  if [[ $kafka_was_running == false ]]; then
    trap 'bash scripts/kafka.sh stop || true' EXIT
  fi
  bash scripts/kafka.sh start
  # An authenticating broker (the default): the tests connect as its super user (they publish to every topic, read
  # the DLQs and create groups); test/platform/kafka-auth.spec.ts checks the principals' own rights.
  creds=$(bash scripts/kafka.sh credentials admin)
  if [[ -n $creds ]]; then set -a; . "$creds"; set +a; fi
fi

# Compiled specs whose source still exists: dist/ is never cleaned, so a renamed spec would otherwise run twice.
if [[ $mode == unit ]]; then search=(dist/libs dist/apps); else search=(dist/libs dist/apps dist/test); fi
specs=()
while IFS= read -r spec; do
  source_file=${spec#dist/}
  [[ -f ${source_file%.js}.ts ]] && specs+=("$spec")
done < <(find "${search[@]}" -name '*.spec.js' -type f 2>/dev/null | sort)

if [[ ${#specs[@]} -eq 0 ]]; then
  say "no compiled specs found under ${search[*]}"
  exit 1
fi
say "running ${#specs[@]} spec files"

# Quieter services during tests, unless asked otherwise; kafkajs' partitioner notice is not news.
export LOG_LEVEL=${LOG_LEVEL:-warn}
export KAFKAJS_NO_PARTITIONER_WARNING=1

# Two files at a time on a 2-core machine; every medium/large spec uses its own database and consumer groups.
# --test-force-exit: a spec that leaves a socket open must not hang the run; --test-timeout bounds each test.
# scripts/test-preload.cjs keeps --test-force-exit from losing the last results of a file (see there).
status=0
node --require ./scripts/test-preload.cjs --test --test-reporter=spec --test-concurrency=2 --test-force-exit --test-timeout=180000 "${specs[@]}" || status=$?
exit "$status"

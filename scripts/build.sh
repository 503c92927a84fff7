#!/usr/bin/env bash
# Installs the npm packages if they are missing, then builds dist/. Shared by the run and test commands.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d node_modules ]]; then
  printf 'build: node_modules is missing: npm ci\n' >&2
  npm ci --no-audit --no-fund
fi
printf 'build: building\n' >&2
npm run -s build

#!/usr/bin/env bash
# Installs Debian's headless Chromium for the dashboard browser test (test/api/dashboard.browser.spec.ts).
# Idempotent: does nothing when /usr/bin/chromium already runs. Fails loudly (non-zero exit) when the package
# cannot be installed, so that the browser test fails instead of being skipped.
set -euo pipefail

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if $SUDO apt-get update -qq </dev/null && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core </dev/null >/dev/null; then
    break
  fi
  # Another apt run (e.g. a parallel install) may hold the dpkg lock: wait and try again.
  echo "install-chromium: attempt $attempt failed, retrying" >&2
  sleep 5
done

if ! /usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1; then
  echo "install-chromium: /usr/bin/chromium is not usable after install" >&2
  exit 1
fi

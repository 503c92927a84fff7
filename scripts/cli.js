#!/usr/bin/env node
// Entry of `npm run -s ledger -- <command>`: runs the compiled CLI, building it first when dist/ is missing,
// so that the command works right after `npm ci` without a separate build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  const built = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  if (built.status !== 0 || !fs.existsSync(entry)) {
    process.stderr.write('ledger: build failed; run `npm ci` first\n');
    process.exit(2);
  }
}
require(entry);

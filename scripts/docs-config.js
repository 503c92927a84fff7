#!/usr/bin/env node
// Writes docs/configuration.md from the settings declarations (`npm run -s docs:config`, which builds first).
// libs/config/test/configuration-doc.spec.ts fails when the file differs from what this would write.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { configurationMarkdown, CONFIGURATION_DOC_PATH } = require(path.join(root, 'dist', 'libs', 'config', 'src', 'configuration-doc.js'));
const target = path.join(root, CONFIGURATION_DOC_PATH);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, configurationMarkdown());
process.stderr.write(`docs:config: wrote ${CONFIGURATION_DOC_PATH}\n`);

#!/usr/bin/env node
// Prints "<topic> <partitions>" for every topic of the wire contract, one per line, so that shell scripts
// create exactly the topics in libs/contracts/src/topics.ts. Uses the compiled file when it is at least as new
// as the source; otherwise transpiles the source on the fly, so it works before the first build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '..', '..');
const source = path.join(root, 'libs', 'contracts', 'src', 'topics.ts');
const compiled = path.join(root, 'dist', 'libs', 'contracts', 'src', 'topics.js');

function load() {
  if (fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= fs.statSync(source).mtimeMs) return require(compiled);
  const ts = require(require.resolve('typescript', { paths: [root] }));
  const js = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const mod = new Module(source);
  mod.filename = source;
  mod.paths = Module._nodeModulePaths(path.dirname(source));
  mod._compile(js, source);
  return mod.exports;
}

const { TOPIC_PARTITIONS } = load();
for (const [name, partitions] of Object.entries(TOPIC_PARTITIONS)) process.stdout.write(`${name} ${partitions}\n`);

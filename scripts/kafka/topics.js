#!/usr/bin/env node
// Prints "<topic> <partitions> <max.message.bytes>" for every topic of the wire contract, one per line ("-" where the
// broker's default applies), so that shell scripts create exactly the topics in libs/contracts/src/topics.ts. Uses
// the compiled file when it is at least as new as the source; otherwise transpiles the source on the fly, so it
// works before the first build. test/platform/manifests.spec.ts checks the k8s KafkaTopics and docker-compose's
// topic creation against what this prints (require() it for topicSpecs()).
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

// Names, partition counts and record size limits all come from libs/contracts/src/topics.ts.
function topicSpecs() {
  const { TOPIC_PARTITIONS, TOPIC_MESSAGE_BYTES_MAX } = load();
  return Object.entries(TOPIC_PARTITIONS).map(([name, partitions]) => ({
    name,
    partitions,
    maxMessageBytes: TOPIC_MESSAGE_BYTES_MAX[name] ?? null,
  }));
}

module.exports = { topicSpecs };

if (require.main === module) {
  for (const t of topicSpecs()) process.stdout.write(`${t.name} ${t.partitions} ${t.maxMessageBytes ?? '-'}\n`);
}

// The built `ledger` CLI as a user runs it: a misspelt flag, a flag without its value or a word where a number is due
// stops the command with exit status 2 and an error naming the flag, before it does anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// dist/apps/cli/test -> dist/apps/cli/src/main.js
const CLI = path.join(__dirname, '..', 'src', 'main.js');

function ledger(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GENERATE_USAGE = 'usage: ledger generate [--events N] [--seed S] [--start YYYY-MM-DD] [--days D] [--invalid-rate R]\n';

test('`generate --evnets 5` exits 2 naming the misspelt flag, and generates nothing', () => {
  const r = ledger('generate', '--evnets', '5');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `ledger generate: unknown flag --evnets (did you mean --events?)\n${GENERATE_USAGE}`);
});

test('a flag without its value exits 2 naming the flag', () => {
  const r = ledger('generate', '--events');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `ledger generate: --events needs a value\n${GENERATE_USAGE}`);
  const t = ledger('tail-alerts', '--idle-exit-ms');
  assert.equal(t.status, 2);
  assert.match(t.stderr, /^ledger tail-alerts: --idle-exit-ms needs a value\nusage: ledger tail-alerts /);
});

test('a word where a number is due exits 2 naming the flag and the word', () => {
  const r = ledger('generate', '--events', 'many');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `ledger generate: --events must be an integer from 1 to 100000000, not "many"\n${GENERATE_USAGE}`);
  const p = ledger('publish', 'feed.ndjson', '--rate', 'fast');
  assert.equal(p.status, 2);
  assert.match(p.stderr, /^ledger publish: --rate must be a number from 0.001 to 10000000, not "fast"\nusage: ledger publish /);
});

test('every command refuses an unknown flag the same way, before touching Kafka or Postgres', () => {
  // The commands as `ledger --help` lists them, so that a new command is held to this too.
  const listed = /^commands: (.+)$/m.exec(ledger('--help').stdout)?.[1]?.split(', ') ?? [];
  assert.ok(listed.length >= 9 && listed.includes('generate') && listed.includes('migrate:revert'), listed.join(', '));
  for (const command of listed) {
    const r = ledger(command, '--no-such-flag');
    assert.equal(r.status, 2, command);
    assert.match(r.stderr, new RegExp(`^ledger ${command}: unknown flag --no-such-flag\\nusage: ledger ${command}\\b[^\\n]*\\n$`), command);
  }
});

test('the flags given correctly still work: five events, one per line', () => {
  const r = ledger('generate', '--events', '5', '--seed=3');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 5);
  for (const line of lines) assert.equal(typeof JSON.parse(line), 'object');
});

test('--help prints the usage on stdout and exits 0; an unknown command exits 2', () => {
  const h = ledger('generate', '--help');
  assert.equal(h.status, 0);
  assert.equal(h.stdout, GENERATE_USAGE);
  const u = ledger('generat');
  assert.equal(u.status, 2);
  assert.match(u.stderr, /^ledger: unknown command "generat"\n/);
});

test('replay --licences takes verify-if-known or registered-only; anything else exits 2 naming the flag', () => {
  const r = ledger('replay', 'feed.ndjson', '--licences', 'strict');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^ledger replay: --licences must be verify-if-known or registered-only/);
  const j = ledger('rejudge', '--licences=sometimes');
  assert.equal(j.status, 2);
  assert.match(j.stderr, /^ledger rejudge: --licences must be verify-if-known or registered-only/);
});

// The publisher's tools: `ledger keygen` makes a key file and what the regulator needs (the registration event, or
// for its own keys the trust-anchor entry); `ledger sign` signs a feed with the publishers' keys, so that
// `ledger replay --require-signatures --trusted-keys` records it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { run as keygen } from '../src/commands/keygen.command';
import { run as sign } from '../src/commands/sign.command';
import { run as replay } from '../src/commands/replay.command';
import { UsageError } from '../src/support/command-args';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygen-sign-'));

async function call(cmd: (argv: string[], io: any) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = await cmd(argv, { stdout, stderr });
  return { code, out: String(stdout.read() ?? ''), err: String(stderr.read() ?? '') };
}

test('keygen, sign, replay: a signed feed is recorded whole with signatures required', async () => {
  const keys = path.join(dir, 'keys');
  fs.mkdirSync(keys);
  const regulator = await call(keygen, ['--publisher', 'regulator', '--name', 'r1', '--out', path.join(dir, 'regulator.key.json')]);
  assert.equal(regulator.code, 0, regulator.err);
  const anchor = JSON.parse(regulator.out) as { keyId: string; publicKey: string };
  assert.equal(anchor.keyId, 'regulator/r1');
  assert.equal(fs.statSync(path.join(dir, 'regulator.key.json')).mode & 0o777, 0o600, 'the private key is readable by its owner only');
  const trusted = path.join(dir, 'trusted-keys.json');
  fs.writeFileSync(trusted, JSON.stringify([anchor]));

  const nvidia = await call(keygen, ['--publisher', 'nvidia', '--name', 'n1', '--out', path.join(keys, 'nvidia.key.json')]);
  assert.equal(nvidia.code, 0, nvidia.err);
  const registration = JSON.parse(nvidia.out) as { type: string; publisher: string; key: { keyId: string } };
  assert.equal(registration.type, 'policy.publisher-key-registered');
  assert.equal(registration.publisher, 'regulator');
  assert.equal(registration.key.keyId, 'nvidia/n1');
  fs.copyFileSync(path.join(dir, 'regulator.key.json'), path.join(keys, 'regulator.key.json'));

  const shipment = { type: 'chip.shipment', version: 1, eventId: 'nv-1', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z', consignee: { id: 'acme-ai', country: 'AE' }, authorization: { kind: 'LICENSE' }, items: [{ chip: 'A100', quantity: 1 }] };
  const feed = path.join(dir, 'feed.ndjson');
  fs.writeFileSync(feed, `${nvidia.out.trim()}\n\n${JSON.stringify(shipment)}\n`);
  const signed = await call(sign, [feed, '--keys', keys]);
  assert.equal(signed.code, 0, signed.err);
  const lines = signed.out.trim().split('\n');
  assert.equal(lines.length, 2, 'the blank line is left out');
  assert.deepEqual(lines.map((l) => JSON.parse(l).signature.keyId), ['regulator/r1', 'nvidia/n1']);
  const signedFeed = path.join(dir, 'signed.ndjson');
  fs.writeFileSync(signedFeed, signed.out);
  const result = await call(replay, [signedFeed, '--require-signatures', '--trusted-keys', trusted]);
  assert.equal(result.code, 0, result.err);
  assert.deepEqual(JSON.parse(result.out).counts, { read: 2, recorded: 2, duplicates: 0, rejected: 0 });
});

test('keygen never overwrites a key and refuses bad names; sign names a line it cannot sign', async () => {
  const out = path.join(dir, 'once.key.json');
  assert.equal((await call(keygen, ['--publisher', 'amd', '--out', out])).code, 0);
  const again = await call(keygen, ['--publisher', 'amd', '--out', out]);
  assert.equal(again.code, 2);
  assert.match(again.err, /cannot write/);
  // Usage errors: main.ts prints them with the usage line and exits 2.
  for (const argv of [['--publisher', 'AMD'], [], ['--publisher', 'amd', '--name', 'a/b']]) {
    await assert.rejects(() => call(keygen, argv), UsageError, argv.join(' '));
  }

  const feed = path.join(dir, 'other.ndjson');
  fs.writeFileSync(feed, `${JSON.stringify({ type: 'chip.shipment', publisher: 'intel' })}\n`);
  const r = await call(sign, [feed, '--keys', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /line 1: not a JSON event whose publisher has a key/);
  await assert.rejects(() => call(sign, [feed]), /missing --keys/);
});

// `ledger replay FILE --require-signatures --trusted-keys KEYS`: signatures required offline with the regulator's
// anchors from a file; without the flags, optional with no anchors. A trusted-keys file that cannot be used is a
// usage error (exit 2) naming what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../src/commands/replay.command';
import { UsageError } from '../src/support/command-args';

const ROOT = path.resolve(__dirname, '../../../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/signatures.md'), 'utf8');
const vector = (name: string): string => new RegExp(`<!-- vector: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC)![1]!;

async function replay(argv: string[]): Promise<{ code: number; doc: any; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = await run(argv, { stdout, stderr: stderr as unknown as NodeJS.WriteStream });
  const out = String(stdout.read() ?? '');
  return { code, doc: out === '' ? null : JSON.parse(out), err: String(stderr.read() ?? '') };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-signatures-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const unsignedShipment = JSON.stringify({
  type: 'chip.shipment', version: 1, eventId: 'nv-unsigned', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
  consignee: { id: 'acme-ai', country: 'AE' }, authorization: { kind: 'LICENSE' }, items: [{ chip: 'A100', quantity: 1 }],
});
const feed = file('feed.ndjson', `${vector('feed')}\n${unsignedShipment}\n`);
const keys = file('keys.json', vector('trusted-keys'));

test('required with the anchors: the signed feed is recorded, the unsigned event is UNSIGNED', async () => {
  const r = await replay([feed, '--require-signatures', '--trusted-keys', keys]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.doc.counts, { read: 3, recorded: 2, duplicates: 0, rejected: 1 });
  assert.deepEqual(r.doc.rejected.map((x: { line: number; code: string }) => [x.line, x.code]), [[3, 'UNSIGNED']]);
});

test('by default signatures are optional and no regulator key is trusted', async () => {
  const r = await replay([feed]);
  assert.equal(r.code, 0, r.err);
  // The regulator's signed registration is UNKNOWN_KEY (no anchor), so nvidia's key is unknown too; the unsigned one counts.
  assert.deepEqual(r.doc.rejected.map((x: { code: string }) => x.code), ['UNKNOWN_KEY', 'UNKNOWN_KEY']);
  assert.equal(r.doc.counts.recorded, 1);
  const anchored = await replay([feed, `--trusted-keys=${keys}`]);
  assert.equal(anchored.doc.counts.recorded, 3);
});

test('a trusted-keys file that is missing, not JSON or names a non-regulator key is a usage error (exit 2)', async () => {
  for (const [bad, message] of [
    [path.join(dir, 'missing.json'), /cannot read the trusted keys/],
    [file('not-json.json', '{'), /not JSON/],
    [file('nvidia.json', JSON.stringify([{ keyId: 'nvidia/1', publicKey: vector('nvidia-public-key') }])), /keyId must be "regulator\/<name>"/],
    [file('short.json', JSON.stringify([{ keyId: 'regulator/1', publicKey: 'abc' }])), /publicKey must be the 32 raw bytes/],
  ] as const) {
    // A UsageError: main.ts prints it with the usage line and exits 2.
    await assert.rejects(() => replay([feed, '--trusted-keys', bad]), (e: Error) => e instanceof UsageError && message.test(e.message), bad);
  }
});

// The replay's file reading: lines with their byte offsets, and a line read again from its offset (what the
// idempotency record keeps), for short lines, lines longer than the first read and lines across read chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forEachLine, readLineAt } from '../src/ndjson-file';

async function roundTrip(name: string, lines: string[], crAfter: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndjson-'));
  const file = path.join(dir, 'lines.ndjson');
  fs.writeFileSync(file, `\ufeff${lines.map((l, i) => (i === crAfter ? `${l}\r` : l)).join('\n')}`);
  const seen: Array<[string, number]> = [];
  await forEachLine(file, (line, _n, offset) => seen.push([line.toString(), offset]));
  assert.deepEqual(seen.map(([l]) => l), lines, name);
  // asBytes (the publisher's reading): the same lines at the same offsets, each as a Buffer of its bytes.
  const bytes: Array<[string | Buffer, number]> = [];
  await forEachLine(file, (line, _n, offset) => bytes.push([line, offset]), true);
  assert.ok(bytes.every(([l]) => Buffer.isBuffer(l)), `${name}: asBytes hands over Buffers only`);
  assert.deepEqual(bytes.map(([l, offset]) => [l.toString(), offset]), seen, name);
  const fd = fs.openSync(file, 'r');
  try {
    for (const [l, offset] of seen) assert.equal(readLineAt(fd, offset).toString('utf8'), l, name);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('every line read again from its offset is the line as read: ASCII and multi-byte files, CR LF, blank lines, 1.5 MB lines', async () => {
  const short = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"pad":"${'p'.repeat(i % 200)}"}`);
  await roundTrip('ASCII', ['{"a":1}', `{"long":"${'x'.repeat(4095)}"}`, '', ...short, `{"b":"${'y'.repeat(1_500_000)}"}`, '{"last":true}'], 1);
  await roundTrip('multi-byte', ['{"a":1}', `{"é":"${'€'.repeat(5000)}"}`, '', ...short, `{"b":"${'ü'.repeat(800_000)}"}`, '{"last":true}'], 1);
});

test('asBytes hands over the exact bytes of each line, also of a line that is not UTF-8, without the BOM, CR and LF', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndjson-'));
  const file = path.join(dir, 'bytes.ndjson');
  const lines = [Buffer.from('{"a":"é"}'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), Buffer.from('{"c":3}')];
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lines[0]!, Buffer.from('\r\n'), lines[1]!, Buffer.from('\n'), lines[2]!]));
  try {
    const seen: Buffer[] = [];
    await forEachLine(file, (line: string | Buffer) => seen.push(Buffer.isBuffer(line) ? line : Buffer.from(`not bytes: ${line}`)), true);
    assert.deepEqual(seen.map((b) => b.toString('hex')), lines.map((b) => b.toString('hex')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

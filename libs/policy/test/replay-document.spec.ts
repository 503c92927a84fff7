// The offline replay as a user runs it: the compiled CLI (`ledger replay FILE [--pack ID]`) on NDJSON files, its one
// JSON document (policy, accounts sorted by id with the cap in force at the latest recorded occurredAt, alerts in
// order, rejected with line numbers, counts) and its exit status (0 when the file was read, 2 otherwise).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringifyJson } from '@app/contracts';
import { g2g, grantNveu, line, shipment, tppItems, withField, type Json } from './support/events';
import { replayLines } from './support/replay-lines';

const CLI = path.resolve(__dirname, '../../../apps/cli/src/main.js');
let dir: string;
let fileCounter = 0;

function writeFile(content: string): string {
  const file = path.join(dir, `feed-${++fileCounter}.ndjson`);
  fs.writeFileSync(file, content);
  return file;
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function replayFile(content: string, extra: string[] = []) {
  const r = cli(['replay', writeFile(content), ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return { ...r, doc: JSON.parse(r.stdout) as Record<string, any> };
}

// The main feed is replayed once and its output shared by the tests that only read it (each run is a process).
let feedRun: ReturnType<typeof replayFile> | undefined;
function replayFeed() {
  feedRun ??= replayFile(feedText);
  return { ...feedRun, doc: JSON.parse(feedRun.stdout) as Record<string, any> };
}

const feed: Array<Json | string> = [
  grantNveu('g42', 'AE', { eventId: 'bis-1', at: '2025-02-01T00:00:00Z' }), // 1
  shipment({ eventId: 'nv-1', at: '2026-03-14T09:30:00Z', items: [{ chip: 'H100-SXM', quantity: 25_000 }] }), // 2
  '', // 3: blank, not an event
  '{not json', // 4
  shipment({ eventId: 'nv-2', at: '2025-06-01T00:00:00Z', consignee: 'g42', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) }), // 5
  shipment({ eventId: 'nv-1', at: '2026-03-14T09:30:00Z', items: [{ chip: 'H100-SXM', quantity: 25_000 }] }), // 6: duplicate
  shipment({ eventId: 'nv-3', at: '2026-01-10T00:00:00Z', country: 'CN', items: [{ chip: 'A100', quantity: 100 }] }), // 7
  shipment({ eventId: 'nv-4', publisher: 'amd', items: [{ chip: 'MI999', quantity: 1 }] }), // 8: unknown chip
  shipment({ eventId: 'nv-5', at: '2027-02-01T00:00:00Z', country: 'DE', items: [{ chip: 'B300', quantity: 2 }] }), // 9: latest recorded
  shipment({ eventId: 'nv-6', at: '2028-06-01T00:00:00Z', country: 'XK' }), // 10: rejected, so its date does not count
];
const feedText = feed.map(line).join('\n') + '\n';

describe('replay document (compiled CLI)', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-replay-'));
    assert.ok(fs.existsSync(CLI), `build first: ${CLI} is missing`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints one JSON document with policy, accounts, alerts, rejected and counts', () => {
    const { doc, stdout } = replayFeed();
    assert.equal(stdout.trim().split('\n').length, 1, 'one document on one line');
    assert.deepEqual(Object.keys(doc), ['policy', 'accounts', 'alerts', 'rejected', 'counts']);
    assert.equal(doc.policy.id, 'ai-diffusion-2025');
    assert.equal(typeof doc.policy.version, 'string');
    assert.deepEqual(doc.counts, { read: 9, recorded: 5, duplicates: 1, rejected: 3 });
  });

  test('accounts are sorted by id, with the cap in force at the latest recorded occurredAt', () => {
    const { doc } = replayFeed();
    assert.deepEqual(doc.accounts, [
      { account: 'country:AE', usedTpp: 395_800_000, capTpp: 790_000_000, utilization: 395_800_000 / 790_000_000 },
      { account: 'country:CN', usedTpp: 499_200, capTpp: 0, utilization: null },
      { account: 'country:DE', usedTpp: 112_000, capTpp: null, utilization: null },
      // latest recorded occurredAt is 2027-02-01 (the 2028 event was rejected): the 2027 phase cap.
      { account: 'nveu:g42', usedTpp: 1_000_000, capTpp: 5_066_240_000, utilization: 1_000_000 / 5_066_240_000 },
    ]);
  });

  test('alerts in the order raised, as full compliance.alert documents', () => {
    const { doc } = replayFeed();
    assert.deepEqual(doc.alerts.map((a: any) => [a.kind, a.account, a.threshold, a.causedBy.eventId]), [
      ['THRESHOLD_CROSSED', 'country:AE', 0.5, 'nv-1'],
      ['PROHIBITED_DESTINATION', 'country:CN', null, 'nv-3'],
    ]);
    const a = doc.alerts[0];
    assert.deepEqual(
      { ...a, alertId: typeof a.alertId, reason: undefined },
      {
        type: 'compliance.alert',
        version: 1,
        alertId: 'string',
        kind: 'THRESHOLD_CROSSED',
        severity: 'info',
        account: 'country:AE',
        threshold: 0.5,
        usedTpp: 395_800_000,
        capTpp: 790_000_000,
        utilization: 395_800_000 / 790_000_000,
        causedBy: { publisher: 'nvidia', eventId: 'nv-1' },
        policy: doc.policy,
        at: '2026-03-14T09:30:00Z',
        reason: undefined,
      },
    );
  });

  test('rejected events with their line numbers in the file (blank lines count as lines, not as events)', () => {
    const { doc } = replayFeed();
    assert.deepEqual(doc.rejected.map((r: any) => [r.line, r.publisher, r.eventId, r.code]), [
      [4, null, null, 'MALFORMED'],
      [8, 'amd', 'nv-4', 'UNKNOWN_CHIP'],
      [10, 'nvidia', 'nv-6', 'INVALID_COUNTRY'],
    ]);
    for (const r of doc.rejected) {
      assert.deepEqual(Object.keys(r).sort(), ['code', 'eventId', 'line', 'message', 'publisher']);
      assert.ok(typeof r.message === 'string' && r.message.length > 0);
    }
  });

  test('the file is applied in file order, not in occurredAt order, and the latest occurredAt is the maximum', () => {
    // g2g arrives after the shipment: the shipment is judged against 790M; the document shows the cap now in force.
    const lines = [
      shipment({ at: '2026-06-01T00:00:00Z', items: tppItems(400_000_000) }),
      g2g('AE', { at: '2026-01-01T00:00:00Z' }),
      grantNveu('g42', 'AE', { at: '2025-01-20T00:00:00Z' }),
      shipment({ at: '2025-03-01T00:00:00Z', consignee: 'g42', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) }),
    ];
    const { doc } = replayFile(lines.map(line).join('\n'));
    assert.deepEqual(doc.alerts.map((a: any) => [a.account, a.threshold, a.capTpp]), [['country:AE', 0.5, 790_000_000]]);
    assert.equal(doc.accounts.find((a: any) => a.account === 'country:AE').capTpp, 1_580_000_000);
    // latest occurredAt 2026-06-01 (the first line): the 2026 phase.
    assert.equal(doc.accounts.find((a: any) => a.account === 'nveu:g42').capTpp, 4_274_640_000);
  });

  test('integers beyond 2^53 are written digit for digit', () => {
    const items = Array.from({ length: 1000 }, () => ({ tppPerUnit: 10_000_000, quantity: 10_000_000 }));
    const { stdout } = replayFile(line(shipment({ country: 'DE', items })) + '\n' + line(shipment({ country: 'DE', items: [{ chip: 'A100', quantity: 1 }] })) + '\n');
    assert.match(stdout, /"usedTpp":100000000000004992[,}]/);
  });

  test('the document is exactly what the engine’s Replayer produces, and the same on every run', () => {
    const first = replayFeed().stdout;
    const second = replayFile(feedText).stdout;
    assert.equal(second, first);
    assert.equal(first.trim(), stringifyJson(replayLines(feed).result));
  });

  test('CRLF line endings and a last line without a newline are read the same', () => {
    const lf = replayFeed().stdout;
    const crlf = replayFile(feed.map(line).join('\r\n')).stdout;
    assert.equal(crlf, lf);
  });

  test('an empty file gives an empty document', () => {
    const { doc } = replayFile('');
    assert.deepEqual(doc, {
      policy: doc.policy,
      accounts: [],
      alerts: [],
      rejected: [],
      counts: { read: 0, recorded: 0, duplicates: 0, rejected: 0 },
    });
    assert.equal(doc.policy.id, 'ai-diffusion-2025');
  });

  test('a file of nothing but rejections still exits 0', () => {
    const { doc } = replayFile('garbage\n{"type":"nope"}\n' + line(withField(shipment(), 'version', 2)) + '\n');
    assert.deepEqual(doc.rejected.map((r: any) => r.code), ['MALFORMED', 'UNKNOWN_TYPE', 'MALFORMED']);
    assert.deepEqual(doc.counts, { read: 3, recorded: 0, duplicates: 0, rejected: 3 });
  });

  test('--pack selects another policy pack (both spellings)', () => {
    const content = line(shipment({ country: 'CN', items: [{ chip: 'H100-SXM', quantity: 10 }] })) + '\n';
    for (const args of [['--pack', 'china-case-by-case-2026'], ['--pack=china-case-by-case-2026']]) {
      const { doc } = replayFile(content, args);
      assert.equal(doc.policy.id, 'china-case-by-case-2026');
      // H100 (15,832 < 21,000 TPP; 3,350 < 6,500 GB/s) is not denied under this pack; with no H100 shipped to the US
      // yet, the product cap (50% of US shipments) is 0: the shipment is on the record over it, and a cap-0 account
      // raises no alert (the contract's account rules).
      assert.deepEqual(doc.alerts, []);
      const product = doc.accounts.find((a: any) => a.account === 'product:H100-SXM:cn-mo');
      assert.deepEqual([product?.usedTpp, product?.capTpp], [158_320, 0]);
    }
    assert.deepEqual(replayFile(content).doc.alerts.map((a: any) => a.kind), ['PROHIBITED_DESTINATION']);
  });

  test('--timeline judges each event by the pack in force at its occurredAt, and the document names the timeline', () => {
    const before = shipment({ eventId: 'before', at: '2026-01-14T23:59:59Z', country: 'CN', items: [{ chip: 'H100-SXM', quantity: 10 }] });
    const after = shipment({ eventId: 'after', at: '2026-01-15T00:00:00Z', country: 'CN', items: [{ chip: 'H100-SXM', quantity: 10 }] });
    for (const args of [['--timeline', 'us-actual'], ['--timeline=us-actual']]) {
      const { doc } = replayFile(`${line(before)}\n${line(after)}\n`, args);
      assert.equal(doc.policy.id, 'us-actual');
      assert.equal(doc.policy.timeline.id, 'us-actual');
      assert.deepEqual(doc.policy.timeline.packs.map((p: any) => [p.from, p.id]), [
        ['2023-11-17T00:00:00Z', 'us-oct-2023'],
        ['2026-01-15T00:00:00Z', 'china-case-by-case-2026'],
      ]);
      assert.deepEqual(doc.alerts.map((a: any) => `${a.kind} ${a.causedBy.eventId} ${a.policy.id}`), [
        'PROHIBITED_DESTINATION before us-oct-2023',
      ]);
    }
  });

  test('diff: the feed under the framework and under us-actual, as JSON and as a table; a usage error exits 2', () => {
    const file = writeFile(feedText);
    const json = cli(['diff', file, '--pack', 'ai-diffusion-2025', '--timeline', 'us-actual']);
    assert.equal(json.status, 0, json.stderr);
    const d = JSON.parse(json.stdout);
    assert.deepEqual([d.a.id, d.b.id, d.b.timeline.id], ['ai-diffusion-2025', 'us-actual', 'us-actual']);
    // nv-1: AE is capped at 790M under the framework (0.5 crossed), uncapped under the 2023 rule; nv-2: the NVEU
    // claim holds under the framework and authorizes nothing in 2025 (AE needs a licence); nv-3 (CN) is denied under
    // both, against cap 0 or none; nv-5 (DE) is judged alike.
    assert.deepEqual(d.events.map((e: any) => e.eventId), ['nv-1', 'nv-2', 'nv-3']);
    assert.deepEqual(d.events[0].alertsOnlyA, ['THRESHOLD_CROSSED country:AE 0.5']);
    assert.deepEqual(d.events[1].alertsOnlyB, ['UNAUTHORIZED country:AE']);
    const table = cli(['diff', file, '--timeline', 'us-actual', '--pack=ai-diffusion-2025', '--table']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^A = timeline us-actual /);
    assert.match(table.stdout, /events judged differently: 3 of 9/);
    assert.match(table.stdout, /nvidia\/nv-2 +UNAUTHORIZED country:AE +- +us-oct-2023 \/ ai-diffusion-2025/);
    for (const args of [['diff', file, '--pack', 'ai-diffusion-2025'], ['diff', '--pack', 'ai-diffusion-2025', '--timeline', 'us-actual'], ['diff', file, '--timeline', 'nope', '--pack', 'ai-diffusion-2025']]) {
      const r = cli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  test('exit 2 for usage errors and unreadable files, with a message on stderr and nothing on stdout', () => {
    const ok = writeFile(feedText);
    const cases: string[][] = [
      ['replay'],
      ['replay', path.join(dir, 'does-not-exist.ndjson')],
      ['replay', dir],
      ['replay', ok, '--bogus'],
      ['replay', ok, 'second-file.ndjson'],
      ['replay', ok, '--pack', 'no-such-pack'],
      ['replay', ok, '--pack'],
      ['replay', ok, '--timeline', 'no-such-timeline'],
      ['replay', ok, '--pack', 'ai-diffusion-2025', '--timeline', 'us-actual'],
    ];
    for (const args of cases) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', args.join(' '));
      assert.ok(r.stderr.length > 0, args.join(' '));
    }
  });
});

test('a byte-order mark at the start of the file and CRLF line ends do not make the first event MALFORMED', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bom-'));
  const file = path.join(dir, 'bom.ndjson');
  const g2gLine = '{"type":"policy.g2g-arrangement","version":1,"eventId":"bis-9","publisher":"regulator","occurredAt":"2026-01-01T00:00:00Z","country":"AE"}';
  fs.writeFileSync(file, `\uFEFF${g2gLine}\r\n`);
  const out = spawnSync(process.execPath, [CLI, 'replay', file], { encoding: 'utf8' }).stdout;
  const doc = JSON.parse(out) as { counts: { read: number; recorded: number; rejected: number } };
  assert.deepEqual(doc.counts, { read: 1, recorded: 1, duplicates: 0, rejected: 0 });
  fs.rmSync(dir, { recursive: true, force: true });
});

// The CLI keeps each idempotency key's byte offset instead of a digest and reads the first line back when the key
// comes again. Offsets must survive a byte-order mark, CRLF ends, multi-byte characters and lines longer than one
// read, and the verdicts must equal those of the in-memory path (digests kept for every key).
test('a key that comes back is compared with its first line, read again from the file at its byte offset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-dup-'));
  const reversed = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reversed) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  // ~250 KB: longer than the 64 KiB the CLI reads at a time when it looks a line up again.
  const longItems = Array.from({ length: 1000 }, (_, i) => ({ chip: 'H100-SXM', quantity: 1 + (i % 7), label: `lot ${i} ${'é'.repeat(90)}` }));
  const first = shipment({ eventId: 'long-1', consignee: 'Zürich-AI', country: 'DE', items: longItems });
  const small = shipment({ eventId: 'small-1', consignee: 'Société-Générale-Calcul', items: [{ chip: 'A100', quantity: 3 }] });
  const lines: Array<Json | string> = [
    small, // 1
    first, // 2
    shipment({ eventId: 'other', country: 'AE', items: [{ chip: 'B300', quantity: 1 }] }), // 3
    first, // 4: exact duplicate
    JSON.stringify(reversed(first), null, 1).replace(/\n/g, ' '), // 5: the same payload, keys reversed, spaces
    { ...first, items: longItems.map((it, i) => (i === 999 ? { ...it, quantity: it.quantity + 1 } : it)) }, // 6: conflict
    JSON.stringify(reversed(small)), // 7: duplicate of line 1
    { ...small, consignee: { id: 'Société-Générale-Calcul', country: 'FR' } }, // 8: conflict with line 1
  ];
  const file = path.join(dir, 'dups.ndjson');
  fs.writeFileSync(file, `\uFEFF${lines.map(line).join('\r\n')}\r\n`);
  const r = spawnSync(process.execPath, [CLI, 'replay', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { counts: unknown; rejected: Array<{ line: number; code: string }> };
  assert.deepEqual(doc.counts, { read: 8, recorded: 3, duplicates: 3, rejected: 2 });
  assert.deepEqual(doc.rejected.map((x) => [x.line, x.code]), [[6, 'DUPLICATE_CONFLICT'], [8, 'DUPLICATE_CONFLICT']]);
  assert.equal(r.stdout.trim(), stringifyJson(replayLines(lines).result));
});

// A pipe cannot be read back at an offset, so from one the replay keeps each key's digest: the same verdicts.
test('a pipe (replay /dev/stdin) gives the same document as the file, duplicates and conflicts included', () => {
  const small = shipment({ eventId: 'small-1', consignee: 'Société-Générale-Calcul', items: [{ chip: 'A100', quantity: 3 }] });
  const other = shipment({ eventId: 'other', country: 'AE', items: [{ chip: 'B300', quantity: 1 }] });
  const text = `\uFEFF${[small, other, small, { ...small, consignee: { id: 'Société-Générale-Calcul', country: 'FR' } }, '{"type":'].map(line).join('\r\n')}\n\n`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-pipe-'));
  const file = path.join(dir, 'feed.ndjson');
  fs.writeFileSync(file, text);
  const fromFile = spawnSync(process.execPath, [CLI, 'replay', file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const fromPipe = spawnSync(process.execPath, [CLI, 'replay', '/dev/stdin'], { input: text, encoding: 'utf8' });
  assert.equal(fromPipe.status, 0, fromPipe.stderr);
  const doc = JSON.parse(fromPipe.stdout) as { counts: unknown; rejected: Array<{ line: number; code: string }> };
  assert.deepEqual(doc.counts, { read: 5, recorded: 2, duplicates: 1, rejected: 2 });
  assert.deepEqual(doc.rejected.map((x) => [x.line, x.code]), [[4, 'DUPLICATE_CONFLICT'], [5, 'MALFORMED']]);
  assert.equal(fromPipe.stdout, fromFile.stdout);
});

// The service refuses a Kafka message whose bytes are not UTF-8; the replay must refuse such a line the same way,
// not read it with replacement characters.
test('a line that is not valid UTF-8 is MALFORMED, as the same bytes would be on Kafka, and its neighbours count', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-utf8-'));
  const good = (id: string) => Buffer.from(`${line(shipment({ eventId: id, items: [{ chip: 'A100', quantity: 1 }] }))}\n`);
  const bad = Buffer.from(line(shipment({ eventId: 'bad', consignee: 'acme-XX' })).replace('XX', '\u0000\u0000'), 'utf8');
  bad[bad.indexOf(0)] = 0xc3; // a lead byte followed by a NUL: not UTF-8
  const file = path.join(dir, 'utf8.ndjson');
  fs.writeFileSync(file, Buffer.concat([good('u-1'), bad, Buffer.from('\n'), good('u-2')]));
  const r = spawnSync(process.execPath, [CLI, 'replay', file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const doc = JSON.parse(r.stdout) as { counts: unknown; rejected: Array<{ line: number; code: string; message: string }> };
  assert.deepEqual(doc.counts, { read: 3, recorded: 2, duplicates: 0, rejected: 1 });
  assert.deepEqual(doc.rejected.map((x) => [x.line, x.code, x.message]), [[2, 'MALFORMED', 'event is not valid UTF-8']]);
});

test('a reader that closes the pipe early (replay FILE | head) ends the replay quietly with status 0', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-epipe-'));
  const file = path.join(dir, 'feed.ndjson');
  fs.writeFileSync(file, `${line(shipment({ eventId: 'epipe-1', items: [{ chip: 'H100-SXM', quantity: 1 }] }))}\n`);
  const child = spawn(process.execPath, [CLI, 'replay', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(stderr, '');
  assert.equal(status, 0);
});

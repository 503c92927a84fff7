// Medium: the writer's pipelining on a real Postgres. A batch is judged on top of the previous batch's carry while
// that batch is written; under the head lock it is stored as judged only if nothing came in between, and judged
// again from the database otherwise. Either way the ledger must equal the offline replay of what it recorded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerWriter, PreviousBatchFailedError, verifyLedger, type BatchCarry, type SourceRecord } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { countRows, createLedgerDatabase, generateFeed, ledgerSnapshot, replaySnapshot, type LedgerDatabase } from './ledger-fixtures';
import { grantNveu, grantUveu, install, line, remove } from '../../libs/policy/test/support/events';

const pack = loadPolicyPack();

function records(lines: readonly string[], partition: number, firstOffset: number): SourceRecord[] {
  return lines.map((line, i) => ({ topic: 'chips.shipments.v1', partition, offset: String(firstOffset + i), key: null, value: Buffer.from(line) }));
}

// Drives the writer as the ledger's consumer does: batch k+1 starts once batch k is judged, and batch k+2 once
// batch k has settled.
async function pipelined(writer: LedgerWriter, batches: SourceRecord[][]): Promise<void> {
  let previous: { carry: BatchCarry; committed: Promise<boolean> } | undefined;
  let previousRun: Promise<boolean> = Promise.resolve(true);
  for (const batch of batches) {
    let onJudged!: (carry: BatchCarry) => void;
    const judged = new Promise<BatchCarry>((resolve) => (onJudged = resolve));
    const run = writer.processBatch(batch, { previous, onJudged }).then(
      () => true,
      (err: unknown) => {
        throw err;
      },
    );
    const carry = await Promise.race([judged, run.then(() => undefined)]);
    assert.equal(await previousRun, true);
    previousRun = run;
    previous = carry === undefined ? undefined : { carry, committed: run };
  }
  await previousRun;
}

describe('ledger writer pipelining (Postgres)', () => {
  let db: LedgerDatabase;
  let feed: string[];

  before(async () => {
    db = await createLedgerDatabase('ledger_pipeline');
    feed = await generateFeed(4000, 17);
  });
  after(async () => {
    await db?.close();
  });

  it('judging each batch on top of the one before while it commits records exactly what the replay does', async () => {
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    // Batches of uneven sizes over three partitions, as the consumer hands them over.
    const batches: SourceRecord[][] = [];
    const sizes = [300, 1, 450, 17, 600, 250];
    const offsets = [0, 0, 0];
    for (let at = 0, k = 0; at < 3000; k++) {
      const size = Math.min(sizes[k % sizes.length]!, 3000 - at);
      const partition = k % 3;
      batches.push(records(feed.slice(at, at + size), partition, offsets[partition]!));
      offsets[partition]! += size;
      at += size;
    }
    await pipelined(writer, batches);
    assert.equal(writer.pipeline.optimistic, batches.length - 1, 'every batch after the first was stored as judged');
    assert.equal(writer.pipeline.rejudged, 0);
    const ledger = await ledgerSnapshot(db.ds);
    assert.ok(ledger.alerts.length > 0, 'the feed raises alerts');
    assert.deepEqual(ledger, await replaySnapshot(db.ds));
    assert.deepEqual((await verifyLedger(db.ds)).problems, []);
  });

  it('what the batch in flight changed (installed bases, grants, keys, balances) is what the next batch sees', async () => {
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const batch = (events: object[], offset: number) => records(events.map((e) => line(e as Record<string, unknown>)), 4, offset);
    const first = [grantUveu('pipe-u', 'US', { eventId: 'pipe-g1' }), grantNveu('pipe-n', 'IN', { eventId: 'pipe-g2' }), install('pipe-u', 'IN', 5_000_000, { eventId: 'pipe-i1' })];
    // Each of these is judged before the batch above is committed: without its carry they would be judged
    // against a database that has none of it (no grants, nothing installed, new keys).
    const second = [
      remove('pipe-u', 'IN', 5_000_000, { eventId: 'pipe-r1' }), // NEGATIVE_INSTALLED_BASE without the install
      install('pipe-u', 'IN', 1_000_000, { eventId: 'pipe-i1' }), // same key, other payload: DUPLICATE_CONFLICT
      install('pipe-u', 'DE', 2_000_000, { eventId: 'pipe-i2' }), // UNAUTHORIZED without the grant
    ];
    await pipelined(writer, [batch(first, 0), batch(second, 3)]);
    assert.equal(writer.pipeline.optimistic, 1);
    const inbox = (await db.ds.query(`SELECT event_id FROM inbox WHERE event_id LIKE 'pipe-%' ORDER BY recorded_seq`)) as Array<{ event_id: string }>;
    assert.deepEqual(inbox.map((r) => r.event_id), ['pipe-g1', 'pipe-g2', 'pipe-i1', 'pipe-r1', 'pipe-i2']);
    const [dc] = (await db.ds.query(`SELECT installed_tpp FROM dc_installed WHERE veu_id = 'pipe-u' AND country = 'IN'`)) as Array<{ installed_tpp: string }>;
    assert.equal(dc!.installed_tpp, '0');
    const unauthorized = (await db.ds.query(`SELECT kind FROM alerts WHERE payload->'causedBy'->>'eventId' = 'pipe-i2' AND kind = 'UNAUTHORIZED'`)) as unknown[];
    assert.deepEqual(unauthorized, [], 'the grant of the batch before counts');
    assert.deepEqual(await ledgerSnapshot(db.ds), await replaySnapshot(db.ds));
  });

  it('a batch whose carry another writer overtook is judged again under the lock, and the ledger still equals the replay', async () => {
    const a = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const b = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const rest = feed.slice(3000);
    let carry!: BatchCarry;
    const first = a.processBatch(records(rest.slice(0, 300), 5, 0), { onJudged: (c) => (carry = c) });
    await first;
    // Another instance stores a batch between A's two batches: A's carry no longer describes the head.
    await b.processBatch(records(rest.slice(300, 600), 6, 0));
    await a.processBatch(records(rest.slice(600, 1000), 5, 300), { previous: { carry, committed: Promise.resolve(true) } });
    assert.equal(a.pipeline.rejudged, 1);
    assert.equal(a.pipeline.optimistic, 0);
    assert.deepEqual(await ledgerSnapshot(db.ds), await replaySnapshot(db.ds));
    assert.deepEqual((await verifyLedger(db.ds)).problems, []);
  });

  it('nothing of a batch is stored when the batch before it was not', async () => {
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    let carry!: BatchCarry;
    await writer.processBatch(records([], 7, 0), { onJudged: (c) => (carry = c) });
    const inboxBefore = await countRows(db.ds, 'inbox');
    const fresh = feed.slice(0, 50).map((l) => l.replace(/"eventId":"([^"]*)"/, '"eventId":"$1-after-failure"'));
    await assert.rejects(writer.processBatch(records(fresh, 7, 0), { previous: { carry, committed: Promise.resolve(false) } }), PreviousBatchFailedError);
    assert.equal(await countRows(db.ds, 'inbox'), inboxBefore);
  });
});
